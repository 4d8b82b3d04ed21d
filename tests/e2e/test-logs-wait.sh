#!/bin/sh
# dlc logs -f on a function that has never run: its log group does not
# exist yet, so there is nothing to fail on but also nothing to read. The
# console waits for the group (issue 14); the CLI used to exit 1 with
# ResourceNotFoundException, which is useless to someone who starts a
# follow and then invokes the function. It now says it waits, asks again
# on its own, and prints the events once the group exists. Without -f
# there is nothing to wait for: a missing group stays an error.
. "$(dirname "$0")/lib.sh"

# wait_file FILE TEXT SECONDS: until FILE contains TEXT; 0 when it did.
wait_file() {
	_n=0
	while [ $_n -lt $(($3 * 10)) ]; do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		_n=$((_n + 1))
	done
	return 1
}

start_fakeaws --extra-functions 1
write_static_profiles
write_dlc_ini
FN=datalake-alpha-gen-0001

run "$DLC" logs -e alpha "$FN" --since 1h
expect_status "without -f a missing group is still an error (exit 1)" 1
expect_contains "and names the cause" "ResourceNotFoundException" "$ERR"

"$DLC" logs -e alpha "$FN" -f --idle-exit 15 --format short \
	>"$WORK/fout" 2>"$WORK/ferr" &
pid=$!
if wait_file "$WORK/ferr" "waiting for log group /aws/lambda/$FN" 10; then
	pass "-f on a missing group says it waits, naming the group"
else
	fail "-f on a missing group says it waits, naming the group" "$(cat "$WORK/ferr")"
fi
expect_contains "and why a group can be missing" "has not run since it was created" "$(cat "$WORK/ferr")"
if kill -0 $pid 2>/dev/null; then
	pass "-f keeps running while it waits"
else
	fail "-f keeps running while it waits" "$(cat "$WORK/ferr")"
fi
put_event "/aws/lambda/$FN" "first words of gen-0001"
if wait_file "$WORK/fout" "first words of gen-0001" 25; then
	pass "once the group exists its events are printed"
else
	fail "once the group exists its events are printed" "$(cat "$WORK/ferr")"
fi
expect_contains "and the end of the wait is said" "log group /aws/lambda/$FN is there" "$(cat "$WORK/ferr")"
kill $pid 2>/dev/null
wait $pid
expect_not_contains "no error was printed" "ResourceNotFound" "$(cat "$WORK/ferr")"

finish
