import sys
from pathlib import Path

import pytest

# tests/strategies.py and tests/fakes.py are shared by the test modules
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def dask_client():
    """One in-process dask.distributed cluster for every test that needs one."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
    ) as cluster:
        with distributed.Client(cluster) as client:
            yield client
