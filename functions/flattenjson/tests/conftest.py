"""The layer's python/ on the path, as Lambda puts it on /opt/python, and
aws-wrangler's beside it (ddbexport writes through its rawframe: the
functions that use this layer use that one too)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "aws-wrangler", "python"))
sys.path.insert(0, os.path.join(HERE, "..", "python"))
