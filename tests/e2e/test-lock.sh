#!/bin/sh
# The team lock against fakeaws's DynamoDB, lease 2 s: the real lease
# (lease.c through tests/e2e/lease-hold, as the queue takes it) acquires,
# renews, makes a second holder wait with what it waits for, is taken over
# only after its holder is SIGKILLed and a lease has passed, keeps working
# with machine clocks 10 minutes off either way, and is released; dlc lock
# ls tells alive from expired by watching the version itself, and dlc lock
# break is confirmed, refused while alive, and journalled.
. "$(dirname "$0")/lib.sh"

HOLD="$BUILDDIR/tests/e2e/lease-hold"
AWS=/usr/bin/aws
export USER=tester
export XDG_STATE_HOME="$WORK/state"

start_fakeaws
write_static_profiles
write_dlc_ini
sed -i 's/^\[env alpha\]$/&\nlock-table = dlc-locks\nlock-lease = 2/' "$WORK/dlc.ini"

"$AWS" --endpoint-url "$ENDPOINT" --profile alpha --region eu-west-1 \
	dynamodb create-table --table-name dlc-locks \
	--attribute-definitions AttributeName=key,AttributeType=S \
	--key-schema AttributeName=key,KeyType=HASH \
	--billing-mode PAY_PER_REQUEST >"$WORK/create" 2>&1
expect_contains "the lock table is created" "dlc-locks" "$(cat "$WORK/create")"

PIDS=
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
[ -n "$FAKETIME_LIB" ] || { echo "libfaketime is missing (scripts/install-deps.sh installs faketime)"; exit 1; }
# hold NAME JOB SECONDS [faketime offset]: a holder in the background.
hold() {
	if [ -n "${4:-}" ]; then
		# libfaketime itself, not faketime(1), which forks: the pid
		# killed must be the holder's. Under ASan it comes second.
		LD_PRELOAD=$FAKETIME_LIB FAKETIME="$4" \
			ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
			"$HOLD" alpha "$2" "$3" \
			>"$WORK/$1.out" 2>"$WORK/$1.err" &
	else
		"$HOLD" alpha "$2" "$3" >"$WORK/$1.out" 2>"$WORK/$1.err" &
	fi
	eval "PID_$1=$!"
	PIDS="$PIDS $!"
}
# wait_for NAME TEXT SECONDS: until NAME's output has TEXT; 0 if it did.
wait_for() {
	_i=0
	while [ $_i -lt $(($3 * 20)) ]; do
		grep -q "$2" "$WORK/$1.out" 2>/dev/null && return 0
		sleep 0.05
		_i=$((_i + 1))
	done
	return 1
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
trap 'for p in $PIDS; do kill -9 $p 2>/dev/null; done; cleanup' EXIT INT TERM

# Errors name the thing, the cause and the fix.
run "$DLC" lock ls -e sandbox
expect_status "lock ls of an environment without a lock-table fails" 1
expect_contains "it says so, and the key to add" "add lock-table = NAME to [env sandbox]" "$ERR"
sed -i 's/^\[env sandbox\]$/&\nlock-table = no-such-table/' "$WORK/dlc.ini"
run "$DLC" lock ls -e sandbox
expect_status "lock ls of a missing table fails" 1
expect_contains "with DynamoDB's error" "ResourceNotFoundException" "$ERR"
expect_contains "naming the table" "no-such-table" "$ERR"
run "$DLC" lock break j1
expect_status "lock break without -e is a usage error" 2
run "$DLC" lock frob
expect_status "an unknown lock subcommand is a usage error" 2
run "$DLC" lock ls
expect_status "lock ls of every environment fails when one table is missing" 1
sed -i '/^lock-table = no-such-table$/d' "$WORK/dlc.ini"

run "$DLC" lock ls -e alpha
expect_status "lock ls with no lock exits 0" 0
expect_equal "lock ls lists nothing" "" "$OUT"

# A holder takes it.
hold a j1aaaaaa 0
wait_for a "^acquired " 10 && pass "the first holder acquires" || fail "the first holder acquires" "$(cat "$WORK/a.out" "$WORK/a.err")"
run "$DLC" lock ls -e alpha -o json
expect_status "lock ls exits 0" 0
"$PYTHON3" - "$WORK/out" >"$WORK/check" 2>&1 <<'PY'
import json, sys
locks = json.load(open(sys.argv[1]))["Locks"]
assert len(locks) == 1, locks
l = locks[0]
assert l["Key"] == "special#alpha" and l["Job"] == "j1aaaaaa", l
assert l["Holder"].startswith("tester@") and l["Function"] == "mambu-to-s3-raw", l
assert l["Commit"] == "abc1234" and l["LeaseMs"] == 2000 and l["State"] == "alive", l
print("ok")
PY
expect_equal "lock ls: the holder, its job, commit, lease, alive" "ok" "$(cat "$WORK/check")"

# A break is always confirmed, and refused while the lease is alive.
run "$DLC" lock break -e alpha j1aa --confirm sandbox
expect_status "a break with the wrong name typed back fails" 1
expect_contains "it says which name" "not alpha" "$ERR"
run "$DLC" lock break -e alpha j1aa --confirm alpha
expect_status "a break of a live lease is refused" 1
expect_contains "it says the lease is alive" "LeaseAlive" "$ERR"
expect_contains "and what to do" "dlc queue cancel j1aaaaaa" "$ERR"

# A second holder waits, saying for what, and does not take it while renewed.
hold b j2bbbbbb 0
wait_for b "^waiting " 10 && pass "the second holder waits" || fail "the second holder waits" "$(cat "$WORK/b.out" "$WORK/b.err")"
expect_contains "it says what it waits for" \
	"waiting special deploy of mambu-to-s3-raw to alpha by tester@" "$(cat "$WORK/b.out")"
expect_contains "with the lease left" "s left)" "$(cat "$WORK/b.out")"
sleep 5
expect_not_contains "no takeover while the holder renews (2.5 leases)" "acquired" "$(cat "$WORK/b.out")"

# The holder is killed: the waiter takes over a lease after the last renewal.
kill -9 "$PID_a"
t0=$(now_ms)
wait_for b "^acquired " 10 && pass "the waiter takes over a SIGKILLed holder's lock" || fail "the waiter takes over" "$(cat "$WORK/b.out")"
MS=$(( $(now_ms) - t0 ))
expect_ms_between "not before the lease ran out, not long after" 1300 4500
expect_contains "the first holder never saw a loss (it was killed)" "acquired" "$(cat "$WORK/a.out")"

# Killed too: dlc lock ls watches a whole lease and calls it expired.
kill -9 "$PID_b"
run_timed "$DLC" lock ls -e alpha -o json
expect_status "lock ls of a dead holder exits 0" 0
expect_contains "its lock is expired" '"State":"expired"' "$(squash "$OUT")"
expect_contains "the item is the second holder's" '"Job":"j2bbbbbb"' "$(squash "$OUT")"
expect_ms_between "ls watched it for a whole lease first" 2000 8000

# Broken: confirmed, watched a lease, deleted on its version, journalled.
VERSION=$("$PYTHON3" -c 'import json,sys; print(json.load(open(sys.argv[1]))["Locks"][0]["Version"])' "$WORK/out")
run_timed "$DLC" lock break -e alpha special#alpha --confirm alpha
expect_status "a break of an expired lease succeeds" 0
expect_contains "it says what it broke" "broke the lock special#alpha in alpha (held by tester@" "$OUT"
expect_ms_between "after watching it for a lease" 2000 8000
run "$DLC" lock ls -e alpha
expect_equal "the lock is gone" "" "$OUT"
JOURNAL=$(cat "$XDG_STATE_HOME"/dlc/journal/*.jsonl 2>/dev/null)
expect_contains "the break is journalled" '"ev":"lock-break"' "$JOURNAL"
expect_contains "with the version broken" "\"version\":\"$VERSION\"" "$JOURNAL"
expect_contains "with the table and the key" '"table":"dlc-locks","key":"special#alpha"' "$JOURNAL"
expect_contains "with the broken lease's job" '"job":"j2bbbbbb"' "$JOURNAL"

# Clocks 10 minutes fast and slow change nothing.
hold fast j3cccccc 0 "+10m"
wait_for fast "^acquired " 10 && pass "a holder 10 minutes fast acquires" || fail "a holder 10 minutes fast acquires" "$(cat "$WORK/fast.out" "$WORK/fast.err")"
run "$DLC" lock ls -e alpha -o json
"$PYTHON3" - "$WORK/out" >"$WORK/check" 2>&1 <<'PY'
import calendar, json, sys, time
l = json.load(open(sys.argv[1]))["Locks"][0]
skew = calendar.timegm(time.strptime(l["Since"], "%Y-%m-%dT%H:%M:%SZ")) - time.time()
assert 540 < skew < 660, (l, skew)
print("ok")
PY
expect_equal "its clock really is 10 minutes fast (the item's since)" "ok" "$(cat "$WORK/check")"
hold slow j4dddddd 0 "-10m"
wait_for slow "^waiting " 10 && pass "a waiter 10 minutes slow waits" || fail "a waiter 10 minutes slow waits" "$(cat "$WORK/slow.out" "$WORK/slow.err")"
sleep 4
expect_not_contains "the slow waiter does not take a renewed lock" "acquired" "$(cat "$WORK/slow.out")"
expect_not_contains "the fast holder keeps it" "lost" "$(cat "$WORK/fast.out")"
kill -9 "$PID_fast"
t0=$(now_ms)
wait_for slow "^acquired " 10 && pass "the slow waiter takes over the dead fast holder" || fail "the slow waiter takes over" "$(cat "$WORK/slow.out")"
MS=$(( $(now_ms) - t0 ))
expect_ms_between "a lease after, by its own clock" 1300 4500
kill -TERM "$PID_slow"
wait_for slow "^released" 10 && pass "SIGTERM releases it" || fail "SIGTERM releases it" "$(cat "$WORK/slow.out")"

# Released: the next takes it at once, not a lease later.
hold c j5eeeeee 2
wait_for c "^acquired " 10 && pass "a holder acquires a released lock" || fail "a holder acquires a released lock" "$(cat "$WORK/c.out")"
hold d j6ffffff 0
wait_for d "^waiting " 10
wait_for c "^released" 10 && pass "it releases after its 2 s" || fail "it releases" "$(cat "$WORK/c.out")"
t0=$(now_ms)
wait_for d "^acquired " 10
MS=$(( $(now_ms) - t0 ))
expect_ms_between "the waiter takes a released lock within a poll" 0 1500
kill -TERM "$PID_d"
wait_for d "^released" 10
run "$DLC" lock ls -e alpha
expect_equal "nothing left behind" "" "$OUT"

finish
