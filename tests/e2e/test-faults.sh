#!/bin/sh
# Faults on the wire: with 20% of requests answered by throttling, 500,
# 503, a reset connection, a stall or a truncated body, dlc ls still
# returns the complete list (standard retry mode, 3 attempts). The fault
# draws are seeded, so a run is reproducible; several seeds are tried.
. "$(dirname "$0")/lib.sh"

want=$(seed_value count alpha 230)
for seed in 1 2 3; do
	start_fakeaws --extra-functions 230 --faults 0.2 --fault-seed "$seed" --stall-seconds 1
	write_static_profiles
	write_dlc_ini
	run "$DLC" ls -e alpha -o json
	expect_status "seed $seed: ls exits 0 through 20% faults" 0
	got=$("$PYTHON3" -c 'import json,sys; f=json.load(open(sys.argv[1]))["Functions"]; print(len(set(x["FunctionName"] for x in f)) if len(f)==len(set(x["FunctionName"] for x in f)) else -1)' "$WORK/out" 2>/dev/null)
	expect_equal "seed $seed: the complete list, no duplicates" "$want" "$got"
done

# Throttling on every request: it gives up after 3 attempts with AWS's code.
start_fakeaws --faults throttle=1.0
write_static_profiles
write_dlc_ini
run "$DLC" ls -e alpha
expect_status "persistent throttling fails with 1" 1
expect_contains "the throttling code is shown" "TooManyRequestsException" "$ERR"

# Nothing listening: a clear transport error, not a hang.
stop_fakeaws
run "$DLC" ls -e alpha
expect_status "a dead endpoint fails with 1" 1
expect_contains "a dead endpoint says what to check" "network" "$ERR"

finish
