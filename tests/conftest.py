import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

from edits import SAMPLES  # noqa: E402


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES
