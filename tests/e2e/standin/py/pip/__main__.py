"""`python3 -m pip`: the stand-in (see __init__.py)."""
import sys

from pip import main

sys.exit(main())
