#!/bin/sh
# The console's audit (issue 19), in tmux against fakeaws's seeded
# findings: the AUDIT column says "?" when the audit failed and then each
# function's count of findings (the same count as the audit view's
# finding lines, and as dlc audit -o json), :audit and U open the table of
# checks and findings, Enter on a function goes to its findings and on a
# finding shows its reason and Terraform fix (scrolled, copied with y);
# LC_ALL=C draws ASCII marks, NO_COLOR draws no colour and stays readable;
# a narrow screen hides the column first.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

start_fakeaws
write_static_profiles
write_dlc_ini

faults() {
	"$PYTHON3" -c 'import json,sys,urllib.request
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/faults", method="POST",
    data=json.dumps({"spec": sys.argv[2]}).encode())
urllib.request.urlopen(req).read()' "$ENDPOINT" "$1"
}

# audit_cells: "NAME CELL" per row of the functions view on screen (CELL
# "-" when empty), from the AUDIT column's place under its title.
audit_cells() {
	screen | "$PYTHON3" -c '
import sys
lines = sys.stdin.read().split("\n")
head = next((i for i, l in enumerate(lines) if l.startswith("FUNCTION")), None)
if head is None or "AUDIT" not in lines[head]:
    sys.exit(0)
end = lines[head].index("AUDIT") + len("AUDIT")
for l in lines[head + 1:]:
    if not l.strip() or l.startswith(" "):
        break
    cell = l[end - 5:end].strip()
    print(l.split()[0], cell or "-")'
}

# finding_counts: "NAME N" per function, from the audit view's finding lines.
finding_counts() {
	screen | "$PYTHON3" -c '
import collections, sys
lines = sys.stdin.read().split("\n")
at = next((i for i, l in enumerate(lines) if l.lstrip().startswith("SEVERITY")), None)
n = collections.Counter()
for l in lines[at + 1:] if at is not None else []:
    w = l.split()
    if len(w) >= 2 and w[0] in ("high", "medium", "low"):
        n[w[1]] += 1
for k in sorted(n):
    print(k, n[k])'
}

# ops OPERATION: how many requests of OPERATION fakeaws has answered
# (a JSON service's is logged as its target, "Logs_20140328.OPERATION").
ops() {
	"$PYTHON3" -c 'import json, sys, urllib.request
log = json.load(urllib.request.urlopen(sys.argv[1] + "/_fakeaws/requests"))["requests"]
print(sum(1 for r in log if (r.get("operation") or "").split(".")[-1] == sys.argv[2]))' "$ENDPOINT" "$1"
}

# cell NAME: NAME's AUDIT cell in audit_cells' output ($CELLS).
cell() { printf '%s\n' "$CELLS" | awk -v n="$1" '$1 == n { print $2 }'; }

console_start 200 60 -e alpha
tmx set-option -s set-clipboard on
wait_for "the functions view opens" "functions (alpha)"
wait_for "the list is loaded" "salesforce-cases-to-s3-raw"
expect_contains "the functions view has an AUDIT column" "AUDIT" "$(screen | grep '^FUNCTION')"
CELLS=$(audit_cells)
expect_equal "before any audit the column is empty" "-" "$(cell salesforce-cases-to-s3-raw)"

# ---- A failed audit: "?" in the column, the error and its fix in the view ----
faults "503=1"
send U
wait_for "U opens the audit view" "audit (alpha)"
wait_for "a failed audit says so, with AWS's error" "audit of alpha failed: " 60
expect_contains "with AWS's code" "ServiceUnavailable" "$(screen)"
expect_contains "and what to do" "r audits again" "$(screen)"
send e
wait_for "e shows the audit's error in full" "code: ServiceUnavailable"
send Escape
faults ""
send Escape
wait_for "Esc goes back to the functions view" "functions (alpha)"
CELLS=$(audit_cells)
expect_equal "a failed audit shows ? in the column" "?" "$(cell salesforce-cases-to-s3-raw)"
expect_equal "for every function" "" "$(printf '%s\n' "$CELLS" | awk '$2 != "?"')"

# ---- The audit: the column's counts, the table ----
send :
send -l audit
send Enter
wait_for ":audit opens the audit view" "audit (alpha)"
wait_for "the audit after a failed one runs again and ends" "audited " 60
wait_for "the table has the checks" "RETENTION"
expect_contains "the table has the findings' titles" "SEVERITY" "$(screen)"
expect_contains "a check that passes shows ✔" "✔" "$(screen)"
expect_contains "a check that fails shows ✘" "✘" "$(screen)"
COUNTS=$(finding_counts)
expect_contains "salesforce-cases-to-s3-raw has findings (its 30 days' retention)" \
	"salesforce-cases-to-s3-raw" "$COUNTS"
expect_contains "legacy-export-job has findings (python3.7)" "legacy-export-job" "$COUNTS"
expect_contains "the seeded findings are listed" "runtime python3.7 is deprecated" "$(screen)"
expect_contains "the missing throttles alarm is one" "no throttles alarm" "$(screen)"
expect_contains "the alarm without actions is one" "has its actions disabled" "$(screen)"
send Escape
wait_for "back in the functions view" "functions (alpha)"
i=0
while [ $i -lt 100 ] && [ -n "$(audit_cells | awk '$2 == "?" || $2 == "…"')" ]; do
	sleep 0.05; i=$((i + 1))
done
CELLS=$(audit_cells)
# Every function's cell: its count of finding lines in the audit view, else ok.
bad=$(printf '%s\n' "$CELLS" | while read -r name c; do
	want=$(printf '%s\n' "$COUNTS" | awk -v n="$name" '$1 == n { print $2 }')
	[ "$c" = "${want:-ok}" ] || echo "$name: column $c, audit view ${want:-none}"
done)
expect_equal "the column's count is each function's findings in the audit view" "" "$bad"
expect_not_contains "no cell is unknown after the audit" "?" "$(printf '%s\n' "$CELLS" | awk '{ print $2 }')"
run "$DLC" audit -e alpha -o json
expect_status "dlc audit exits 4: checks fail" 4
printf '%s\n' "$OUT" >"$WORK/audit.json"
"$PYTHON3" - "$WORK/audit.json" >"$WORK/cli-counts" <<'PY' || fail "dlc audit -o json reads" "$OUT" "$ERR"
import json, sys
doc = json.load(open(sys.argv[1]))
for f in doc["Functions"]:
    print(f["LocalFunction"] or f["FunctionName"], int(f["Findings"]))
PY
bad=$(printf '%s\n' "$CELLS" | while read -r name c; do
	want=$(awk -v n="$name" '$1 == n { print $2 }' "$WORK/cli-counts")
	[ "$want" = 0 ] && want=ok
	[ "$c" = "$want" ] || echo "$name: column $c, dlc audit ${want:-none}"
done)
expect_equal "the column agrees with dlc audit -o json" "" "$bad"

# ---- A refresh of the list does not audit again within 10 minutes; r in the view does ----
subs=$(ops DescribeSubscriptionFilters)
[ "$subs" -gt 0 ] && pass "the audit read subscription filters ($subs)" ||
	fail "the audit read subscription filters"
wait_gone "the list is older than 5 s" "just now" 30
send r
wait_for "r refreshes the list" "just now"
send U
wait_for "U opens the audit view again" "audited "
expect_not_contains "the refresh started no audit" "auditing alpha" "$(screen)"
expect_equal "no subscription filter was read again" "$subs" "$(ops DescribeSubscriptionFilters)"
send r
i=0
while [ $i -lt 400 ] && [ "$(ops DescribeSubscriptionFilters)" -le "$subs" ]; do
	sleep 0.05; i=$((i + 1))
done
expect_equal "r in the audit view audits again" 1 "$([ "$(ops DescribeSubscriptionFilters)" -gt "$subs" ] && echo 1)"
wait_gone "and it ends" "auditing alpha" 60
case "$(screen | sed -n 2p)" in
*"findings, audited just now"* | *"findings, audited "*"s ago"*) pass "the title says how old the audit is" ;;
*) fail "the title says how old the audit is" "$(screen | sed -n 2p)" ;;
esac

# ---- Enter: a function's findings, then a finding's reason and fix ----
row=$(screen | awk '/^ FUNCTION/ { on = 1; next } on && NF == 0 { exit } on { print $1 }' |
	grep -n '^salesforce-cases-to-s3-raw$' | cut -d: -f1)
i=1
while [ "$i" -lt "${row:-1}" ]; do send j; i=$((i + 1)); done
send Enter
send Enter
wait_for "Enter on a function, then on its finding, opens the finding" \
	"finding: datalake-alpha-salesforce-cases-to-s3-raw" 5
expect_contains "the finding says why" "why:" "$(screen)"
expect_contains "and what fixes it" "fix (y copies it)" "$(screen)"
expect_contains "the fix is a Terraform resource" "resource \"" "$(screen)"
first=$(screen | awk 'on { sub(/^ +/, ""); print; exit } /fix \(y copies it\)/ { on = 1 }')
tmx delete-buffer 2>/dev/null
send y
wait_for "y says what it copied" "copied Terraform fix for datalake-alpha-salesforce-cases-to-s3-raw"
expect_equal "y copies the fix as shown (OSC 52)" "$first" "$(tmx show-buffer 2>/dev/null | head -1)"
expect_contains "the fix is the whole Terraform" "resource \"" "$(tmx show-buffer 2>/dev/null)"
last=$(tmx show-buffer 2>/dev/null | awk 'NF { l = $0 } END { print l }')
# Shorter than the fix: G scrolls to its end.
resize 80 12
wait_for "at 80x12 the finding's head stays" "why:"
send G
wait_for "G scrolls to the fix's last line" "$last"
resize 200 60
send Escape
wait_for "Esc goes back to the table" "SEVERITY"
console_stop

# ---- LC_ALL=C: ASCII marks; NO_COLOR: no colours, marks and counts readable ----
CONSOLE_ENV="LC_ALL=C" console_start 200 60 -e alpha
wait_for "LC_ALL=C: the list is loaded" "salesforce-cases-to-s3-raw"
send U
wait_for "LC_ALL=C: the audit ends" "audited " 60
wait_for "LC_ALL=C: the table shows" "RETENTION"
screen >"$WORK/cap"
if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$WORK/cap"; then
	fail "LC_ALL=C: the audit view is ASCII only" "$(cat "$WORK/cap")"
else
	pass "LC_ALL=C: the audit view is ASCII only"
fi
expect_contains "LC_ALL=C: the legend says X fails" "X fails" "$(screen)"
expect_contains "LC_ALL=C: a failing check reads X" " X " "$(screen | grep salesforce-cases-to-s3-raw | head -1)"
console_stop

CONSOLE_ENV="NO_COLOR=1" console_start 200 60 -e alpha
wait_for "NO_COLOR: the list is loaded" "salesforce-cases-to-s3-raw"
send U
wait_for "NO_COLOR: the audit ends" "audited " 60
wait_for "NO_COLOR: the table shows" "RETENTION"
if screen_colors | grep -q "$(printf '\033')\[3[0-7]m\|$(printf '\033')\[38;5"; then
	fail "NO_COLOR: the audit view draws no colour" "$(screen_colors | head -5 | od -c | head -10)"
else
	pass "NO_COLOR: the audit view draws no colour"
fi
expect_contains "NO_COLOR: failing checks still read ✘" "✘" "$(screen)"
resize 80 24
wait_for "at 80x24 the checks' short titles fit, and the count after them" \
	"LOG RETN ALRM SUBS TRIG RUNT LAYR DRFT FINDINGS"
resize 200 60
send Escape
wait_for "NO_COLOR: back in the functions view" "functions (alpha)"
wait_for "NO_COLOR: at 200 columns the AUDIT column shows" "AUDIT"
CELLS=$(audit_cells)
expect_equal "NO_COLOR: the column shows the count as text" \
	"$(awk '$1 == "salesforce-cases-to-s3-raw" { print $2 }' "$WORK/cli-counts")" \
	"$(cell salesforce-cases-to-s3-raw)"
# A narrow screen hides the AUDIT column before the function's name.
resize 60 30
wait_for "at 60 columns the list is drawn again" "FUNCTION"
wait_gone "at 60 columns the AUDIT column is hidden" "AUDIT"
wait_for "and the names stay" "salesforce-cases"
console_stop

finish
