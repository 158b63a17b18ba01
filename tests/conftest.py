import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

# tests/strategies.py and tests/fakes.py are shared by the test modules
sys.path.insert(0, str(Path(__file__).parent))

# The packaged sheets' cache of this run (subprocesses inherit it): the suite never writes to the
# user's own cache folder, and every run starts from a cold cache.
os.environ["LAMBDACOST_CACHE_DIR"] = tempfile.mkdtemp(prefix="lambdacost-test-cache-")
atexit.register(shutil.rmtree, os.environ["LAMBDACOST_CACHE_DIR"], ignore_errors=True)


@pytest.fixture(scope="session")
def dask_client():
    """One in-process dask.distributed cluster for every test that needs one."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
    ) as cluster:
        with distributed.Client(cluster) as client:
            yield client
