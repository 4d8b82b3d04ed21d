#!/bin/sh
# The console's log view when the environment's credentials fail (a
# credential_process that exits 1): the view says FAILED, with the
# helper's error, within 2 s, by function name and by --group; it used
# to sit at "reading history…"/"following" forever while nothing worked.
# Then with working credentials, an outage (every read a 503) shows on the
# status line while it lasts, and the view keeps following.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

start_fakeaws
write_static_profiles
write_dlc_ini
cat >"$WORK/helper.sh" <<'SH'
#!/bin/sh
echo "helper: the vault is sealed" >&2
exit 1
SH
chmod +x "$WORK/helper.sh"
cat >"$AWS_CONFIG_FILE" <<CFG
[profile alpha]
region = eu-west-1
endpoint_url = $ENDPOINT
credential_process = "$WORK/helper.sh"
CFG
: >"$AWS_SHARED_CREDENTIALS_FILE"

console_start 160 45 -e alpha
wait_for "the console opens on alpha" "alpha" 10
send :
send -l "logs --group /aws/lambda/datalake-alpha-mambu-to-s3-raw"
t0=$(date +%s%N)
send Enter
wait_for ":logs --group opens the group's view" "logs (alpha) /aws/lambda/datalake-alpha-mambu-to-s3-raw" 5
wait_for "a group view whose credentials fail says FAILED" "FAILED (e: why)" 3
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if [ "$ms" -lt 2000 ]; then pass "within 2 s: $ms ms"; else fail "within 2 s" "took $ms ms"; fi
expect_not_contains "it does not say following" "following" "$(screen)"
send e
wait_for "e shows the helper's error" "vault is sealed" 3
send Escape Escape
send :
send -l "logs mambu-to-s3-raw"
t0=$(date +%s%N)
send Enter
wait_for ":logs opens the function's view" "logs (alpha) mambu-to-s3-raw" 5
wait_for "a function view whose credentials fail says FAILED" "FAILED (e: why)" 3
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if [ "$ms" -lt 2000 ]; then pass "within 2 s: $ms ms"; else fail "within 2 s" "took $ms ms"; fi
console_stop

faults() {
	"$PYTHON3" -c 'import json,sys,urllib.request
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/faults", method="POST",
    data=json.dumps({"spec": sys.argv[2]}).encode())
urllib.request.urlopen(req).read()' "$ENDPOINT" "$1"
}
write_static_profiles
console_start 160 45 -e alpha
wait_for "with working credentials the console opens" "creds ok" 10
send :
send -l "logs mambu-to-s3-raw"
send Enter
wait_for "the view follows" "following" 20
faults "503=1"
wait_for "an outage shows on the status line" "reads failing since" 20
expect_contains "and the view still follows" "following" "$(screen)"
faults ""
wait_gone "it leaves the status line when reads work again" "reads failing since" 20

finish
