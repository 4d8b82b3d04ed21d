#!/bin/sh
# dlc push against fakeaws: push then verify (the deployed CodeSha256 read
# back with the Debian aws CLI equals the local zip's), the waiter through
# InProgress, a Failed update shows its reason, ResourceConflictException
# retried, the size limit switching to S3 (DLC_INLINE_LIMIT lowers it),
# an unchanged function uploads nothing, deny and confirm (--confirm, a
# wrong name refused, no terminal refused), and --dry-run changes nothing.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/lib-push.sh"
ZIPDIR="$WORK/.dlc/build"
# No package index is reachable here: the build's stand-in pip (the
# manifests keep the team's real commands).
export PATH="$SRCDIR/tests/e2e/standin/bin:$PATH"
export PYTHONPATH="$SRCDIR/tests/e2e/standin/py"

# The CodeSha256 AWS has for a function, through the aws CLI.
deployed_sha() {
	aws_as "${2:-alpha}" lambda get-function-configuration \
		--function-name "$1" --query CodeSha256 --output text
}
# Lambda's CodeSha256 of a local zip.
zip_sha() {
	"$PYTHON3" -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()).digest()).decode())' "$1"
}
# Changes a function's source, so its package differs.
touch_source() {
	echo "# changed $(date +%s%N)" >>"$WORK/functions/$1/src/lambda_function.py"
}
json_field() {
	"$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1])); f=d["Functions"][int(sys.argv[2])]; print(f[sys.argv[3]])' "$WORK/out" "$1" "$2"
}

# --- push then verify; the waiter through InProgress ---
before=$(deployed_sha datalake-alpha-mambu-to-s3-raw)
run "$DLC" push -e alpha mambu-to-s3-raw
expect_status "push exits 0" 0
local_sha=$(zip_sha "$ZIPDIR/mambu-to-s3-raw.zip")
expect_contains "push says it deployed and verified" \
	"mambu-to-s3-raw: deployed to datalake-alpha-mambu-to-s3-raw" "$OUT"
expect_contains "the verified CodeSha256 is the local zip's" "CodeSha256 $local_sha verified" "$OUT"
expect_equal "AWS now has the local zip's CodeSha256" "$local_sha" "$(deployed_sha datalake-alpha-mambu-to-s3-raw)"
[ "$before" != "$local_sha" ] && pass "the deployed code changed" || fail "the deployed code changed" "$before"
expect_contains "the waiter saw InProgress and said the time left" "LastUpdateStatus InProgress, poll 1, 300 s left" "$ERR"
expect_contains "the wait ended on Successful" "wait: done, LastUpdateStatus Successful" "$ERR"
expect_contains "a pipe gets plain step lines" "mambu-to-s3-raw upload: done, sent" "$ERR"
expect_not_contains "a pipe gets no carriage returns" "$(printf '\r')" "$ERR"
expect_equal "one UpdateFunctionCode sent" "1" "$(count_op UpdateFunctionCode)"

expect_contains "build output is shown" "mambu-to-s3-raw | $ python3 -m pip install --target package -r requirements.txt" "$ERR"

# --- a failing build command stops the push with its output ---
cp "$WORK/functions/mambu-to-s3-raw/src/lambda_function.py" "$WORK/deployed.py"
touch_source mambu-to-s3-raw
cp "$WORK/functions/mambu-to-s3-raw/function.ini" "$WORK/function.ini.saved"
echo 'build = sh -c "echo ERROR: No matching distribution found for requests==2.31.0 >&2; exit 1"' \
	>>"$WORK/functions/mambu-to-s3-raw/function.ini"
sha_now=$(deployed_sha datalake-alpha-mambu-to-s3-raw)
run "$DLC" push -e alpha mambu-to-s3-raw
expect_status "a failing build stops the push" 1
expect_contains "its output is shown" "No matching distribution found for requests==2.31.0" "$ERR"
expect_equal "nothing was sent" "1" "$(count_op UpdateFunctionCode)"
cp "$WORK/function.ini.saved" "$WORK/functions/mambu-to-s3-raw/function.ini"

# --- a planted access key stops the push; the deployed code is unchanged ---
echo 'KEY = "AKIA''QWERTYUIOPASDFGH"' >>"$WORK/functions/mambu-to-s3-raw/src/lambda_function.py"
run "$DLC" push -e alpha mambu-to-s3-raw
expect_status "a secret stops the push" 1
expect_contains "the hit names file, line and rule" "lambda_function.py:" "$ERR"
expect_contains "the hit names the rule" "aws-access-key-id" "$ERR"
expect_not_contains "the key is not shown" "QWERTYUIOPASDFGH" "$ERR"
expect_equal "nothing was sent" "1" "$(count_op UpdateFunctionCode)"
expect_equal "the deployed code is unchanged" "$sha_now" "$(deployed_sha datalake-alpha-mambu-to-s3-raw)"
cp "$WORK/deployed.py" "$WORK/functions/mambu-to-s3-raw/src/lambda_function.py"
run "$DLC" push -e alpha mambu-to-s3-raw
expect_contains "back to the deployed source, nothing to send" "already deployed" "$OUT"

# --- unchanged uploads nothing: two unchanged functions ---
run "$DLC" push -e alpha datalake-alpha-mambu-to-s3-raw mambu-to-s3-raw -o json
expect_status "pushing unchanged functions exits 0" 0
expect_equal "the first is unchanged" "unchanged" "$(json_field 0 Outcome)"
expect_equal "the second is unchanged" "unchanged" "$(json_field 1 Outcome)"
expect_equal "nothing more was uploaded" "1" "$(count_op UpdateFunctionCode)"
expect_contains "text says already deployed" "already deployed" "$(cd "$WORK" && "$DLC" push -e alpha mambu-to-s3-raw 2>/dev/null)"

# --- dry run: says what would happen, sends nothing ---
touch_source mambu-to-s3-raw
sha_now=$(deployed_sha datalake-alpha-mambu-to-s3-raw)
run "$DLC" push -e alpha mambu-to-s3-raw --dry-run
expect_status "dry run exits 0" 0
expect_contains "dry run says what it would send, how and the policy" "would push to datalake-alpha-mambu-to-s3-raw" "$OUT"
expect_contains "dry run says inline" "inline" "$OUT"
expect_contains "dry run says the policy" "deploy = allow in alpha" "$OUT"
expect_equal "dry run sent no update" "1" "$(count_op UpdateFunctionCode)"
expect_equal "dry run left the deployed code alone" "$sha_now" "$(deployed_sha datalake-alpha-mambu-to-s3-raw)"

# --- ResourceConflictException retried with backoff ---
knob datalake-alpha-mambu-to-s3-raw '"conflict_next": 2'
run "$DLC" push -e alpha mambu-to-s3-raw -o json
expect_status "push through two conflicts exits 0" 0
expect_equal "it deployed" "deployed" "$(json_field 0 Outcome)"
expect_equal "it waited out two conflicts" "2" "$(json_field 0 Conflicts)"
expect_contains "the conflict was said with its retry" "another update of datalake-alpha-mambu-to-s3-raw is in progress: retry 2 in 2 s" "$ERR"
expect_equal "the deployed code is the new zip" "$(zip_sha "$ZIPDIR/mambu-to-s3-raw.zip")" "$(deployed_sha datalake-alpha-mambu-to-s3-raw)"

# --- a Failed update shows its reason ---
knob datalake-alpha-salesforce-cases-to-s3-raw '"fail_next_update": {"reason": "The role defined for the function cannot be assumed by Lambda.", "code": "InvalidRole"}'
run "$DLC" push -e alpha salesforce-cases-to-s3-raw
expect_status "a failed update exits 1" 1
expect_contains "the failure shows LastUpdateStatusReason" "The role defined for the function cannot be assumed by Lambda." "$ERR"
expect_contains "the failure names the function and environment" "datalake-alpha-salesforce-cases-to-s3-raw in alpha" "$ERR"
expect_not_contains "nothing claims it deployed" "deployed to" "$OUT"

# --- the size limit switches to S3 ---
touch_source mambu-to-s3-raw
run env DLC_INLINE_LIMIT=100 "$DLC" push -e alpha mambu-to-s3-raw
expect_status "over the limit without a bucket fails" 1
expect_contains "it says which key to add" "add artifacts-bucket = BUCKET to [env alpha] in dlc.ini" "$ERR"
aws_as alpha s3api create-bucket \
	--bucket datalake-alpha-artifacts --create-bucket-configuration LocationConstraint=eu-west-1 >/dev/null 2>&1
sed -i 's/^\[env alpha\]$/&\nartifacts-bucket = datalake-alpha-artifacts/' "$WORK/dlc.ini"
run env DLC_INLINE_LIMIT=100 "$DLC" push -e alpha mambu-to-s3-raw -o json
expect_status "over the limit with a bucket pushes" 0
expect_equal "it went through S3" "s3" "$(json_field 0 Upload)"
expect_equal "it deployed" "deployed" "$(json_field 0 Outcome)"
key=$(json_field 0 S3Key)
expect_contains "the key is per environment, function and content" "dlc/alpha/datalake-alpha-mambu-to-s3-raw/" "$key"
expect_equal "one PutObject" "1" "$(count_op PutObject)"
expect_equal "the deployed code is the uploaded zip" "$(zip_sha "$ZIPDIR/mambu-to-s3-raw.zip")" "$(deployed_sha datalake-alpha-mambu-to-s3-raw)"
run "$DLC" push -e alpha mambu-to-s3-raw
expect_contains "under Lambda's own limit it is unchanged" "already deployed" "$OUT"

# --- deny refuses, before anything is built or sent ---
sed -i '/^\[env alpha\]$/,/^\[/ s/^deploy = allow$/deploy = deny/' "$WORK/dlc.ini"
touch_source mambu-to-s3-raw
n_before=$(count_op UpdateFunctionCode)
run "$DLC" push -e alpha mambu-to-s3-raw
expect_status "deny refuses" 1
expect_contains "deny names the rule and the fix" "deploys to alpha are refused: dlc.ini says deploy = deny for it" "$ERR"
expect_equal "deny sent nothing" "$n_before" "$(count_op UpdateFunctionCode)"
sed -i '/^\[env alpha\]$/,/^\[/ s/^deploy = deny$/deploy = allow/' "$WORK/dlc.ini"

# --- confirm (sandbox): no terminal, a wrong name, the right name ---
touch_source dynamo-customers-to-s3-raw
n_before=$(count_op UpdateFunctionCode)
run setsid -w "$DLC" push -e sandbox dynamo-customers-to-s3-raw </dev/null
expect_status "confirm without a terminal or --confirm refuses" 1
expect_contains "it says how to confirm" "pass --confirm sandbox where there is no terminal" "$ERR"
printf 'sandbox\n' >"$WORK/stdin-name"
run setsid -w "$DLC" push -e sandbox dynamo-customers-to-s3-raw <"$WORK/stdin-name"
expect_status "the name on stdin is not a confirmation (stdin may be a payload)" 1
run setsid -w "$DLC" push -e sandbox dynamo-customers-to-s3-raw --confirm alpha </dev/null
expect_status "a wrong name is refused" 1
expect_contains "the wrong name is quoted" "'alpha' is not the environment's name: nothing deployed to sandbox" "$ERR"
expect_equal "refusals sent nothing" "$n_before" "$(count_op UpdateFunctionCode)"
run setsid -w "$DLC" push -e sandbox dynamo-customers-to-s3-raw --confirm sandbox </dev/null
expect_status "the right name deploys" 0
expect_contains "sandbox deployed" "dynamo-customers-to-s3-raw: deployed to datalake-sandbox-dynamo-customers-to-s3-raw" "$OUT"
expect_equal "sandbox has the local zip" "$(zip_sha "$ZIPDIR/dynamo-customers-to-s3-raw.zip")" \
	"$(deployed_sha datalake-sandbox-dynamo-customers-to-s3-raw sandbox)"
touch_source dynamo-customers-to-s3-raw
run setsid -w "$DLC" push -e sandbox dynamo-customers-to-s3-raw --dry-run </dev/null
expect_status "a dry run needs no confirmation" 0
expect_contains "the dry run says the policy" "deploy = confirm in sandbox" "$OUT"

# --- on a terminal: the name typed back on /dev/tty, one progress line ---
. "$SRCDIR/tests/e2e/tmux.sh"
touch_source dynamo-customers-to-s3-raw
console_start 160 30 push -e sandbox dynamo-customers-to-s3-raw
wait_for "confirm asks on the terminal" "Type the environment's name to go on:"
send "sandbox" Enter
wait_for "the typed name deploys" "dynamo-customers-to-s3-raw: deployed to datalake-sandbox-dynamo-customers-to-s3-raw" 30
tty_screen=$(screen)
expect_contains "ended steps stay on record" "dynamo-customers-to-s3-raw wait: done, LastUpdateStatus Successful" "$tty_screen"
expect_not_contains "the polls were one line redrawn, not a line each" "InProgress, poll 1" "$tty_screen"
touch_source dynamo-customers-to-s3-raw
n_before=$(count_op UpdateFunctionCode)
console_start 160 30 push -e sandbox dynamo-customers-to-s3-raw
wait_for "confirm asks again" "Type the environment's name to go on:"
send "alpha" Enter
wait_for "a wrong name typed is refused" "'alpha' is not the environment's name: nothing deployed to sandbox"
expect_equal "nothing was sent" "$n_before" "$(count_op UpdateFunctionCode)"
console_stop

# --- usage and unknown names ---
run "$DLC" push -e alpha no-such-function
expect_status "an unknown function fails" 1
expect_contains "it names the function" "no function 'no-such-function'" "$ERR"
run "$DLC" push -e alpha flattenjson
expect_contains "a layer is sent to dlc layer" "publish it with dlc layer publish -e alpha flattenjson" "$ERR"

finish
