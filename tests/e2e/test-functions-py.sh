#!/bin/sh
# The data lake functions' own Python tests (functions/NAME/tests/), on
# Debian's /usr/bin/python3 with python3-pytest and python3-pandas (the
# python3 first on PATH may be another interpreter without them). Each
# folder runs in its own pytest process: every function has its own
# lambda_function module, and one process would import only the first.
# Missing pytest or pandas FAILS (scripts/install-deps.sh installs them):
# a check that skips itself would pass without testing anything.
# Every function (kind = function) and the flattenjson layer must have
# tests; nothing may be written into the source tree (no __pycache__,
# no .pytest_cache); and every function imports as deployed (below).
. "$(dirname "$0")/lib.sh"

PY=${DLC_FUNCTIONS_PYTHON:-/usr/bin/python3}
FUNCS="$SRCDIR/functions"
export PYTHONDONTWRITEBYTECODE=1

if "$PY" -c 'import pytest, pandas' >"$WORK/imp" 2>&1; then
	pass "$PY has pytest and pandas"
else
	fail "$PY has pytest and pandas (apt-get install python3-pytest python3-pandas)" "$(cat "$WORK/imp")"
	finish
fi

snapshot() {
	(cd "$FUNCS" && find . -printf '%p %s %T@\n' | sort)
}
before=$(snapshot)

for ini in "$FUNCS"/*/function.ini; do
	dir=$(dirname "$ini")
	name=$(basename "$dir")
	case "$name" in .* | _*) continue ;; esac
	if [ ! -d "$dir/tests" ]; then
		if grep -Eq '^[[:space:]]*kind[[:space:]]*=[[:space:]]*layer' "$ini" && [ "$name" != flattenjson ]; then
			continue
		fi
		fail "$name has tests under functions/$name/tests"
		continue
	fi
	if (cd "$dir" && "$PY" -m pytest -q -p no:cacheprovider --rootdir "$dir" tests) >"$WORK/$name.log" 2>&1; then
		pass "$name: $(tail -n 1 "$WORK/$name.log")"
	else
		fail "$name: its tests pass" "$(tail -n 40 "$WORK/$name.log")"
	fi
done

expect_equal "the tests wrote nothing into functions/" "$before" "$(snapshot)"

# As deployed: every function's zip (dlc build, stand-in pip) unpacked as
# /var/task, its layers' zips as /opt, and its handler imported with boto3,
# awswrangler, requests and tenacity made unimportable: the zips hold all
# the code they need (no test helper, no sibling folder), and only the
# seams need the AWS libraries, at call time.
export PATH="$SRCDIR/tests/e2e/standin/bin:$PATH"
mkdir -p "$WORK/clone"
cp -R "$FUNCS" "$WORK/clone/functions"
printf '[dlc]\nfunctions = functions\n' >"$WORK/clone/dlc.ini"
if (cd "$WORK/clone" && PYTHONPATH="$SRCDIR/tests/e2e/standin/py" "$DLC" --config "$WORK/clone/dlc.ini" build --all) \
	>"$WORK/build.log" 2>&1; then
	pass "dlc build --all builds every function and layer"
else
	fail "dlc build --all builds every function and layer" "$(tail -n 20 "$WORK/build.log")"
fi
for ini in "$FUNCS"/*/function.ini; do
	name=$(basename "$(dirname "$ini")")
	grep -Eq '^[[:space:]]*kind[[:space:]]*=[[:space:]]*layer' "$ini" && continue
	if "$PY" - "$WORK/clone" "$name" >"$WORK/import.log" 2>&1 <<'PY'
import os, re, sys, zipfile
clone, name = sys.argv[1:]
root = os.path.join(clone, "deployed", name)
text = open(os.path.join(clone, "functions", name, "function.ini")).read()
m = re.search(r"^\s*layers\s*=\s*(.*)$", text, re.M)
layers = [l.strip() for l in (m.group(1) if m else "").split(",") if l.strip()]
zipfile.ZipFile(os.path.join(clone, ".dlc/build/%s.zip" % name)).extractall(os.path.join(root, "task"))
for layer in layers:
    zipfile.ZipFile(os.path.join(clone, ".dlc/build/%s.zip" % layer)).extractall(os.path.join(root, "opt"))
sys.path[:0] = [os.path.join(root, "task"), os.path.join(root, "opt", "python")]

class Block:
    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in ("boto3", "botocore", "awswrangler", "requests", "tenacity"):
            raise ImportError("%s is imported at the top of the code, not inside a seam" % fullname)
        return None

sys.meta_path.insert(0, Block())
import lambda_function
assert callable(lambda_function.lambda_handler)
for m in sys.modules.values():
    f = getattr(m, "__file__", None) or ""
    assert not f.startswith(os.path.join(clone, "functions")), f
    assert "/tests/" not in f, f
print("ok")
PY
	then
		pass "$name imports as deployed, without the AWS libraries"
	else
		fail "$name imports as deployed, without the AWS libraries" "$(tail -n 15 "$WORK/import.log")"
	fi
done
finish
