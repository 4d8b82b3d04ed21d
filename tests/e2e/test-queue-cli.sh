#!/bin/sh
# dlc push through the deploy queue, and dlc queue, against fakeaws, one
# dlc at a time: push queues and waits (job ids in the JSON, the journal's
# jobs in dlc queue), a waiting job says why, --changed is one job per
# changed function, --no-wait returns at once and the jobs still run (dlc
# queue followed until they end), cancel of a running job from another
# process, a job killed mid-wait is listed as interrupted once, verify
# says it deployed, cancel refuses it, retry runs it again, and a failed
# job is retried.
. "$(dirname "$0")/lib.sh"

# Updates settle after 3 s: a job is caught in its wait step.
UPDATE_DELAY_MS=3000
. "$(dirname "$0")/lib-push.sh"
ZIPDIR="$WORK/.dlc/build"
export PATH="$SRCDIR/tests/e2e/standin/bin:$PATH"
export PYTHONPATH="$SRCDIR/tests/e2e/standin/py"
export XDG_STATE_HOME="$WORK/state"
cd "$WORK" || exit 1

deployed_sha() {
	aws_as alpha lambda get-function-configuration \
		--function-name "$1" --query CodeSha256 --output text
}
zip_sha() {
	"$PYTHON3" -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()).digest()).decode())' "$1"
}
touch_source() {
	echo "# changed $(date +%s%N)" >>"$WORK/functions/$1/src/lambda_function.py"
}
# jq-like: a Python expression over the JSON document d read from stdin.
jpy() {
	"$PYTHON3" -c 'import json,sys; d=json.load(sys.stdin); v=eval(sys.argv[1]); print("" if v is None else v)' "$1"
}
# job_field ID FIELD: a job of dlc queue -o json.
job_field() {
	"$DLC" queue -o json 2>/dev/null | jpy "[j for j in d['Jobs'] if j['Id']=='$1'][0].get('$2')"
}
# wait_state ID STATE SECONDS: polls dlc queue until the job is in STATE.
wait_state() {
	_i=0
	while [ "$(job_field "$1" State)" != "$2" ]; do
		_i=$((_i + 1))
		[ $_i -gt $(($3 * 5)) ] && return 1
		sleep 0.2
	done
	return 0
}
# wait_step ID STEP SECONDS: polls until the job runs STEP.
wait_step() {
	_i=0
	while [ "$(job_field "$1" Step)" != "$2" ]; do
		_i=$((_i + 1))
		[ $_i -gt $(($3 * 5)) ] && return 1
		sleep 0.2
	done
	return 0
}

# exited PID SECONDS: polls until PID is gone or a zombie (nobody here
# need reap a detached dlc); 1 if it still runs after SECONDS.
exited() {
	_i=0
	while [ $_i -lt $(($2 * 10)) ]; do
		_st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)
		[ -z "$_st" ] || [ "$_st" = Z ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

# --- push queues, waits, and the journal has the jobs ---
touch_source mambu-to-s3-raw
touch_source salesforce-cases-to-s3-raw
run "$DLC" push -e alpha mambu-to-s3-raw salesforce-cases-to-s3-raw -o json
expect_status "push through the queue exits 0" 0
id1=$(jpy "d['Functions'][0]['Id']" <"$WORK/out")
id2=$(jpy "d['Functions'][1]['Id']" <"$WORK/out")
expect_equal "the first job's id is 8 hex digits" "1" "$(printf '%s' "$id1" | grep -cE '^[0-9a-f]{8}$')"
expect_equal "each function is a job of its own" "1" "$([ "$id1" != "$id2" ] && echo 1)"
expect_equal "results stay in the order named" "mambu-to-s3-raw" "$(jpy "d['Functions'][0]['Local']" <"$WORK/out")"
expect_equal "it deployed" "deployed" "$(jpy "d['Functions'][0]['Outcome']" <"$WORK/out")"
expect_contains "progress still reaches stderr" "mambu-to-s3-raw wait: done, LastUpdateStatus Successful" "$ERR"
expect_equal "AWS has the local zip" "$(zip_sha "$ZIPDIR/mambu-to-s3-raw.zip")" "$(deployed_sha datalake-alpha-mambu-to-s3-raw)"
run "$DLC" queue -o json
expect_status "dlc queue -o json exits 0" 0
expect_equal "dlc queue has the job ended" "ended" "$(job_field "$id1" State)"
expect_equal "with its outcome" "deployed" "$(job_field "$id1" Outcome)"
expect_equal "and its function" "salesforce-cases-to-s3-raw" "$(job_field "$id2" Function)"
expect_equal "and its kind" "code" "$(job_field "$id1" Kind)"
expect_equal "and the step it ended in" "verify" "$(job_field "$id1" Step)"
run "$DLC" queue
expect_status "dlc queue exits 0" 0
expect_contains "the text lists the job" "$id1" "$OUT"
expect_contains "with who queued it" "$(id -un)@" "$OUT"
run "$DLC" queue ls
expect_contains "ls is the default" "$id2" "$OUT"

# --- a waiting job says why ---
sed -i 's/^\[dlc\]$/&\nqueue-parallel = 1/' "$WORK/dlc.ini"
touch_source dynamo-customers-to-s3-raw
touch_source salesforce-cases-to-s3-raw
run "$DLC" push -e alpha dynamo-customers-to-s3-raw salesforce-cases-to-s3-raw
expect_status "one ordinary job at a time still pushes both" 0
expect_contains "the second waits and says why" "salesforce-cases-to-s3-raw: waiting: 1 ordinary job running" "$ERR"
expect_contains "both deployed" "salesforce-cases-to-s3-raw: deployed to" "$OUT"
sed -i '/^queue-parallel = 1$/d' "$WORK/dlc.ini"
# Two special functions: the second waits for the first, and says so.
touch_source mambu-to-s3-raw
touch_source mambu-datalake-reconciliation
run "$DLC" push -e alpha mambu-to-s3-raw mambu-datalake-reconciliation
expect_status "two special pushes exit 0" 0
expect_contains "the second special job waits for the first" "mambu-datalake-reconciliation: waiting: special deploy of mambu-to-s3-raw to alpha" "$ERR"

# --- --changed: one job per function whose zip differs ---
run "$DLC" push -e alpha --changed --dry-run -o json
expect_status "--changed --dry-run exits 0" 0
n_changed=$(jpy "len(d['Functions'])" <"$WORK/out")
expect_equal "pushed functions are not in the batch" "" "$(jpy "','.join(f['Local'] for f in d['Functions'] if f['Local'] in ('mambu-to-s3-raw','salesforce-cases-to-s3-raw','dynamo-customers-to-s3-raw'))" <"$WORK/out")"
touch_source mambu-to-s3-raw
run "$DLC" push -e alpha --changed --dry-run -o json
expect_equal "a changed source joins the batch" "$((n_changed + 1))" "$(jpy "len(d['Functions'])" <"$WORK/out")"
expect_contains "each a job with an id" "'Id'" "$(jpy "d['Functions'][0].keys()" <"$WORK/out")"
run "$DLC" push -e alpha --changed mambu-to-s3-raw
expect_status "--changed with names is a usage error" 2
# The batch for real: afterwards nothing differs.
run "$DLC" push -e alpha --changed -o json
expect_status "--changed pushes the batch" 0
expect_equal "every job of the batch ended well" "$((n_changed + 1))" "$(jpy "len([f for f in d['Functions'] if f['Outcome'] in ('deployed','unchanged')])" <"$WORK/out")"
run "$DLC" push -e alpha --changed --dry-run -o json
expect_equal "after the batch nothing differs" "0" "$(jpy "len(d['Functions'])" <"$WORK/out")"
# Nothing changed: --no-wait queues nothing and says so.
run "$DLC" push -e alpha --changed --no-wait -o json
expect_status "--changed --no-wait with nothing changed exits 0" 0
expect_contains "it says nothing is to push" "nothing to push" "$ERR"

# --- --no-wait: returns at once, the job still runs ---
touch_source mambu-to-s3-raw
run_timed "$DLC" push -e alpha --no-wait mambu-to-s3-raw -o json
expect_status "--no-wait exits 0" 0
expect_ms_between "--no-wait returns before the 3 s update settles" 0 2500
nw=$(jpy "d['Jobs'][0]['Id']" <"$WORK/out")
nw_pid=$(jpy "d['Pid']" <"$WORK/out")
expect_equal "it names the job it queued" "mambu-to-s3-raw" "$(jpy "d['Jobs'][0]['Name']" <"$WORK/out")"
expect_contains "stderr says how to follow it" "'dlc queue' shows them" "$ERR"
wait_state "$nw" ended 60 && pass "dlc queue sees the detached job end" || fail "dlc queue sees the detached job end" "$("$DLC" queue 2>&1)"
expect_equal "the detached job deployed" "deployed" "$(job_field "$nw" Outcome)"
expect_equal "AWS has the zip the detached job sent" "$(zip_sha "$ZIPDIR/mambu-to-s3-raw.zip")" "$(deployed_sha datalake-alpha-mambu-to-s3-raw)"
# After its end record it releases the machine lock, then exits.
exited "$nw_pid" 5 && pass "the detached dlc exits once its jobs end" || fail "the detached dlc exits once its jobs end" "$(cat "/proc/$nw_pid/stat" 2>&1)"
run "$DLC" push -e alpha --no-wait mambu-to-s3-raw
expect_status "text --no-wait exits 0" 0
expect_equal "text --no-wait prints ID NAME" "1" "$(printf '%s\n' "$OUT" | grep -cE '^[0-9a-f]{8} mambu-to-s3-raw$')"
wait_state "$(printf '%s' "$OUT" | cut -d' ' -f1)" ended 60 || fail "the second detached job ends"

# --- dlc layer publish through the queue, --no-wait with --move ---
run "$DLC" layer publish -e alpha flattenjson --no-wait
expect_status "layer --no-wait without --move is a usage error" 2
expect_contains "it says to pass --move" "pass --move all or --move none" "$ERR"
run "$DLC" layer publish -e alpha flattenjson --move none --no-wait -o json
expect_status "layer publish --no-wait exits 0" 0
lj=$(jpy "d['Jobs'][0]['Id']" <"$WORK/out")
wait_state "$lj" ended 60 && pass "the detached publish ends" || fail "the detached publish ends" "$("$DLC" queue 2>&1)"
expect_equal "the publish job is of kind layer" "layer" "$(job_field "$lj" Kind)"
case $(job_field "$lj" Outcome) in
deployed|unchanged) pass "the detached publish ended well" ;;
*) fail "the detached publish ended well" "$(job_field "$lj" Outcome)" ;;
esac

# --- cancel a running job of another process ---
touch_source salesforce-cases-to-s3-raw
run "$DLC" push -e alpha --no-wait salesforce-cases-to-s3-raw -o json
cj=$(jpy "d['Jobs'][0]['Id']" <"$WORK/out")
wait_step "$cj" wait 60 || fail "the job reaches its wait step" "$("$DLC" queue 2>&1)"
run "$DLC" queue cancel "$cj"
expect_status "cancel of a running job exits 0" 0
expect_contains "cancel says who stops it" "cancel requested" "$OUT"
wait_state "$cj" ended 30 && pass "the cancelled job ends" || fail "the cancelled job ends" "$("$DLC" queue 2>&1)"
expect_equal "its outcome is cancelled" "cancelled" "$(job_field "$cj" Outcome)"
run "$DLC" queue cancel "$cj"
expect_status "cancel of an ended job exits 1" 1
expect_contains "it says the job has ended" "has already ended" "$ERR"
run "$DLC" queue cancel ffffffff
expect_status "an unknown id exits 1" 1
expect_contains "it says how to find ids" "'dlc queue' lists the jobs" "$ERR"

# --- a job killed mid-wait: interrupted, said once, verify, cancel refused, retry ---
touch_source mambu-to-s3-raw
run "$DLC" push -e alpha --no-wait mambu-to-s3-raw -o json
kj=$(jpy "d['Jobs'][0]['Id']" <"$WORK/out")
kpid=$(jpy "d['Pid']" <"$WORK/out")
wait_step "$kj" wait 60 || fail "the job to kill reaches its wait step"
kill -KILL "$kpid"
sleep 0.3
run "$DLC" queue
expect_contains "the next start says the interrupted job" "job $kj (code of mambu-to-s3-raw to alpha, pid $kpid) was interrupted at wait" "$ERR"
expect_contains "with the two commands" "'dlc queue verify $kj'" "$ERR"
expect_contains "and retry" "'dlc queue retry $kj'" "$ERR"
run "$DLC" queue
expect_not_contains "it is said once" "was interrupted" "$ERR"
expect_equal "JSON marks it interrupted" "True" "$(job_field "$kj" Interrupted)"
expect_equal "JSON keeps the step it stopped at" "wait" "$(job_field "$kj" Step)"
run "$DLC" queue cancel "$kj"
expect_status "cancel of an interrupted job exits 1" 1
expect_contains "cancel says to verify or retry" "'dlc queue verify $kj' says whether it deployed" "$ERR"
run "$DLC" queue verify "$kj"
expect_status "verify exits 0" 0
expect_contains "verify says it deployed (the update was sent before the kill)" "job $kj: deployed" "$OUT"
expect_equal "the verified record is in the JSON" "True" "$("$DLC" queue -o json 2>/dev/null | jpy "[j for j in d['Jobs'] if j['Id']=='$kj'][0]['Verified']['Matches']")"
run "$DLC" queue retry "$kj" -o json
expect_status "retry of the interrupted job exits 0" 0
expect_equal "the retry finds it already deployed" "unchanged" "$(jpy "d['Outcome']" <"$WORK/out")"
expect_equal "the retry names the job it retries" "$kj" "$(jpy "d['RetryOf']" <"$WORK/out")"

# --- SIGTERM (or Ctrl-C) cancels the jobs and releases their locks: cancelled, not interrupted ---
touch_source mambu-to-s3-raw
run "$DLC" push -e alpha --no-wait mambu-to-s3-raw -o json
tj=$(jpy "d['Jobs'][0]['Id']" <"$WORK/out")
tpid=$(jpy "d['Pid']" <"$WORK/out")
tlog=$(jpy "d['Log']" <"$WORK/out")
wait_step "$tj" wait 60 || fail "the job to stop reaches its wait step" "$("$DLC" queue 2>&1)"
kill -TERM "$tpid"
exited "$tpid" 15 && pass "the stopped dlc exits" || fail "the stopped dlc exits" "$(cat "/proc/$tpid/stat" 2>&1)"
expect_contains "it says it cancels and releases" "cancelling the jobs and releasing their locks" "$(cat "$tlog")"
expect_equal "its job ended cancelled" "cancelled" "$(job_field "$tj" Outcome)"
expect_equal "not interrupted" "False" "$(job_field "$tj" Interrupted)"
[ -s "$XDG_STATE_HOME/dlc/special.lock" ] && fail "the machine lock is released" "$(cat "$XDG_STATE_HOME/dlc/special.lock")" || pass "the machine lock is released"
run "$DLC" queue
expect_not_contains "the next start finds nothing interrupted" "job $tj" "$ERR"

# --- a failed job retried ---
touch_source salesforce-cases-to-s3-raw
knob datalake-alpha-salesforce-cases-to-s3-raw '"fail_next_update": {"reason": "The role defined for the function cannot be assumed by Lambda.", "code": "InvalidRole"}'
run "$DLC" push -e alpha salesforce-cases-to-s3-raw -o json
expect_status "a failed update exits 1" 1
fj=$(jpy "d['Functions'][0]['Id']" <"$WORK/out")
expect_equal "the journal has it failed" "failed" "$(job_field "$fj" Outcome)"
expect_contains "with its error" "cannot be assumed by Lambda" "$("$DLC" queue -o json 2>/dev/null | jpy "[j for j in d['Jobs'] if j['Id']=='$fj'][0]['Error']['Message']")"
run "$DLC" queue retry "$fj" -o json
expect_status "retry of the failed job exits 0" 0
# fakeaws, as Lambda, keeps the failed update's code: the retry may find it there.
case $(jpy "d['Outcome']" <"$WORK/out") in
deployed|unchanged) pass "the retry ended well" ;;
*) fail "the retry ended well" "$OUT" ;;
esac
expect_equal "the retry is a new job of the same function" "salesforce-cases-to-s3-raw" "$(jpy "d['Local']" <"$WORK/out")"
expect_equal "AWS has the local zip" "$(zip_sha "$ZIPDIR/salesforce-cases-to-s3-raw.zip")" "$(deployed_sha datalake-alpha-salesforce-cases-to-s3-raw)"
run "$DLC" queue retry "$id1"
expect_status "a deployed job is not retried" 1
expect_contains "it says what deploys anew" "dlc push -e alpha mambu-to-s3-raw" "$ERR"

finish
