#!/bin/sh
# The README's "try it" line: install what is missing, build, start the
# bundled local AWS endpoint (tests/fakeaws) with the demo data lake account,
# and run dlc against it. The demo's AWS files live in .demo/, never in ~/.aws.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)

# DLC_DEMO_BIN: a dlc already built (so its packages are there): no install,
# no build. DLC_DEMO_DIR: where the demo's state goes instead of .demo/.
# Both are for tests/e2e/test-demo.sh.
if [ -n "${DLC_DEMO_BIN:-}" ]; then
	dlc=$DLC_DEMO_BIN
else
	sh scripts/install-deps.sh
	# Built in its own folder, so it never clashes with scripts/test.sh's builds.
	[ -x configure ] || autoreconf -fi >/dev/null 2>&1
	mkdir -p build-demo
	[ -f build-demo/Makefile ] || (cd build-demo && ../configure >/dev/null)
	make -C build-demo -j"$(nproc 2>/dev/null || echo 2)" dlc >/dev/null
	dlc="$top/build-demo/dlc"
fi

demo=${DLC_DEMO_DIR:-"$top/.demo"}
mkdir -p "$demo"
# The last run's port file names an endpoint that is gone: it must not be
# read before this run's endpoint writes its own.
rm -f "$demo/port"
# The generator keeps writing log events, so the console's log view has
# something to follow (l on a function).
python3 tests/fakeaws/fakeaws.py --port 0 --port-file "$demo/port" --generate-logs 3 \
	>"$demo/fakeaws.log" 2>&1 &
fake=$!
trap 'kill $fake 2>/dev/null' EXIT INT TERM
# Up to 60 s, as the tests allow: seeding takes seconds on a loaded machine.
i=0
while [ ! -s "$demo/port" ]; do
	i=$((i + 1))
	if [ $i -gt 1200 ] || ! kill -0 "$fake" 2>/dev/null; then
		cat "$demo/fakeaws.log"
		exit 1
	fi
	sleep 0.05
done
endpoint="http://127.0.0.1:$(cat "$demo/port")"

seed() { python3 tests/e2e/seedinfo.py "$@"; }
cat >"$demo/aws-config" <<CFG
[profile dlc-demo-alpha]
region = eu-west-1
endpoint_url = $endpoint

[profile dlc-demo-sandbox]
region = eu-west-1
endpoint_url = $endpoint
CFG
cat >"$demo/aws-credentials" <<CRED
[dlc-demo-alpha]
aws_access_key_id = $(seed key alpha)
aws_secret_access_key = $(seed secret alpha)

[dlc-demo-sandbox]
aws_access_key_id = $(seed key sandbox)
aws_secret_access_key = $(seed secret sandbox)
CRED
export AWS_CONFIG_FILE="$demo/aws-config"
export AWS_SHARED_CREDENTIALS_FILE="$demo/aws-credentials"

echo "== local AWS endpoint at $endpoint (demo account; keys in .demo/)"
echo "== dlc envs"
"$dlc" --config dlc.ini envs
echo
echo "== dlc ls -e alpha"
"$dlc" --config dlc.ini ls -e alpha
# At a terminal, open the console on the same endpoint (q quits, ? helps).
if [ -t 0 ] && [ -t 1 ]; then
	echo
	echo "Opening the console (q quits, ? shows the keys)..."
	sleep 1
	DLC_THEMES_DIR="$top/themes" "$dlc" --config dlc.ini || true
	echo "The demo endpoint stops now; run this script again to come back."
fi
