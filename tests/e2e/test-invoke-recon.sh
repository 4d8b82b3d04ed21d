#!/bin/sh
# dlc invoke of a reconciliation function: fakeaws's invoke knob answers
# with the example document of functions/RECONCILIATION.md (read from the
# doc, so the doc and the display cannot drift apart). The text output is
# the table, mismatches first, counts and checksums compared, not the JSON;
# --format json and -o FILE keep the document as it came; a document of
# another version is shown as JSON.
. "$(dirname "$0")/lib.sh"

start_fakeaws
write_static_profiles
write_dlc_ini
FN=datalake-alpha-dynamodb-datalake-reconciliation

"$PYTHON3" - "$SRCDIR/functions/RECONCILIATION.md" "$WORK/doc.json" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
doc = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
assert doc["reconciliation"] == 1 and doc["rows"], doc
json.dump(doc, open(sys.argv[2], "w"))
PY
[ -s "$WORK/doc.json" ] || fail "RECONCILIATION.md has its example document"

# knob JSON-FILE-OR-TEXT: the function's next answers (tests/fakeaws/README.md).
knob() {
	"$PYTHON3" - "$ENDPOINT" "$FN" "$1" <<'PY'
import json, sys, urllib.request
resp = json.loads(sys.argv[3])
doc = {"function": sys.argv[2], "account": "alpha", "invoke": {"response": resp}}
req = urllib.request.Request(sys.argv[1] + "/_fakeaws/lambda/function",
                             data=json.dumps(doc).encode(), method="POST")
urllib.request.urlopen(req).read()
PY
}
knob "$(cat "$WORK/doc.json")"

run "$DLC" invoke -e alpha dynamodb-datalake-reconciliation
expect_status "a reconciliation that ran exits 0" 0
expect_contains "the response is said to be a reconciliation" "-- response: a reconciliation result" "$OUT"
expect_contains "what was compared" "reconciliation dynamodb-datalake-reconciliation: dynamodb against datalake_raw, 2026-12-02 to 2026-12-02" "$OUT"
expect_contains "the mismatch count" "MISMATCH: 1 of 2 tables and dates differ" "$OUT"
table=$(printf '%s\n' "$OUT" | sed -n '/^STATUS /,/^-- log tail/p' | grep -v '^-- ')
expect_equal "the table: mismatch first, source against lake, the difference, the checksums" \
"STATUS    TABLE      DATE        SOURCE  LAKE  DIFF  CHECKSUM
mismatch  customers  2026-12-02     120   118    -2  differs
ok        sls_cards  2026-12-02      40    40     0  match" "$table"
expect_not_contains "not the JSON" '"source_checksum"' "$OUT"
expect_contains "the log tail still follows" "-- log tail" "$OUT"

# The document's rows reversed: the mismatch still comes first.
"$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1])); d["rows"].reverse(); print(json.dumps(d))' "$WORK/doc.json" >"$WORK/rev.json"
knob "$(cat "$WORK/rev.json")"
run "$DLC" invoke -e alpha dynamodb-datalake-reconciliation
expect_equal "a mismatch is listed first whatever the order" "mismatch  customers  2026-12-02     120   118    -2  differs" \
	"$(printf '%s\n' "$OUT" | sed -n '/^STATUS /{n;p;}')"

knob "$(cat "$WORK/doc.json")"
run "$DLC" invoke -e alpha dynamodb-datalake-reconciliation --format json
expect_status "--format json exits 0" 0
"$PYTHON3" - "$WORK/out" "$WORK/doc.json" >"$WORK/check" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["Payload"] == json.load(open(sys.argv[2])), d["Payload"]
print("ok")
PY
expect_equal "--format json: the document unchanged" "ok" "$(cat "$WORK/check")"
run "$DLC" invoke -e alpha dynamodb-datalake-reconciliation -o "$WORK/resp.json"
expect_status "-o FILE exits 0" 0
expect_equal "-o FILE: the document's bytes" "$(cat "$WORK/doc.json")" "$(cat "$WORK/resp.json")"
expect_not_contains "-o FILE: no table" "STATUS" "$OUT"

# Another version of the format is not read as this one: JSON as it came.
knob "$("$PYTHON3" -c 'import json,sys; d=json.load(open(sys.argv[1])); d["reconciliation"]=2; print(json.dumps(d))' "$WORK/doc.json")"
run "$DLC" invoke -e alpha dynamodb-datalake-reconciliation
expect_status "another version exits 0" 0
expect_contains "another version: the JSON" '"source_checksum":	"0000003a51f2c9e4"' "$OUT"
expect_not_contains "another version: no table" "MISMATCH" "$OUT"

finish
