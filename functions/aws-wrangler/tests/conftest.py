"""The layer's python/ on the path, as Lambda puts it on /opt/python."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
