"""The function's src/ and its layers' python/ on the path (as Lambda has
/var/task and /opt/python), the flattenjson layer's test helpers, and a
writer seam that records its calls (functions/README.md's layout)."""
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
FUNCTIONS = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(FUNCTIONS, "flattenjson", "tests"))
for layer in (@LAYERS_PY@):
    sys.path.insert(0, os.path.join(FUNCTIONS, layer, "python"))
sys.path.insert(0, os.path.join(HERE, "..", "src"))


class Recorder:
    """The writer seam's fake: keeps every call's keyword arguments, or
    fails like a lake that is down."""

    def __init__(self, fail=False):
        self.calls = []
        self.fail = fail

    def __call__(self, **kwargs):
        if self.fail:
            raise RuntimeError("the lake is down")
        self.calls.append(kwargs)
        return {"paths": [kwargs["path"] + "part-0.parquet"]}


@pytest.fixture
def write():
    return Recorder()


@pytest.fixture
def failing_write():
    return Recorder(fail=True)
