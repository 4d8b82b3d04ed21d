"""The function's src/ and the aws-wrangler layer's python/ on the path, as
Lambda has /var/task and /opt/python, and the layer's test fakes."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "aws-wrangler", "tests"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "aws-wrangler", "python"))
sys.path.insert(0, os.path.join(HERE, "..", "src"))
