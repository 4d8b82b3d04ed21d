"""The tests import the function's modules as Lambda does (src/ on the
path) and its layers' python/ folders, as Lambda puts them under /opt."""
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
FUNCTIONS = os.path.dirname(os.path.dirname(HERE))

sys.path.insert(0, os.path.join(os.path.dirname(HERE), "src"))
for layer in (@LAYERS_PY@):
    sys.path.insert(1, os.path.join(FUNCTIONS, layer, "python"))


class Recorder:
    """A writer that keeps what it was handed, or fails like a lake that is down."""

    def __init__(self, fail=False):
        self.calls = []
        self.fail = fail

    def __call__(self, frame, cfg, partition_cols, dtype):
        if self.fail:
            raise RuntimeError("the lake is down")
        self.calls.append((frame, cfg, partition_cols, dtype))


@pytest.fixture
def write():
    return Recorder()


@pytest.fixture
def failing_write():
    return Recorder(fail=True)
