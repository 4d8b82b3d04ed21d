#!/bin/sh
# CI's secret scan of the tree: `dlc scan functions` (every file of the
# functions folder as it is, tests and events included, with no
# scan-allow), the templates dlc new writes from, and a scaffold of each
# source kind as dlc new writes it. Any finding fails the suite, as the
# gitleaks hook of .pre-commit-config.yaml fails a commit. A planted key
# shows the step can fail.
. "$(dirname "$0")/lib.sh"

cd "$SRCDIR" || exit 1
run "$DLC" scan functions
expect_status "dlc scan functions: no finding" 0
expect_contains "dlc scan functions read the files" "clean:" "$ERR"
run "$DLC" scan templates
expect_status "dlc scan templates: no finding" 0

# The scaffolds, in a copy (functions/ is not written).
mkdir -p "$WORK/repo"
cp -R "$SRCDIR/functions" "$WORK/repo/functions"
cd "$WORK/repo" || exit 1
for src in dynamodb kinesis schedule; do
	"$DLC" new "scan-$src" --source "$src" --functions-dir functions >/dev/null 2>"$WORK/new.err" ||
		fail "dlc new scan-$src" "$(cat "$WORK/new.err")"
done
run "$DLC" scan functions
expect_status "dlc scan of the functions with the scaffolds: no finding" 0
printf 'aws_secret_access_key = "%s%s"\n' "wJalrXUtnFEMI/K7MDENG/bPxRfi" "CYEXAMPLEKEY" >functions/scan-kinesis/src/settings.py
run "$DLC" scan functions
expect_status "a key planted in a scaffold is found (exit 1)" 1
expect_contains "the planted key's file is named" "scan-kinesis/src/settings.py:1:" "$OUT"

finish
