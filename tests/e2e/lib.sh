# Shared by the end-to-end tests: an isolated HOME and AWS files, a fakeaws
# on a free port of 127.0.0.1, and pass/fail counting that ends with the
# plain "N passed, N failed" line. Sourced, not run.
set -u

SRCDIR=${DLC_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILDDIR=${DLC_BUILDDIR:-$SRCDIR}
DLC="$BUILDDIR/dlc"
PYTHON3=${PYTHON3:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dlc-e2e.XXXXXX")
PASSED=0
FAILED=0
FAKEAWS_PID=

# Nothing from the developer's own AWS set-up may leak into a test.
for v in $(env | sed -n 's/^\(AWS_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
unset DLC_CONFIG
export HOME="$WORK/home"
export AWS_CONFIG_FILE="$WORK/aws-config"
export AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"
mkdir -p "$HOME"

cleanup() {
	if [ -n "$FAKEAWS_PID" ]; then
		kill "$FAKEAWS_PID" 2>/dev/null
		wait "$FAKEAWS_PID" 2>/dev/null
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# The demo account's keys, read from the fakeaws seed so they live in one place.
seed_value() {
	"$PYTHON3" "$SRCDIR/tests/e2e/seedinfo.py" "$@"
}

# start_fakeaws [fakeaws options]: sets ENDPOINT. Restarts if one runs.
start_fakeaws() {
	stop_fakeaws
	rm -f "$WORK/port"
	"$PYTHON3" "$SRCDIR/tests/fakeaws/fakeaws.py" --port 0 --port-file "$WORK/port" "$@" \
		>>"$WORK/fakeaws.log" 2>&1 &
	FAKEAWS_PID=$!
	# Up to 60 s: seeding a big log history takes 14 s on a loaded machine.
	i=0
	while [ ! -s "$WORK/port" ]; do
		i=$((i + 1))
		if [ $i -gt 1200 ] || ! kill -0 "$FAKEAWS_PID" 2>/dev/null; then
			echo "fakeaws did not start:"; cat "$WORK/fakeaws.log"
			exit 1
		fi
		sleep 0.05
	done
	ENDPOINT="http://127.0.0.1:$(cat "$WORK/port")"
}

stop_fakeaws() {
	if [ -n "$FAKEAWS_PID" ]; then
		kill "$FAKEAWS_PID" 2>/dev/null
		wait "$FAKEAWS_PID" 2>/dev/null
		FAKEAWS_PID=
	fi
}

# A dlc.ini with the demo's two environments and the repository's functions/.
write_dlc_ini() {
	cat >"$WORK/dlc.ini" <<INI
[dlc]
functions = $SRCDIR/functions

[env alpha]
profile = ${1:-alpha}
region = eu-west-1
function-name = datalake-alpha-{function}
deploy = allow

[env sandbox]
profile = ${2:-sandbox}
region = eu-west-1
function-name = datalake-sandbox-{function}
deploy = confirm
INI
	export DLC_CONFIG="$WORK/dlc.ini"
}

# shared_account_seed: a seed in $WORK/shared-seed where alpha's account
# also holds sandbox's functions, as when two environments share one
# development account (legacy-export-job stays, matched by neither).
shared_account_seed() {
	rm -rf "$WORK/shared-seed"
	cp -r "$SRCDIR/tests/fakeaws/seed" "$WORK/shared-seed"
	"$PYTHON3" - "$WORK/shared-seed" <<'PY'
import json, os, sys
d = sys.argv[1]
a = json.load(open(os.path.join(d, "alpha.json")))
s = json.load(open(os.path.join(d, "sandbox.json")))
have = {f["Configuration"]["FunctionName"] for f in a["functions"]}
for f in s["functions"]:
    if f["Configuration"]["FunctionName"] in have:
        continue
    f = json.loads(json.dumps(f).replace(s["account_id"], a["account_id"]))
    a["functions"].append(f)
json.dump(a, open(os.path.join(d, "alpha.json"), "w"))
PY
}

# set_env_account ENV ACCOUNT: dlc.ini's account = for [env ENV] (none: removed).
set_env_account() {
	sed -i "/^\[env $1\]\$/,/^\[/ { /^account = /d }" "$WORK/dlc.ini"
	[ -n "$2" ] && sed -i "s/^\[env $1\]\$/&\naccount = $2/" "$WORK/dlc.ini"
	return 0
}

# Static keys for profiles alpha and sandbox, pointed at fakeaws.
write_static_profiles() {
	cat >"$AWS_CONFIG_FILE" <<CFG
[profile alpha]
region = eu-west-1
endpoint_url = $ENDPOINT

[profile sandbox]
region = eu-west-1
endpoint_url = $ENDPOINT
CFG
	cat >"$AWS_SHARED_CREDENTIALS_FILE" <<CRED
[alpha]
aws_access_key_id = $(seed_value key alpha)
aws_secret_access_key = $(seed_value secret alpha)

[sandbox]
aws_access_key_id = $(seed_value key sandbox)
aws_secret_access_key = $(seed_value secret sandbox)
CRED
}

# slow_process_profile PROFILE ENV SECONDS: a profile whose
# credential_process takes SECONDS, then hands out ENV's static keys.
slow_process_profile() {
	cat >"$WORK/$1.sh" <<SH
#!/bin/sh
sleep $3
printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}\n' "$(seed_value key "$2")" "$(seed_value secret "$2")"
SH
	chmod +x "$WORK/$1.sh"
	cat >>"$AWS_CONFIG_FILE" <<CFG

[profile $1]
region = eu-west-1
endpoint_url = $ENDPOINT
credential_process = "$WORK/$1.sh"
CFG
}

# JSON without blanks, for substring checks that ignore pretty-printing.
# put_event GROUP MESSAGE: one event stamped now (the group made if missing).
put_event() {
	"$PYTHON3" -c 'import json,sys,time,urllib.request
doc = {"group": sys.argv[2], "stream": "2026/12/03/[$LATEST]00000000000000000000000000000001",
       "account": "alpha", "events": [{"timestamp": int(time.time() * 1000), "message": sys.argv[3]}]}
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/logs/put", method="POST",
    data=json.dumps(doc).encode())
urllib.request.urlopen(req).read()' "$ENDPOINT" "$1" "$2"
}

# knob FUNCTION JSON-MEMBERS: fakeaws's per-function Lambda knobs (alpha).
knob() {
	"$PYTHON3" - "$ENDPOINT" "$1" "$2" <<'PY'
import json, sys, urllib.request
doc = json.loads('{"function": "%s", "account": "alpha", %s}' % (sys.argv[2], sys.argv[3]))
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/lambda/function",
                             data=json.dumps(doc).encode(), method="POST")
urllib.request.urlopen(req).read()
PY
}

# aws_as ENV ARGS...: the Debian aws CLI as ENV's account, at fakeaws.
aws_as() {
	_env=$1; shift
	AWS_ACCESS_KEY_ID=$(seed_value key "$_env") AWS_SECRET_ACCESS_KEY=$(seed_value secret "$_env") \
	AWS_DEFAULT_REGION=eu-west-1 /usr/bin/aws --endpoint-url "$ENDPOINT" "$@"
}

squash() { printf '%s' "$1" | tr -d ' \t'; }

pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $1"; shift; for l in "$@"; do echo "  $l"; done; }

# run NAME CMD...: runs a dlc command, keeping stdout, stderr and status.
run() {
	"$@" >"$WORK/out" 2>"$WORK/err"
	STATUS=$?
	OUT=$(cat "$WORK/out")
	ERR=$(cat "$WORK/err")
}

# run_timed CMD...: run, and the wall time it took in MS.
run_timed() {
	_t0=$(date +%s%N)
	run "$@"
	MS=$(( ($(date +%s%N) - _t0) / 1000000 ))
}

# expect_ms_between WHAT LO HI: the last run_timed took LO <= MS < HI.
expect_ms_between() {
	if [ "$MS" -ge "$2" ] && [ "$MS" -lt "$3" ]; then pass "$1: ${MS} ms"; else
		fail "$1: took ${MS} ms (expected $2-$3)"
	fi
}

expect_status() {
	if [ "$STATUS" -eq "$2" ]; then pass "$1"; else
		fail "$1" "status $STATUS, wanted $2" "stdout: $(head -c 2000 "$WORK/out")" "stderr: $(head -c 2000 "$WORK/err")"
	fi
}

expect_contains() {
	case "$3" in
	*"$2"*) pass "$1" ;;
	*) fail "$1" "wanted to find: $2" "in: $(printf '%s' "$3" | head -c 2000)" ;;
	esac
}

expect_not_contains() {
	case "$3" in
	*"$2"*) fail "$1" "did not want: $2" "in: $(printf '%s' "$3" | head -c 2000)" ;;
	*) pass "$1" ;;
	esac
}

expect_equal() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "wanted: $2" "got: $3"; fi
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit $?
}
