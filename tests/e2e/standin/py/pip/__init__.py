"""A stand-in for pip in dlc's tests: no package index is reachable on the
test machines, so `pip install` writes what the real one would, the same
bytes every time: a package folder per requirement (NAME/__init__.py with
its version) under --target, and for Singer taps and targets (tap-*,
target-*) their console script in --target/bin/, as pip puts it there.
`pip install pip==X` changes the running environment's pip: allowed only in
a venv (it records X in the venv), so a build that would change the
system's pip fails loudly. Found through PYTHONPATH, it wins over a real
pip in a venv too (`python3 -m pip` and the venv's bin/pip both import it).
"""
import os
import re
import sys


def _requirements(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip() and not line.lstrip().startswith("#")]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] != "install":
        print("stand-in pip: only `install` is known", file=sys.stderr)
        return 2
    target, specs, i = None, [], 1
    while i < len(argv):
        a = argv[i]
        if a in ("--target", "-t"):
            target = argv[i + 1]
            i += 2
        elif a in ("-r", "--requirement"):
            specs += _requirements(argv[i + 1])
            i += 2
        elif a.startswith("-"):
            i += 1
        else:
            specs.append(a)
            i += 1
    in_venv = sys.prefix != sys.base_prefix
    done = []
    for spec in specs:
        name, _, version = spec.partition("==")
        if name == "pip" and target is None:
            if not in_venv:
                print("stand-in pip: would change the system's pip (%s); "
                      "run it in a venv" % sys.prefix, file=sys.stderr)
                return 1
            with open(os.path.join(sys.prefix, "pip-version"), "w") as f:
                f.write(version + "\n")
            print("Successfully installed pip-%s into %s" % (version, sys.prefix))
            continue
        if target is None:
            print("stand-in pip: give --target", file=sys.stderr)
            return 2
        module = re.sub(r"[-.]", "_", name.lower())
        os.makedirs(os.path.join(target, module), exist_ok=True)
        with open(os.path.join(target, module, "__init__.py"), "w") as f:
            f.write('__version__ = "%s"  # stand-in for %s\n' % (version, name))
        if name.startswith(("tap-", "target-")):
            os.makedirs(os.path.join(target, "bin"), exist_ok=True)
            script = os.path.join(target, "bin", name)
            with open(script, "w") as f:
                f.write("#!/usr/bin/env python3\nfrom %s import main\nmain()\n" % module)
            os.chmod(script, 0o755)
        done.append("%s-%s" % (name, version))
    if done:
        print("Successfully installed " + " ".join(done))
    return 0
