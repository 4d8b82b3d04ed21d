"""The function's src/ and its layers' python/ on the path (as
Lambda has /var/task and /opt/python), and the layer's test helpers."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FUNCTIONS = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(FUNCTIONS, "flattenjson", "tests"))
sys.path.insert(0, os.path.join(FUNCTIONS, "flattenjson", "python"))
sys.path.insert(0, os.path.join(FUNCTIONS, "aws-wrangler", "python"))
sys.path.insert(0, os.path.join(HERE, "..", "src"))
