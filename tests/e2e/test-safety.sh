#!/bin/sh
# Terminal safety and secrets in what dlc prints, against fakeaws:
# an error code full of escape sequences reaches stderr inert (with -v,
# the retry lines and the trace too); with a wrong secret and a session
# token, AWS's SignatureDoesNotMatch quotes the canonical request, and the
# token still appears nowhere; a clock 20 minutes fast is reported as a
# clock problem; a function name with a bidi override or a zero-width
# space is shown visibly in text and escaped in JSON.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

# no_raw_controls WHAT FILE: FILE is valid UTF-8 with no C0 control but
# \n and \t (pretty JSON indents with tabs), no DEL, no C1, no bidi control and nothing invisible.
no_raw_controls() {
	if bad=$("$PYTHON3" - "$2" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    print("invalid UTF-8 at byte %d" % e.start)
    sys.exit(1)
bad = sorted({"U+%04X" % ord(c) for c in text
              if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f
              or c in "\u061c\u200b\u200c\u200d\u200e\u200f\u2028\u2029"
              "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
              "\u2066\u2067\u2068\u2069\ufeff"
              or 0xe0000 <= ord(c) <= 0xe007f})
if bad:
    print(" ".join(bad))
    sys.exit(1)
PY
	); then pass "$1"; else
		fail "$1" "raw: $bad" "text: $(head -c 600 "$2" | od -c | head -12)"
	fi
}

# 1. A hostile endpoint's error code: OSC title change, BEL, CSI, raw 0x9b.
start_fakeaws --faults hostile=1
write_static_profiles
write_dlc_ini
run "$DLC" -v ls -e alpha
expect_status "hostile error code: dlc -v ls fails with 1" 1
expect_contains "-v: the retry line is there" "attempt 1 failed (ServiceUnavailable" "$ERR"
expect_contains "-v: the code is shown with its escapes inert" 'ServiceUnavailable\x1b]0;pwned-title\x07\x1b[2J' "$ERR"
no_raw_controls "-v: nothing raw on stderr (retry lines, trace, error)" "$WORK/err"
run "$DLC" ls -e alpha
expect_status "hostile error code: dlc ls fails with 1" 1
expect_contains "the message is shown, inert" 'Service is unavailable.\x1b]0;pwned-message\x07' "$ERR"
no_raw_controls "without -v: nothing raw on stderr" "$WORK/err"

# 2. A wrong secret with a session token: temporary keys from STS (the
# Debian aws CLI asks fakeaws), then a profile whose secret is wrong.
start_fakeaws
write_static_profiles
write_dlc_ini tokened
set -- $(/usr/bin/aws --profile alpha --endpoint-url "$ENDPOINT" sts assume-role \
	--role-arn "arn:aws:iam::$(seed_value account alpha):role/$(seed_value role alpha)" \
	--role-session-name dlc-e2e --output text --query 'Credentials.[AccessKeyId,SessionToken]')
akid=${1:-}
token=${2:-}
if [ -z "$token" ] || [ ${#token} -lt 40 ]; then
	fail "assume-role gave a session token" "got: $akid $token"
fi
cat >>"$AWS_SHARED_CREDENTIALS_FILE" <<CRED

[tokened]
aws_access_key_id = $akid
aws_secret_access_key = wrongSecretKeyForTheSessionKeys0000000000
aws_session_token = $token
CRED
printf '\n[profile tokened]\nregion = eu-west-1\nendpoint_url = %s\n' "$ENDPOINT" >>"$AWS_CONFIG_FILE"
run "$DLC" ls -e alpha
expect_status "wrong secret with a token: ls fails with 1" 1
expect_contains "AWS's canonical request is quoted, the token line redacted" \
	"x-amz-security-token:<redacted>" "$ERR"
expect_contains "the fix names the secret key" "secret access key for profile 'tokened' is wrong" "$ERR"
expect_not_contains "the token is not on stderr" "$token" "$ERR"
expect_not_contains "the token is not on stdout" "$token" "$OUT"
run "$DLC" -v ls -e alpha
expect_status "wrong secret with a token, -v: ls fails with 1" 1
expect_contains "-v: the request is traced" "X-Amz-Security-Token: <redacted>" "$ERR"
expect_not_contains "-v: the token is not on stderr" "$token" "$ERR"
expect_not_contains "-v: the token is not on stdout" "$token" "$OUT"
# The console and dlc envs say the same; envs prints the error too.
run "$DLC" envs
expect_not_contains "dlc envs: the token is not on stderr" "$token" "$ERR"
expect_not_contains "dlc envs: the token is not on stdout" "$token" "$OUT"

# 3. A clock 20 minutes fast: fakeaws's clock runs 20 minutes behind.
start_fakeaws --clock-skew -1200
write_static_profiles
write_dlc_ini
run "$DLC" ls -e alpha
expect_status "a fast clock: ls fails with 1" 1
expect_contains "AWS's words are shown" "Signature not yet current" "$ERR"
expect_contains "a fast clock is a clock problem" "check the system clock" "$ERR"
expect_not_contains "a fast clock is not called a wrong key" "secret access key" "$ERR"
# 20 minutes slow: "Signature expired", the same fix.
start_fakeaws --clock-skew 1200
write_static_profiles
run "$DLC" ls -e alpha
expect_contains "a slow clock: AWS's words" "Signature expired" "$ERR"
expect_contains "a slow clock is a clock problem" "check the system clock" "$ERR"

# 4. Names that pose as others: a bidi override and a zero-width space in
# function names (a copy of the seed, so other tests' counts stay).
cp -r "$SRCDIR/tests/fakeaws/seed" "$WORK/seed"
"$PYTHON3" - "$WORK/seed/alpha.json" <<'PY'
import copy, json, sys
path = sys.argv[1]
d = json.load(open(path))
for name in ("datalake-alpha-invoice\u202efdp.exe", "datalake-alpha-mambu\u200b-to-s3-raw"):
    f = copy.deepcopy(d["functions"][0])
    f["Configuration"]["FunctionName"] = name
    f["Configuration"]["FunctionArn"] = f["Configuration"]["FunctionArn"].rsplit(":", 1)[0] + ":" + name
    d["functions"].append(f)
json.dump(d, open(path, "w"))
PY
start_fakeaws --seed-dir "$WORK/seed"
write_static_profiles
write_dlc_ini
run "$DLC" ls -e alpha
expect_status "look-alike names: ls exits 0" 0
expect_contains "a bidi override in a name is drawn" "datalake-alpha-invoice<U+202E>fdp.exe" "$OUT"
expect_contains "a zero-width space in a name is drawn" "datalake-alpha-mambu<U+200B>-to-s3-raw" "$OUT"
no_raw_controls "text: nothing invisible or reordering on stdout" "$WORK/out"
run "$DLC" ls -e alpha -o json
expect_status "look-alike names: ls -o json exits 0" 0
expect_contains "JSON escapes the bidi override" 'datalake-alpha-invoice\u202efdp.exe' "$OUT"
expect_contains "JSON escapes the zero-width space" 'datalake-alpha-mambu\u200b-to-s3-raw' "$OUT"
no_raw_controls "json: nothing invisible or reordering on stdout" "$WORK/out"
got=$("$PYTHON3" -c 'import json,sys; print(sum(1 for f in json.load(open(sys.argv[1]))["Functions"] if f["FunctionName"] == "datalake-alpha-invoice\u202efdp.exe"))' "$WORK/out" 2>/dev/null)
expect_equal "the JSON still decodes to the real name" "1" "$got"

# The console draws them the same way: in the list, and in the details'
# title and Function line. 180 columns: with the health columns the
# names' column gets what is left, and these names must show whole.
console_start 180 40 -e alpha
wait_for "console: a bidi override in a listed name is drawn" "datalake-alpha-invoice<U+202E>fdp.exe" 15
wait_for "console: a zero-width space in a listed name is drawn" "datalake-alpha-mambu<U+200B>-to-s3-raw"
send /
send -l "invoice"
send Enter
send Enter
wait_for "console: the details' title draws it" "details: datalake-alpha-invoice<U+202E>fdp.exe"
wait_for "console: the ARN draws it" "function:datalake-alpha-invoice<U+202E>fdp.exe"
console_stop

finish
