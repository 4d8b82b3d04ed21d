#!/bin/sh
# dlc rollback against fakeaws: two pushes keep two packages; rollback
# redeploys the previous one through the queue (a "rollback" job, verified:
# AWS's CodeSha256 read back with the aws CLI), a second rollback returns
# to what the first replaced, --to names a job, --no-wait returns and the
# job still runs, a package no longer kept is refused with the commit to
# build, nothing to go back to is said, and deny refuses.
. "$(dirname "$0")/lib.sh"

UPDATE_DELAY_MS=300
. "$(dirname "$0")/lib-push.sh"
export PATH="$SRCDIR/tests/e2e/standin/bin:$PATH"
export PYTHONPATH="$SRCDIR/tests/e2e/standin/py"
export XDG_STATE_HOME="$WORK/state"
cd "$WORK" || exit 1
FN=mambu-to-s3-raw
REMOTE=datalake-alpha-mambu-to-s3-raw

deployed_sha() {
	aws_as alpha lambda get-function-configuration \
		--function-name "$1" --query CodeSha256 --output text
}
touch_source() {
	echo "# changed $(date +%s%N)" >>"$WORK/functions/$1/src/lambda_function.py"
}
jpy() {
	"$PYTHON3" -c 'import json,sys; d=json.load(sys.stdin); v=eval(sys.argv[1]); print("" if v is None else v)' "$1"
}
job_field() {
	"$DLC" queue -o json 2>/dev/null | jpy "[j for j in d['Jobs'] if j['Id']=='$1'][0].get('$2')"
}

# --- nothing to go back to yet ---
run "$DLC" rollback -e alpha "$FN"
expect_status "rollback with no history exits 1" 1
expect_contains "it says there is no earlier deployment" "no earlier deployment of $FN to alpha" "$ERR"

# --- two deployments, two kept packages ---
touch_source "$FN"
run "$DLC" push -e alpha "$FN" -o json
expect_status "first push exits 0" 0
j1=$(jpy "d['Functions'][0]['Id']" <"$WORK/out")
sha1=$(jpy "d['Functions'][0]['CodeSha256']" <"$WORK/out")
touch_source "$FN"
run "$DLC" push -e alpha "$FN" -o json
expect_status "second push exits 0" 0
j2=$(jpy "d['Functions'][0]['Id']" <"$WORK/out")
sha2=$(jpy "d['Functions'][0]['CodeSha256']" <"$WORK/out")
expect_equal "AWS runs the second" "$sha2" "$(deployed_sha "$REMOTE")"
pkg1=$(job_field "$j1" Package)
[ -n "$pkg1" ] && [ -f "$pkg1" ] && pass "the first push's package is kept" || fail "the first push's package is kept" "package: $pkg1"

# --- rollback: the previous one, through the queue, verified ---
run "$DLC" rollback -e alpha "$FN" -o json
expect_status "rollback exits 0" 0
expect_equal "it redeployed the first push's package" "$sha1" "$(deployed_sha "$REMOTE")"
expect_equal "JSON says which job it rolled back to" "$j1" "$(jpy "d['RollbackOf']" <"$WORK/out")"
expect_equal "it deployed" "deployed" "$(jpy "d['Outcome']" <"$WORK/out")"
rb=$(jpy "d['Id']" <"$WORK/out")
expect_equal "the job is a rollback" "rollback" "$(job_field "$rb" Kind)"
expect_equal "nothing was built: build skipped" "skipped" "$(jpy "[s['State'] for s in d['Steps'] if s['Step']=='build'][0]" <"$WORK/out")"
expect_contains "verify said the CodeSha256" "$sha1" "$(jpy "[s['Detail'] for s in d['Steps'] if s['Step']=='verify'][0]" <"$WORK/out")"
expect_contains "stderr says what it rolls back to" "back to job $j1's package" "$ERR"

# --- a second rollback returns to what the first replaced ---
run "$DLC" rollback -e alpha "$FN"
expect_status "second rollback exits 0" 0
expect_equal "AWS runs the second push's code again" "$sha2" "$(deployed_sha "$REMOTE")"
expect_contains "text says deployed and verified" "$FN: deployed to $REMOTE" "$OUT"

# --- --to a named job (by prefix) ---
run "$DLC" rollback -e alpha "$FN" --to "$(printf '%s' "$j1" | cut -c1-6)"
expect_status "--to exits 0" 0
expect_equal "--to redeployed that job's package" "$sha1" "$(deployed_sha "$REMOTE")"
run "$DLC" rollback -e alpha salesforce-cases-to-s3-raw --to "$j1"
expect_status "--to a job of another function exits 1" 1
expect_contains "it says the job is not that function's deployment" "is not a successful deployment of salesforce-cases-to-s3-raw" "$ERR"

# --- --no-wait ---
run "$DLC" rollback -e alpha "$FN" --to "$j2" --no-wait
expect_status "rollback --no-wait exits 0" 0
nw=$(printf '%s' "$OUT" | cut -d' ' -f1)
i=0
while [ "$(job_field "$nw" State)" != ended ] && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.2; done
expect_equal "the detached rollback deployed" "deployed" "$(job_field "$nw" Outcome)"
expect_equal "AWS runs the named package" "$sha2" "$(deployed_sha "$REMOTE")"

# --- a package no longer kept ---
rm -f "$pkg1"
run "$DLC" rollback -e alpha "$FN" --to "$j1"
expect_status "a package no longer kept exits 1" 1
expect_contains "it says the package is gone" "is no longer kept" "$ERR"
expect_contains "and what to do: build that commit and push" "dlc push -e alpha $FN" "$ERR"
expect_equal "nothing was deployed" "$sha2" "$(deployed_sha "$REMOTE")"

# --- the policy is push's ---
sed -i '/^\[env alpha\]$/,/^\[/ s/^deploy = allow$/deploy = deny/' "$WORK/dlc.ini"
run "$DLC" rollback -e alpha "$FN" --to "$j2"
expect_status "deny refuses a rollback" 1
expect_contains "deny names the rule" "deploy = deny" "$ERR"

finish
