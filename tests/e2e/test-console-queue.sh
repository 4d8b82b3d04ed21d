#!/bin/sh
# The console's queue pane against fakeaws, in tmux: a push shows in the
# strip (with its build's last line) and in the queue view (Q); Enter on
# a job shows its build log lines and its steps; step mode (m) driven key
# by key, n running each step while the view says what the next one will
# do; c cancels and s skips a held job; a push that fails (fakeaws
# fail_next_update) is retried with r; R rolls back to the previous
# deployment's kept package; P pushes every function with local changes,
# one job each; two waiting special jobs (queue paused) are reordered
# with K; a second dlc with the same state folder shows the first one's
# jobs, read from the journal; a dlc killed with a job queued has it
# shown interrupted at the next start, and v verifies it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"

start_fakeaws --log-requests "$WORK/requests.jsonl" --update-delay-ms 300
write_static_profiles
write_dlc_ini
cp -r "$SRCDIR/functions" "$WORK/functions"
sed -i "s|^functions = .*|functions = $WORK/functions|" "$WORK/dlc.ini"
F="$WORK/functions"
SF=salesforce-cases-to-s3-raw
DC=dynamo-customers-to-s3-raw
# A build that takes a moment, so its last line is seen while it runs.
printf 'build = sh -c "echo building cases; sleep 1; echo cases built >&2; sleep 1.5"\n' >>"$F/$SF/function.ini"
# The specials' real builds need a package index: a harmless one each.
for s in mambu-to-s3-raw mambu-datalake-reconciliation; do
	sed -i '/^build = /d' "$F/$s/function.ini"
	printf 'build = sh -c "echo special build of %s"\n' "$s" >>"$F/$s/function.ini"
done

count_op() {
	grep -c "\"operation\": \"$1\"" "$WORK/requests.jsonl" 2>/dev/null || true
}
deployed_sha() {
	AWS_ACCESS_KEY_ID=$(seed_value key alpha) AWS_SECRET_ACCESS_KEY=$(seed_value secret alpha) \
	AWS_DEFAULT_REGION=eu-west-1 /usr/bin/aws --endpoint-url "$ENDPOINT" lambda get-function-configuration \
		--function-name "$1" --query CodeSha256 --output text
}
select_fn() {
	send /
	send -l "$1"
	send Enter
	wait_for "the filter shows $1" "filter: $1"
}
clear_filter() {
	send Escape
	wait_for "the filter is cleared" "functions (alpha) 8/8"
}
# The screen's line number (1-based) of the first line holding TEXT, or 0.
line_of() {
	screen | grep -n -F -- "$1" | head -1 | cut -d: -f1 | grep . || echo 0
}
fail_next_update() {
	"$PYTHON3" - "$ENDPOINT" "$1" <<'PY'
import json, sys, urllib.request
doc = {"function": sys.argv[2], "account": "alpha",
       "fail_next_update": {"reason": "The role defined for the function cannot be assumed by Lambda.",
                            "code": "InvalidRole"}}
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/lambda/function",
                             data=json.dumps(doc).encode(), method="POST")
urllib.request.urlopen(req).read()
PY
}

# --- a push shows in the strip, then in the queue view ---
console_start 160 45 -e alpha
wait_for "alpha's functions open" "functions (alpha) 8/8"
wait_for "the strip is empty at first" "queue empty"
select_fn "$SF"
send p
wait_for "p asks" "push $SF to alpha? (y/n)"
send y Enter
wait_for "the strip shows the push's build step" "push $SF in alpha: build"
wait_for "the strip shows the build's last output line while it runs" "| cases built"
wait_for "the strip shows it deployed" "push $SF in alpha: deployed, verified" 20
send Q
wait_for "Q opens the queue view" "queue: 0 running, 0 waiting, 1 in all"
expect_contains "the queue view lists the job under recent" "recent" "$(screen)"
ID=$(screen | sed -n "s/^ *\([0-9a-f]\{8\}\) push $SF in alpha: deployed.*/\1/p" | head -1)
[ -n "$ID" ] && pass "the queue view shows the job's id ($ID)" || fail "the queue view shows the job's id" "$(screen)"
FIRST_SHA=$(deployed_sha "datalake-alpha-$SF")

# --- Enter: the job's build log and its steps ---
send Enter
wait_for "Enter opens the job" "job $ID: push $SF (alpha)"
wait_for "the job view shows the build log's stdout line" "building cases"
expect_contains "and its stderr line" "cases built" "$(screen)"
expect_contains "the step history lists the upload" "upload   done" "$(screen)"
expect_contains "the step history lists the verify" "verify   done" "$(screen)"
send Escape
wait_for "Esc goes back to the queue view" "queue: 0 running"
send Q
wait_for "Q goes back to the functions" "functions (alpha) 1/8"

# --- the focused strip takes the queue's keys ---
send Tab
send m
wait_for "m in the focused strip turns step mode on" "step mode on"
send m
wait_for "and off" "step mode off"
send Tab
send Enter
wait_for "Tab gave the list its keys back: Enter opens the function" "details: datalake-alpha-$SF"
send Escape
wait_for "back to the functions from the details" "functions (alpha) 1/8"

# --- step mode: n through the steps, the next step said first ---
echo "# step" >>"$F/$SF/src/lambda_function.py"
send Q
wait_for "the queue view again" "queue: "
send m
wait_for "m turns step mode on" "STEP MODE"
send Q
wait_for "back to the functions for p" "functions (alpha) 1/8"
before=$(count_op UpdateFunctionCode)
send p
wait_for "p asks again" "push $SF to alpha? (y/n)"
send y Enter
send Q
wait_for "the held job says its next step: build" "next: build: run 1 build command of $SF"
SID=$(screen | sed -n "s/^ *\([0-9a-f]\{8\}\) push $SF in alpha: waiting.*/\1/p" | head -1)
[ -n "$SID" ] && pass "the held job waits in step mode ($SID)" || fail "the held job waits in step mode" "$(screen)"
expect_contains "the strip says step mode too" "queue  STEP MODE" "$(screen)"
send n
wait_for "n builds; the view says the next is scan" "next: scan: look for secrets" 20
send n
wait_for "n scans; the view says the next is upload, before it sends" "next: upload: send" 20
expect_equal "nothing sent before n on upload" "$before" "$(count_op UpdateFunctionCode)"
send n
wait_for "n uploads; the view says the next is wait" "next: wait: poll LastUpdateStatus" 20
expect_equal "the upload n ran sent the code" "$((before + 1))" "$(count_op UpdateFunctionCode)"
send n
wait_for "n waits; the view says the next is verify" "next: verify: compare the deployed CodeSha256" 20
send n
wait_for "n on verify ends the job deployed" "$SID push $SF in alpha: deployed, verified" 20
SECOND_SHA=$(deployed_sha "datalake-alpha-$SF")


# --- c cancels a held job ---
send Q
wait_for "back to the functions" "functions (alpha) 1/8"
clear_filter
select_fn "$DC"
send p
wait_for "p asks for $DC" "push $DC to alpha? (y/n)"
send y Enter
send Q
wait_for "the held job shows its next step" "next: build: zip $DC"
send c
wait_for "c cancels it" "push $DC in alpha: cancelled" 15
expect_equal "a cancelled job sends nothing" "$((before + 1))" "$(count_op UpdateFunctionCode)"
# --- s skips the rest of a held job ---
send Q
wait_for "to the functions for s" "functions (alpha) 1/8"
send p
wait_for "p asks for $DC again" "push $DC to alpha? (y/n)"
send y Enter
send Q
wait_for "the new held job shows its next step" "waiting, "
wait_for "its next step is said" "next: build: zip $DC"
send s
wait_for "s ends it with its remaining steps skipped" "push $DC in alpha: skipped" 15
expect_equal "a skipped job sends nothing" "$((before + 1))" "$(count_op UpdateFunctionCode)"
send m
wait_for "m turns step mode off" "step mode off"

# --- r retries a failed push ---
fail_next_update "datalake-alpha-$SF"
echo "# fail" >>"$F/$SF/src/lambda_function.py"
send Q
wait_for "to the functions" "functions (alpha) 1/8"
clear_filter
select_fn "$SF"
send p
wait_for "p asks before the failing push" "push $SF to alpha? (y/n)"
send y Enter
wait_for "the push fails with the update's reason" "LastUpdateStatus is Failed" 20
send Q
wait_for "Q opens the queue view after the failure" "waiting, "
wait_for "the queue view shows the failure" "push $SF in alpha: WaiterFailure"
wait_for "the view shows the failure's reason under it" "cannot be assumed by Lambda"
FID=$(screen | sed -n "s/^ *\([0-9a-f]\{8\}\) push $SF in alpha: WaiterFailure.*/\1/p" | head -1)
before=$(count_op UpdateFunctionCode)
# The failed job is the newest ended one: the first row, which g selects.
send g
send r
# The failed update left the new code in place (as Lambda does), so the
# retry's upload finds it deployed: unchanged, and verified.
wait_for "r retries the failed job (same id) from its upload, which finds the code there" \
	"$FID push $SF in alpha: unchanged" 25
expect_not_contains "the retried job no longer shows the failure" "WaiterFailure" "$(screen)"

# --- R rolls back to the previous deployment's kept package ---
# What runs is the failed push's code (kept by the retry), so the
# deployment before it is the step-mode push's, as dlc rollback chooses;
# the first push is further back.
send Q
wait_for "to the functions for R" "functions (alpha) 1/8"
expect_not_contains "what is deployed is not the step-mode push's code" "$SECOND_SHA" "$(deployed_sha "datalake-alpha-$SF")"
expect_not_contains "nor the first push's" "$FIRST_SHA" "$(deployed_sha "datalake-alpha-$SF")"
send R
wait_for "R asks, naming the job it goes back to" "roll $SF in alpha back to job $SID"
send y Enter
wait_for "the rollback is queued" "rollback of $SF in alpha to job $SID queued"
wait_for "the strip shows the rollback deployed and verified" "rollback $SF in alpha: deployed, verified" 25
expect_equal "AWS runs the step-mode push's code again" "$SECOND_SHA" "$(deployed_sha "datalake-alpha-$SF")"

# --- P pushes every function with local changes, one job each ---
clear_filter
select_fn "$DC"
send b
wait_for "b builds $DC" "built "
send Escape
wait_for "back from the build view" "functions (alpha) 1/8"
clear_filter
wait_for "$DC shows local changes" "local changes"
send P
wait_for "P asks once for the batch" "push 2 with local changes ("
expect_contains "the batch names $SF" "$SF" "$(screen | tail -1)"
expect_contains "the batch names $DC" "$DC" "$(screen | tail -1)"
before=$(count_op UpdateFunctionCode)
send y Enter
wait_for "P queues one job per function" "queued 2 pushes to alpha"
wait_for "the batch's $DC push deploys" "push $DC in alpha: deployed, verified" 25
wait_for "the batch's $SF push deploys" "push $SF in alpha: deployed, verified" 25
expect_equal "two UpdateFunctionCode sent" "$((before + 2))" "$(count_op UpdateFunctionCode)"
send Q
wait_for "the queue view again after the batch" "queue: "

# --- K reorders two waiting specials ---
send p
wait_for "p pauses the queue" "PAUSED"
send Q
wait_for "to the functions for the specials" "functions (alpha) 8/8"
for s in mambu-to-s3-raw mambu-datalake-reconciliation; do
	select_fn "$s"
	send p
	wait_for "p asks for $s" "push $s to alpha? (y/n)"
	send y Enter
	wait_for "$s is queued" "$s queued for alpha"
	clear_filter
done
send Q
wait_for "both specials wait" "push mambu-datalake-reconciliation in alpha: waiting"
a=$(line_of "push mambu-to-s3-raw in alpha: waiting")
b=$(line_of "push mambu-datalake-reconciliation in alpha: waiting")
[ "$a" -gt 0 ] && [ "$a" -lt "$b" ] && pass "in the order queued ($a < $b)" || fail "in the order queued" "$(screen)"
send g j
send K
moved=0
end=$(( $(date +%s) + 10 ))
while [ "$(date +%s)" -le "$end" ]; do
	a=$(line_of "push mambu-to-s3-raw in alpha: waiting")
	b=$(line_of "push mambu-datalake-reconciliation in alpha: waiting")
	[ "$b" -gt 0 ] && [ "$b" -lt "$a" ] && { moved=1; break; }
	sleep 0.05
done
[ $moved = 1 ] && pass "K moves the second special above the first" || fail "K moves the second special above the first" "$(screen)"

# --- a second dlc on the machine shows the first one's jobs ---
tmx new-session -d -s dlc2 -x 160 -y 45 \
	env HOME="$HOME" AWS_CONFIG_FILE="$AWS_CONFIG_FILE" \
	AWS_SHARED_CREDENTIALS_FILE="$AWS_SHARED_CREDENTIALS_FILE" DLC_CONFIG="$DLC_CONFIG" \
	DLC_THEMES_DIR="$SRCDIR/themes" LC_ALL=C.UTF-8 TERM=tmux-256color "$DLC" -e alpha
screen2() { tmx capture-pane -p -t dlc2; }
end=$(( $(date +%s) + 15 )); seen=0
while [ "$(date +%s)" -le "$end" ]; do
	case "$(screen2)" in *"push mambu-datalake-reconciliation in alpha: waiting"*) seen=1; break ;; esac
	sleep 0.1
done
[ $seen = 1 ] && pass "the second dlc's strip shows the first one's waiting job" || fail "the second dlc's strip shows the first one's waiting job" "$(screen2)"
expect_contains "marked as another dlc's" "pid " "$(screen2 | grep -F 'mambu-datalake-reconciliation in alpha')"
tmx kill-session -t dlc2

# Cancel both specials: they would deploy once resumed.
send g
send c
wait_for "the first special is cancelled" "push mambu-datalake-reconciliation in alpha: cancelled" 15
send g
send c
wait_for "the second special is cancelled" "push mambu-to-s3-raw in alpha: cancelled" 15
wait_for "the specials are cancelled" "push mambu-datalake-reconciliation in alpha: cancelled" 15

# --- a dlc killed with a job queued: the next start shows it interrupted ---
send Q
wait_for "to the functions, still paused" "functions (alpha) 8/8"
select_fn "$DC"
send p
wait_for "p asks for a push that will wait" "push $DC to alpha? (y/n)"
send y Enter
wait_for "the push waits: the queue is paused" "push $DC in alpha: waiting: queue paused"
DPID=$(tmx display-message -p -t dlc '#{pane_pid}')
kill -9 "$DPID"
# Dead: reaped, or a zombie (which the journal counts as gone).
dead() { [ ! -e "/proc/$DPID" ] || [ "$(awk '{ print $3 }' "/proc/$DPID/stat" 2>/dev/null)" = Z ]; }
end=$(( $(date +%s) + 10 ))
while ! dead && [ "$(date +%s)" -le "$end" ]; do sleep 0.05; done
dead && pass "the killed dlc is dead" || fail "the killed dlc is dead" "$(cat /proc/$DPID/stat)"
console_start 160 45 -e alpha
wait_for "the next start says the interrupted job once" "1 interrupted job in the journal: push $DC to alpha"
send Q
wait_for "the queue view marks it" "push $DC in alpha: interrupted"
wait_for "under its own heading" "interrupted (found in the journal"
wait_for "it offers v" "push $DC in alpha: interrupted in its queue (v: verify)"
send g
send v
wait_for "v says it was not deployed: it never reached its package step" "not deployed: datalake-alpha-$DC in alpha runs CodeSha256" 15
wait_for "the verdict is journalled and shown on the job" "push $DC in alpha: interrupted in its queue (verified: not deployed)"
expect_contains "the journal holds the verified record" '"ev":"verified"' "$(cat "$HOME"/.local/state/dlc/journal/*.jsonl | tr -d ' ')"
console_stop
finish
