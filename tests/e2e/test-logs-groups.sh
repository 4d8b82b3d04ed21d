#!/bin/sh
# Where dlc logs reads: a function named by its local folder, its AWS
# name, or a name through the environment's function-name template all
# reach the function's LoggingConfig.LogGroup; --group follows a log
# group as it is, also one whose function is gone (a retired function's
# group keeps its events in AWS).
. "$(dirname "$0")/lib.sh"

check() { "$PYTHON3" "$SRCDIR/tests/e2e/logcheck.py" "$ENDPOINT" "$@"; }
now_ms() { "$PYTHON3" -c 'import time; print(int(time.time() * 1000))'; }
G1=/aws/lambda/datalake-alpha-mambu-to-s3-raw
GQ=/aws/lambda/datalake-alpha-quicksight-authors-datasets-to-s3-curated
GONE=/aws/lambda/datalake-alpha-retired-importer

start_fakeaws --log-events-per-function 200
write_static_profiles
write_dlc_ini
t=$(now_ms)
since=$((t - 3 * 3600 * 1000))

run "$DLC" logs -e alpha mambu-to-s3-raw --since 3h --format json
expect_status "a local folder's name: exits 0" 0
expect_equal "a local folder's name reads its function's group" "ok" "$(check "$WORK/out" $since "$t" "$G1" 2>/dev/null)"
run "$DLC" logs -e alpha datalake-alpha-mambu-to-s3-raw --since 3h --format json
expect_status "an AWS name: exits 0" 0
expect_equal "an AWS name reads the same group" "ok" "$(check "$WORK/out" $since "$t" "$G1" 2>/dev/null)"
# No folder has this name: only the template makes it a function's.
run "$DLC" logs -e alpha quicksight-authors-datasets-to-s3-curated --since 3h --format json
expect_status "a name through the template: exits 0" 0
expect_equal "a name through the template reads its function's group" "ok" "$(check "$WORK/out" $since "$t" "$GQ" 2>/dev/null)"

# A group whose function was deleted: its events stay; no function answers.
"$PYTHON3" -c 'import json,sys,urllib.request
evs = [{"timestamp": int(sys.argv[3]) - 60000 + i, "message": "retired line %d\n" % i} for i in range(5)]
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/logs/put", method="POST",
    data=json.dumps({"account": "alpha", "group": sys.argv[2], "stream": "2026/12/01/[$LATEST]0f", "events": evs}).encode())
urllib.request.urlopen(req).read()' "$ENDPOINT" "$GONE" "$t"
run "$DLC" logs -e alpha retired-importer --since 3h
expect_status "its function is gone: by name it fails with 1" 1
expect_contains "the error says --group follows it" "--group" "$ERR"
run "$DLC" logs -e alpha --group "$GONE" --since 3h --format json
expect_status "--group on a group without a function: exits 0" 0
expect_equal "--group shows its events, each once" "ok" "$(check "$WORK/out" $since "$t" "$GONE" 2>/dev/null)"
expect_contains "--group names the group in NDJSON" "\"logGroupName\":\"$GONE\"" "$OUT"
run "$DLC" logs -e alpha --group "$GONE" mambu-to-s3-raw --since 3h --format short
expect_status "--group and a function together: exits 0" 0
expect_contains "the group is tagged by its name" "$GONE retired line 4" "$OUT"
run "$DLC" logs -e alpha --group /no/such/group --since 3h
expect_status "--group on a missing group fails with 1" 1
expect_contains "and says so" "ResourceNotFoundException" "$ERR"
run "$DLC" logs --help
expect_contains "--help documents --group" "--group LOG-GROUP" "$OUT"

finish
