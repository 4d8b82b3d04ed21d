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

# An endpoint that accepts the connection and never answers: an attempt
# fails after the read timeout (15 s without a byte), a timeout is tried
# once more, and the error names the endpoint: about 30 s, not 3 minutes.
start_fakeaws --faults stall=1.0 --stall-seconds 600
write_static_profiles
write_dlc_ini
hostport=${ENDPOINT#http://}
run_timed "$DLC" ls -e alpha
expect_status "a silent endpoint fails with 1" 1
expect_contains "a silent endpoint is named in the error" "$hostport" "$ERR"
expect_contains "a silent endpoint is called a timeout" "did not answer in time" "$ERR"
expect_ms_between "a silent endpoint fails, within 35 s" 15000 35000
# Shorter from the command line, and from dlc.ini.
run_timed "$DLC" --read-timeout 2 ls -e alpha
expect_status "--read-timeout 2: fails with 1" 1
expect_ms_between "--read-timeout 2 fails (two 2 s attempts)" 4000 10000
sed -i '/^\[dlc\]/a read-timeout = 1' "$WORK/dlc.ini"
run_timed "$DLC" ls -e alpha
expect_status "dlc.ini read-timeout = 1: fails with 1" 1
expect_ms_between "dlc.ini read-timeout = 1 fails" 2000 7000
run "$DLC" --read-timeout 0 ls -e alpha
expect_status "--read-timeout 0 is refused as usage" 2
expect_contains "--read-timeout 0 says what it wants" "whole seconds" "$ERR"

# Nothing listening: a clear transport error, not a hang.
stop_fakeaws
run "$DLC" ls -e alpha
expect_status "a dead endpoint fails with 1" 1
expect_contains "a dead endpoint says what to check" "network" "$ERR"

finish
