"""What a venv's bin/pip imports: the stand-in (see pip/__init__.py)."""
from pip import main  # noqa: F401
