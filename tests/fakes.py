"""Stand-ins shared by tests."""


class FakeResponse:
    """What urllib's urlopen returns, with a fixed body (no network in tests)."""

    def __init__(self, body):
        self.body = body

    def read(self):
        return self.body

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
