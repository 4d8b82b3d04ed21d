#!/bin/sh
# The console's b, p and d against fakeaws, in tmux: b builds the selected
# function and the build view shows the commands' output (stdout and
# stderr) and the zip, a failing command's output and the failure; the
# DRIFT column says "not built", then "local changes" once built, then
# "in sync" after p; p on an allow environment asks y/n naming the
# function, its remote name and the environment ("n" sends nothing), the
# queue strip shows the steps through "wait" to "deployed ... verified",
# and AWS's CodeSha256 is the local zip's; p on confirm needs the
# environment's name typed back (a wrong one is refused, nothing sent);
# p on deny refuses with the reason; d shows the drift in a view.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"

start_fakeaws --log-requests "$WORK/requests.jsonl" --update-delay-ms 1500
write_static_profiles
write_dlc_ini
cp -r "$SRCDIR/functions" "$WORK/functions"
sed -i "s|^functions = .*|functions = $WORK/functions|" "$WORK/dlc.ini"
F="$WORK/functions"
# Build commands that need no package index: one that talks on both
# streams, one that fails with its output.
printf 'build = sh -c "echo building cases; echo a warning on stderr >&2"\n' \
	>>"$F/salesforce-cases-to-s3-raw/function.ini"
printf 'build = sh -c "echo step one; echo it broke >&2; exit 3"\n' \
	>>"$F/dynamo-customers-to-s3-raw/function.ini"
SF=salesforce-cases-to-s3-raw
ZIP="$WORK/.dlc/build/$SF.zip"

count_op() {
	grep -c "\"operation\": \"$1\"" "$WORK/requests.jsonl" 2>/dev/null || true
}
deployed_sha() {
	AWS_ACCESS_KEY_ID=$(seed_value key "$2") AWS_SECRET_ACCESS_KEY=$(seed_value secret "$2") \
	AWS_DEFAULT_REGION=eu-west-1 /usr/bin/aws --endpoint-url "$ENDPOINT" lambda get-function-configuration \
		--function-name "$1" --query CodeSha256 --output text
}
zip_sha() {
	"$PYTHON3" -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()).digest()).decode())' "$1"
}
# select NAME: filter the functions view down to NAME's row.
select_fn() {
	send /
	send -l "$1"
	send Enter
	wait_for "the filter shows $1" "filter: $1"
}
# The screen's row that holds TEXT.
row_of() {
	screen | grep -F -- "$1" | head -1
}

# --- the DRIFT column before anything is built ---
console_start 160 45 -e alpha
wait_for "alpha's functions open" "functions (alpha) 8/8"
wait_for "the functions view has a DRIFT column" "DRIFT"
wait_for "an unbuilt function's drift is 'not built'" "not built"

# --- b: the build view streams the output ---
select_fn "$SF"
send b
wait_for "b opens the build view naming function and environment" "build $SF (functions/$SF) for alpha"
wait_for "the build view shows the command's stdout" "building cases"
wait_for "the build view shows the command's stderr" "a warning on stderr"
wait_for "the build ends with the zip and its CodeSha256" "built $ZIP"
[ -f "$ZIP" ] && pass "the zip is there" || fail "the zip is there" "$ZIP"
expect_contains "the view's title says done" "build $SF (alpha): done" "$(screen)"
send Escape
wait_for "Esc goes back to the functions" "functions (alpha) 1/8"
wait_for "the built function's drift is 'local changes'" "local changes"
expect_contains "the queue strip lists the build" "build $SF in alpha: built" "$(screen)"

# --- p on allow: y/n naming function, remote name and environment ---
before=$(count_op UpdateFunctionCode)
send p
wait_for "p asks y/n naming the function and the environment" "push $SF to alpha? (y/n)"
expect_contains "the question names the function" "push $SF (functions/$SF)" "$(screen)"
expect_contains "the question names its remote name" "  as datalake-alpha-$SF" "$(screen)"
expect_contains "the question names the environment and its policy" "  to alpha (deploy = allow)" "$(screen)"
send n Enter
wait_for "n cancels" "push of $SF cancelled"
wait_gone "the question goes with the prompt" "  as datalake-alpha-$SF"
expect_equal "n sends nothing" "$before" "$(count_op UpdateFunctionCode)"
send p
wait_for "p asks again" "to alpha? (y/n)"
send y Enter
wait_for "the queue strip shows the push waiting for the update" "push $SF in alpha: wait" 15
wait_for "the queue strip ends on deployed and verified" "push $SF in alpha: deployed, verified" 20
expect_contains "the status line says so" "$SF deployed to alpha and verified" "$(screen)"
expect_equal "one UpdateFunctionCode sent" "$((before + 1))" "$(count_op UpdateFunctionCode)"
expect_equal "AWS's CodeSha256 is the local zip's" "$(zip_sha "$ZIP")" \
	"$(deployed_sha "datalake-alpha-$SF" alpha)"
wait_for "the DRIFT column turns 'in sync'" "in sync" 15

# --- d: the drift view ---
send d
wait_for "d names the function and environment" "diff $SF against datalake-alpha-$SF in alpha"
wait_for "d says in sync" "$SF in alpha: in sync"
expect_contains "d shows the local CodeSha256" "local CodeSha256     $(zip_sha "$ZIP")" "$(screen)"
send Escape
wait_for "back to the functions" "functions (alpha) 1/8"

# --- a Failed update: the strip and the status line say why ---
"$PYTHON3" - "$ENDPOINT" <<'PY'
import json, sys, urllib.request
doc = {"function": "datalake-alpha-salesforce-cases-to-s3-raw", "account": "alpha",
       "fail_next_update": {"reason": "The role defined for the function cannot be assumed by Lambda.",
                            "code": "InvalidRole"}}
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/lambda/function",
                             data=json.dumps(doc).encode(), method="POST")
urllib.request.urlopen(req).read()
PY
echo "# changed" >>"$F/$SF/src/lambda_function.py"
send p
wait_for "p asks before a push of changed code" "to alpha? (y/n)"
send y Enter
wait_for "the status line says the update failed, with its reason" \
	"LastUpdateStatus is Failed: The role defined for the function" 20
wait_for "the strip says the push failed" "push $SF in alpha: WaiterFailure"
send e
wait_for "e shows the whole reason" "cannot be assumed by Lambda."
send Escape
wait_for "back to the functions after the error" "functions (alpha) 1/8"

# --- b on a failing build: its output and the failure ---
send Escape
wait_for "Esc clears the filter" "functions (alpha) 8/8"
select_fn dynamo-customers
send b
wait_for "the failing command's stdout" "step one"
wait_for "the failing command's stderr" "it broke"
wait_for "the failure is said" "build failed: BuildFailed"
expect_contains "the view's title says failed" "build dynamo-customers-to-s3-raw (alpha): failed" "$(screen)"
send Escape
console_stop

# --- p on confirm: the environment's name typed back ---
console_start 160 45 -e sandbox
wait_for "sandbox's functions open" "functions (sandbox) 8/8"
select_fn "$SF"
before=$(count_op UpdateFunctionCode)
send p
wait_for "p on confirm asks for the environment's name" "push $SF: type sandbox to confirm:"
expect_contains "the question names the remote name" "  as datalake-sandbox-$SF" "$(screen)"
expect_contains "the question names the environment and its policy" "  to sandbox (deploy = confirm)" "$(screen)"
send -l sandbx
send Enter
wait_for "a wrong name is refused by the push job" "ConfirmationRequired"
expect_equal "a wrong name sends nothing" "$before" "$(count_op UpdateFunctionCode)"
send p
wait_for "p asks again" "type sandbox to confirm:"
send -l sandbox
send Enter
wait_for "the right name pushes, deployed and verified" "push $SF in sandbox: deployed, verified" 20
expect_equal "AWS's CodeSha256 in sandbox is the local zip's" "$(zip_sha "$ZIP")" \
	"$(deployed_sha "datalake-sandbox-$SF" sandbox)"
# The name typed back is not in the prompt's history: Up offers nothing.
send p
wait_for "p asks once more" "type sandbox to confirm:"
send Up
send -l x
wait_for "Up does not recall the typed-back name: only what is typed is there" "to confirm: x"
send Escape
console_stop

# --- p on deny: refused with the reason, nothing asked ---
sed -i 's/^deploy = confirm/deploy = deny/' "$WORK/dlc.ini"
console_start 160 45 -e sandbox
wait_for "sandbox's functions open again" "functions (sandbox) 8/8"
select_fn "$SF"
before=$(count_op UpdateFunctionCode)
send p
wait_for "p on deny refuses with the reason" "DeployDenied: deploys to sandbox are refused"
expect_not_contains "deny asks nothing" "(y/n)" "$(screen)"
expect_equal "deny sends nothing" "$before" "$(count_op UpdateFunctionCode)"
console_stop
finish
