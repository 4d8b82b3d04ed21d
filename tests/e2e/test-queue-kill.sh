#!/bin/sh
# Issue 16, done means: a holder of the team lease killed with SIGKILL.
# Ana's special push is killed while its update is in flight (fakeaws
# holds it InProgress): her lease is not released, it expires, and Bo's
# special job, waiting on it, proceeds only a whole lease after her last
# renewal. Ana's journal shows the interrupted job and 'dlc queue verify'
# reports what AWS really runs: deployed (killed after the upload) or not
# deployed (killed in the build).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-queue.sh"
lock_table
member ana "lock-table = $LOCK_TABLE" "lock-lease = 2"
member bo "lock-table = $LOCK_TABLE" "lock-lease = 2"

deployed_sha() {
	aws_as alpha lambda get-function-configuration --function-name "$1" \
		--query CodeSha256 --output text
}
zip_sha() {
	"$PYTHON3" -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha256(open(sys.argv[1],"rb").read()).digest()).decode())' "$1"
}
# queue_json MEMBER EXPR: EXPR over the member's dlc queue -o json.
queue_json() {
	as_member "$1" "$DLC" queue -o json 2>/dev/null | jpy "$2"
}
bo_waits_for() {
	case "$(queue_json bo "[j['Waiting'] for j in d['Jobs'] if j['State'] == 'waiting'][0]")" in
	*"special deploy of $1 to alpha by"*) return 0 ;;
	esac
	return 1
}
# wait_pid SECONDS PID: waits for PID (killed when it takes longer); its
# status in RC.
wait_pid() {
	wait_until "$1" sh -c "! kill -0 $2" || kill -KILL "$2"
	wait "$2"
	RC=$?
}

# --- killed after the upload, while the update is InProgress ---
knob "$(remote mambu-to-s3-raw)" '"update_delay_ms": 60000'
start_member ana "$DLC" push -e alpha mambu-to-s3-raw
ana=$BG
wait_until 60 sent_code mambu-to-s3-raw && pass "ana's special job sent its code" ||
	fail "ana's special job sent its code" "$(cat "$WORK/ana.err")"
start_member bo "$DLC" push -e alpha mambu-datalake-reconciliation
bo=$BG
wait_until 60 bo_waits_for mambu-to-s3-raw && pass "bo's special waits for ana's lease and says whose" ||
	fail "bo's special waits for ana's lease and says whose" "$(as_member bo "$DLC" queue 2>&1)"
expect_contains "the lock item names ana's job" '"function": {"S": "mambu-to-s3-raw"}' "$(lock_items)"
run as_member bo "$DLC" lock ls -e alpha -o json
expect_equal "dlc lock ls: ana's lease is alive, on her job" "alive mambu-to-s3-raw $(queue_json ana "d['Jobs'][0]['Id']")" \
	"$(jpy "' '.join((d['Locks'][0]['State'], d['Locks'][0]['Function'], d['Locks'][0]['Job']))" <"$WORK/out")"
sleep 1
killed=$(now_ns)
kill -KILL "$ana"
wait "$ana"
wait_pid 90 "$bo"
expect_equal "bo's push ends and exits 0" 0 "$RC"
expect_contains "bo's special deployed" "mambu-datalake-reconciliation: deployed to" "$(cat "$WORK/bo.out")"
bstart=$(qtimes start "$TIMES" "$(remote mambu-datalake-reconciliation)")
gap_ms=$(( (bstart - killed) / 1000000 ))
# Ana renewed every third of the 2 s lease until the kill: bo may take
# over only once his own clock has seen her last version for 2 s.
[ "$gap_ms" -ge 1300 ] && pass "bo's build began a whole lease after ana's last renewal (${gap_ms} ms after the kill)" ||
	fail "bo's build began a whole lease after ana's last renewal" "${gap_ms} ms after the kill"
expect_equal "no lease is left" "" "$(lock_items)"

run as_member ana "$DLC" queue
expect_status "ana's dlc queue exits 0" 0
aj=$(queue_json ana "d['Jobs'][0]['Id']")
expect_contains "ana's next dlc says her job was interrupted in its wait" "job $aj (code of mambu-to-s3-raw to alpha" "$ERR"
expect_contains "at the step it stopped in" "was interrupted at wait" "$ERR"
expect_equal "the journal marks it interrupted at wait" "True wait" \
	"$(queue_json ana "'%s %s' % (d['Jobs'][0]['Interrupted'], d['Jobs'][0]['Step'])")"
run as_member ana "$DLC" queue verify "$aj" -o json
expect_status "verify exits 0" 0
expect_equal "verify: deployed (the update was sent before the kill)" "deployed" "$(jpy "d['Result']" <"$WORK/out")"
expect_equal "verify read what AWS runs" "$(deployed_sha "$(remote mambu-to-s3-raw)")" \
	"$(jpy "d['DeployedCodeSha256']" <"$WORK/out")"
expect_equal "which is ana's zip" "$(zip_sha "$WORK/ana/.dlc/build/mambu-to-s3-raw.zip")" \
	"$(jpy "d['DeployedCodeSha256']" <"$WORK/out")"
knob "$(remote mambu-to-s3-raw)" '"update_delay_ms": null'
knob "$(remote mambu-to-s3-raw)" '"finish_update": true'

# --- killed in its build: nothing sent, and verify says so ---
before=$(deployed_sha "$(remote dynamodb-datalake-reconciliation)")
BUILD_SECONDS=60 make_function dynamodb-datalake-reconciliation true
start_member ana "$DLC" push -e alpha dynamodb-datalake-reconciliation
ana=$BG
wait_until 60 started dynamodb-datalake-reconciliation && pass "ana's second special is building" ||
	fail "ana's second special is building" "$(cat "$WORK/ana.err")"
touch_source mambu-to-s3-raw
start_member bo "$DLC" push -e alpha mambu-to-s3-raw
bo=$BG
wait_until 60 bo_waits_for dynamodb-datalake-reconciliation && pass "bo waits for ana's second lease" ||
	fail "bo waits for ana's second lease" "$(as_member bo "$DLC" queue 2>&1)"
kill -KILL "$ana"
wait "$ana"
wait_pid 90 "$bo"
expect_equal "bo's second push exits 0" 0 "$RC"
expect_contains "bo's special deployed after the lease expired" "mambu-to-s3-raw: deployed to" "$(cat "$WORK/bo.out")"
aj=$(queue_json ana "[j['Id'] for j in d['Jobs'] if j['Function'] == 'dynamodb-datalake-reconciliation'][0]")
expect_equal "the journal marks it interrupted at build" "True build" \
	"$(queue_json ana "[('%s %s' % (j['Interrupted'], j['Step'])) for j in d['Jobs'] if j['Id'] == '$aj'][0]")"
run as_member ana "$DLC" queue verify "$aj" -o json
expect_status "verify exits 0" 0
expect_equal "verify: not deployed (killed before its package)" "not deployed" "$(jpy "d['Result']" <"$WORK/out")"
expect_equal "AWS still runs the code from before" "$before" "$(deployed_sha "$(remote dynamodb-datalake-reconciliation)")"

finish
