import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
# The compiled-rules cache goes to a folder of this test run, never the user's
# home (subprocesses inherit it); tests of the cache set their own.
os.environ["BUDGETAUDIT_CACHE"] = tempfile.mkdtemp(prefix="budgetaudit-test-cache-")
atexit.register(shutil.rmtree, os.environ["BUDGETAUDIT_CACHE"], True)
sys.path.insert(0, str(TESTS))

from edits import SAMPLES  # noqa: E402


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES
