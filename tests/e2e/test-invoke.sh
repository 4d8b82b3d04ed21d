#!/bin/sh
# dlc invoke against fakeaws: a function that succeeds and one that fails
# (exit 0 and 1, the error's type, message and stack), the payload from a
# file, stdin, inline and the function's events/ folder (each reaching the
# function as sent), --list-events, a missing event listing those there,
# bad JSON refused before anything is sent (file, line and column named),
# -o FILE with the exact bytes, --format json, the environment and its
# deploy policy on the first line, a missing function (exit 2), and
# hostile bytes in the log tail and in a response shown inert.
. "$(dirname "$0")/lib.sh"

cp -r "$SRCDIR/functions" "$WORK/functions"
F="$WORK/functions"
mkdir -p "$F/mambu-to-s3-raw/events"
printf '{"mode": "daily", "day": "2026-11-24"}\n' >"$F/mambu-to-s3-raw/events/daily.json"
printf '{"mode": "backfill",\n "from": "2026-11-01"\n "to": "2026-11-24"}\n' >"$F/mambu-to-s3-raw/events/broken.json"
printf '{"mode": "weekly"}\n' >"$F/mambu-to-s3-raw/events/weekly.json"

start_fakeaws --log-requests "$WORK/requests.log"
write_static_profiles
write_dlc_ini
sed -i "s|^functions = .*|functions = $F|" "$WORK/dlc.ini"
FN=datalake-alpha-mambu-to-s3-raw

# knob FUNCTION JSON: a fakeaws Lambda knob (tests/fakeaws/README.md).
knob() {
	"$PYTHON3" - "$ENDPOINT" "$1" "$2" <<'PY'
import json, sys, urllib.request
doc = dict(json.loads(sys.argv[3]), function=sys.argv[2], account="alpha")
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/lambda/function",
                             data=json.dumps(doc).encode(), method="POST")
urllib.request.urlopen(req).read()
PY
}
# invocations: the Invoke requests fakeaws has logged so far.
invocations() {
	grep -c "/invocations" "$WORK/requests.log" 2>/dev/null || true
}

# --- no call at all ---
run "$DLC" invoke -e alpha mambu-to-s3-raw --list-events
expect_status "--list-events exits 0" 0
expect_equal "--list-events lists the saved events, sorted" "broken
daily
weekly" "$OUT"
run "$DLC" invoke -e alpha mambu-to-s3-raw --list-events --format json
expect_contains "--list-events in JSON" '"Events":	["broken", "daily", "weekly"]' "$OUT"
run "$DLC" invoke -e alpha mambu-to-s3-raw --event monthly
expect_status "a missing event fails (2)" 2
expect_contains "a missing event is named" "no event 'monthly'" "$ERR"
expect_contains "a missing event lists those there" "pick one of: broken, daily, weekly" "$ERR"
run "$DLC" invoke -e alpha mambu-to-s3-raw --event broken
expect_status "a broken saved event fails (2)" 2
expect_contains "bad JSON: file, line and column" "events/broken.json is not valid JSON: it stops making sense at line 3, column 2" "$ERR"
run "$DLC" invoke -e alpha mambu-to-s3-raw --payload '{"a": [1, 2,]}'
expect_status "bad inline JSON fails (2)" 2
expect_contains "bad inline JSON: where" "the inline payload is not valid JSON: it stops making sense at line 1, column 13" "$ERR"
printf '{"a": 1} trailing' >"$WORK/stdin.json"
run "$DLC" invoke -e alpha mambu-to-s3-raw --payload - <"$WORK/stdin.json"
expect_status "bad JSON on stdin fails (2)" 2
expect_contains "bad stdin JSON named" "the payload on stdin is not valid JSON" "$ERR"
run "$DLC" invoke -e alpha mambu-to-s3-raw --payload "$WORK/nope.json"
expect_status "a missing payload file fails (2)" 2
expect_contains "the missing file is named" "$WORK/nope.json" "$ERR"
expect_equal "nothing was sent for a bad payload" "0" "$(invocations)"
run "$DLC" invoke -e alpha
expect_status "no function is a usage error (2)" 2
run "$DLC" invoke -e alpha mambu-to-s3-raw --payload '{}' --event daily
expect_status "--payload with --event is a usage error (2)" 2

# --- a function that succeeds: fakeaws echoes the event ---
run "$DLC" invoke -e alpha mambu-to-s3-raw --event daily
expect_status "a function that succeeds exits 0" 0
expect_equal "the first line names the function, environment and policy" \
	"invoke $FN in alpha (deploy allow), payload event daily" "$(printf '%s\n' "$OUT" | head -1)"
expect_contains "the status" "status 200, version \$LATEST" "$OUT"
expect_contains "the response, pretty" '"mode":	"daily"' "$OUT"
expect_contains "the log tail, decoded" "START RequestId:" "$OUT"
expect_contains "the log tail's end" "REPORT RequestId:" "$OUT"
expect_not_contains "no function error" "function error" "$OUT"
printf '{"from": "a file"}' >"$WORK/p.json"
run "$DLC" invoke -e alpha "$FN" --payload "$WORK/p.json"
expect_status "payload from a file, by AWS name" 0
expect_contains "the file's payload reached the function" '"from":	"a file"' "$OUT"
expect_contains "the file is named on the first line" "payload $WORK/p.json" "$(printf '%s\n' "$OUT" | head -1)"
printf '{"from": "stdin"}' >"$WORK/stdin.json"
run "$DLC" invoke -e alpha mambu-to-s3-raw --payload - <"$WORK/stdin.json"
expect_status "payload from stdin" 0
expect_contains "stdin's payload reached the function" '"from":	"stdin"' "$OUT"
run "$DLC" invoke -e alpha mambu-to-s3-raw --payload '{"from": "inline"}'
expect_status "payload inline" 0
expect_contains "the inline payload reached the function" '"from":	"inline"' "$OUT"
expect_contains "inline said" "payload inline" "$OUT"
run "$DLC" invoke -e sandbox mambu-to-s3-raw
expect_status "no payload: {} (sandbox)" 0
expect_contains "a confirm environment is said first" "in sandbox (deploy confirm), payload {}" "$(printf '%s\n' "$OUT" | head -1)"
expect_contains "{} was sent" '"body":	{' "$OUT"

# -o FILE: the exact bytes, nothing else there; --format json.
run "$DLC" invoke -e alpha mambu-to-s3-raw --payload '{"n": 7}' -o "$WORK/resp.json"
expect_status "-o FILE exits 0" 0
expect_equal "-o FILE holds the response's exact bytes" '{"statusCode": 200, "body": {"n": 7}}' "$(cat "$WORK/resp.json")"
expect_contains "-o FILE is said instead of the response" "bytes written to $WORK/resp.json" "$OUT"
expect_not_contains "-o FILE: the response is not shown" '"statusCode"' "$OUT"
run "$DLC" invoke -e alpha mambu-to-s3-raw --payload '{"n": 8}' --format json
expect_status "--format json exits 0" 0
"$PYTHON3" - "$WORK/out" >"$WORK/check" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["Environment"] == "alpha" and d["DeployPolicy"] == "allow", d
assert d["FunctionName"] == "datalake-alpha-mambu-to-s3-raw", d
assert d["StatusCode"] == 200 and d["FunctionError"] is None, d
assert d["ExecutedVersion"] == "$LATEST", d
assert d["Payload"] == {"statusCode": 200, "body": {"n": 8}}, d["Payload"]
assert d["LogTail"].startswith("START RequestId:"), d["LogTail"]
print("ok")
PY
expect_equal "--format json: AWS's names, the payload as JSON, the tail" "ok" "$(cat "$WORK/check")"

# --- a function error: exit 1, its type, message and stack ---
knob "$FN" '{"invoke": {"error": {"errorMessage": "division by zero", "errorType": "ZeroDivisionError", "stackTrace": ["  File \"/var/task/lambda_function.py\", line 7, in lambda_handler\n    return 1 / 0\n"]}}}'
run "$DLC" invoke -e alpha mambu-to-s3-raw
expect_status "a function error exits 1" 1
expect_contains "the function error" "function error: Unhandled" "$OUT"
expect_contains "its type and message" "ZeroDivisionError: division by zero" "$OUT"
expect_contains "its stack" 'File "/var/task/lambda_function.py", line 7, in lambda_handler' "$OUT"
expect_contains "the log tail has the error" "[ERROR] ZeroDivisionError" "$OUT"
run "$DLC" invoke -e alpha mambu-to-s3-raw --format json
expect_status "a function error in JSON exits 1" 1
expect_contains "JSON: FunctionError" '"FunctionError":	"Unhandled"' "$OUT"
expect_contains "JSON: ErrorType" '"ErrorType":	"ZeroDivisionError"' "$OUT"

# --- hostile bytes in the log tail and the response: shown inert ---
knob "$FN" '{"invoke": {"response": {"msg": "\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202egnp.exe"}, "log": ["evil \u001b[31mred\u001b[0m \u009bc1 \u202eRTL\u0007 bell"]}}'
run "$DLC" invoke -e alpha mambu-to-s3-raw
expect_status "a hostile function still exits 0" 0
if printf '%s' "$OUT" | LC_ALL=C grep -q "$(printf '\033')"; then
	fail "no ESC reaches the terminal" "$(printf '%s' "$OUT" | od -c | head -20)"
else
	pass "no ESC reaches the terminal"
fi
if printf '%s' "$OUT" | LC_ALL=C grep -q "$(printf '\007')\|$(printf '\302\233')\|$(printf '\342\200\256')"; then
	fail "no BEL, C1 CSI or bidi override reaches the terminal" "$(printf '%s' "$OUT" | od -c | head -20)"
else
	pass "no BEL, C1 CSI or bidi override reaches the terminal"
fi
expect_contains "the log line is still shown" "evil" "$(printf '%s\n' "$OUT" | sed -n '/-- log tail/,$p')"
expect_contains "the response is still shown" "pwned" "$OUT"
run "$DLC" invoke -e alpha mambu-to-s3-raw -o "$WORK/hostile.json"
expect_equal "-o FILE keeps the hostile text as the function sent it" "True" \
	"$("$PYTHON3" -c 'import json, sys; print("\x1b]0;pwned\x07\x1b[2J\x9b31m" in json.load(open(sys.argv[1]))["msg"])' "$WORK/hostile.json")"

# --- the call fails: exit 2, named ---
run "$DLC" invoke -e alpha no-such-function
expect_status "a function that is not there exits 2" 2
expect_contains "the missing function is named" "no function 'no-such-function' in alpha" "$ERR"
expect_contains "with the fix" "dlc ls -e alpha" "$ERR"

# The same as the Debian aws CLI sees it: one invocation of ours = one of AWS's.
if [ -x /usr/bin/aws ]; then
	knob "$FN" '{"invoke": null}'
	AWS_DEFAULT_REGION=eu-west-1 /usr/bin/aws --endpoint-url "$ENDPOINT" --profile alpha \
		lambda invoke --function-name "$FN" --cli-binary-format raw-in-base64-out \
		--payload '{"n": 9}' "$WORK/aws-resp.json" >/dev/null 2>&1
	run "$DLC" invoke -e alpha mambu-to-s3-raw --payload '{"n": 9}' -o "$WORK/dlc-resp.json"
	expect_equal "-o FILE holds what aws lambda invoke writes" "$(cat "$WORK/aws-resp.json")" "$(cat "$WORK/dlc-resp.json")"
else
	echo "SKIP: /usr/bin/aws missing (install awscli); the oracle check did not run"
fi

finish
