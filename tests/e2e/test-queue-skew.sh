#!/bin/sh
# Issue 16, done means: a team member whose machine's clock runs 10
# minutes fast or slow (faketime) takes the team lease and keeps it
# through a job longer than the lease (renewing it), and waits for another
# member's lease correctly: neither trusts the other's clock, so their
# special jobs never overlap and neither loses its lease.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-queue.sh"
lock_table
member ana "lock-table = $LOCK_TABLE" "lock-lease = 2"
member bo "lock-table = $LOCK_TABLE" "lock-lease = 2"
# Each special's update stays InProgress 3 s: a job outlives its 2 s lease.
for f in $SPECIALS; do knob "$(remote "$f")" '"update_delay_ms": 3000'; done

# queue_json MEMBER EXPR: EXPR over the member's dlc queue -o json.
queue_json() {
	as_member "$1" "$DLC" queue -o json 2>/dev/null | jpy "$2"
}

# queued MEMBER ID: when the member's dlc stamped the job queued (epoch s).
queued() {
	queue_json "$1" "__import__('calendar').timegm(__import__('time').strptime([j['Queued'] for j in d['Jobs'] if j['Id'] == '$2'][0][:19], '%Y-%m-%dT%H:%M:%S'))"
}

# libfaketime is preloaded, so under ASan it comes second in the library
# list: a skewed dlc tells ASan that is meant.
SKEW_ASAN="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# round SKEW FIRST FIRST-FN SECOND SECOND-FN: FIRST starts its special,
# SECOND starts its own once FIRST's build runs; whoever is ana runs
# under faketime SKEW.
round() {
	_skew=$1
	: >"$TIMES"
	touch_source "$3"
	touch_source "$5"
	_renewals=$(count_op DynamoDB_20120810.UpdateItem)
	if [ "$2" = ana ]; then
		start_member ana env "$SKEW_ASAN" faketime -f "$_skew" "$DLC" push -e alpha "$3" -o json
	else
		start_member bo "$DLC" push -e alpha "$3" -o json
	fi
	_first=$BG
	wait_until 60 started "$3" || fail "$2's build starts ($_skew)" "$(cat "$WORK/$2.err")"
	if [ "$4" = ana ]; then
		start_member ana env "$SKEW_ASAN" faketime -f "$_skew" "$DLC" push -e alpha "$5" -o json
	else
		start_member bo "$DLC" push -e alpha "$5" -o json
	fi
	_second=$BG
	wait "$_first"
	expect_equal "$2 ($3, ana's clock $_skew) exits 0" 0 $?
	wait "$_second"
	expect_equal "$4 ($5, ana's clock $_skew) exits 0" 0 $?
	expect_equal "$3 deployed" deployed "$(jpy "d['Functions'][0]['Outcome']" <"$WORK/$2.out")"
	expect_equal "$5 deployed" deployed "$(jpy "d['Functions'][0]['Outcome']" <"$WORK/$4.out")"
	# dlc itself ran on the skewed clock: the two jobs, queued seconds
	# apart, are stamped about 10 minutes apart.
	_qa=$(queued ana "$(jpy "d['Functions'][0]['Id']" <"$WORK/ana.out")")
	_qb=$(queued bo "$(jpy "d['Functions'][0]['Id']" <"$WORK/bo.out")")
	_d=$((_qa - _qb))
	case $_skew in -*) _d=$((-_d)) ;; esac
	[ "$_d" -gt 500 ] && [ "$_d" -lt 700 ] && pass "ana's dlc ran on a clock $_skew off ($((_qa - _qb)) s)" ||
		fail "ana's dlc ran on a clock $_skew off" "$((_qa - _qb)) s"
	expect_one_at_a_time "ana's clock $_skew, $2 first: the two specials never overlap" "$3" "$5"
	_s1=$(qtimes start "$TIMES" "$(remote "$3")")
	_s2=$(qtimes start "$TIMES" "$(remote "$5")")
	[ "$_s1" -lt "$_s2" ] && pass "ana's clock $_skew: $2 kept the lease, $4 went second" ||
		fail "ana's clock $_skew: $2 kept the lease, $4 went second" "$(cat "$TIMES")"
	[ "$(( $(count_op DynamoDB_20120810.UpdateItem) - _renewals ))" -ge 2 ] &&
		pass "ana's clock $_skew: the leases were renewed during the jobs" ||
		fail "ana's clock $_skew: the leases were renewed during the jobs" \
			"$(( $(count_op DynamoDB_20120810.UpdateItem) - _renewals )) UpdateItem"
	expect_equal "ana's clock $_skew: no lease was lost" "" \
		"$(grep -h '"ev":"lock"' "$WORK"/ana/state/dlc/journal/*.jsonl "$WORK"/bo/state/dlc/journal/*.jsonl | grep '"state":"lost"')"
}

for skew in +10m -10m; do
	round "$skew" ana mambu-to-s3-raw bo mambu-datalake-reconciliation
	round "$skew" bo dynamodb-datalake-reconciliation ana mambu-to-s3-raw
done
finish
