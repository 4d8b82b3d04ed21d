#!/bin/sh
# dlc --keys prints the one key table grouped by view, columns aligned, and
# man/dlc.1 documents the same keys in the same views (tests/e2e/keyscheck.py
# compares them), so the page, ? and --keys cannot drift apart.
. "$(dirname "$0")/lib.sh"

run "$DLC" --keys
expect_status "--keys exits 0" 0
printf '%s\n' "$OUT" >"$WORK/keys.txt"
for v in "Environments view:" "Functions view:" "Details view:" "Log view:" \
    "Moving, in every view that scrolls:" "Everywhere:" "Typing at a prompt:"; do
	expect_contains "--keys has a group for $v" "
$v
" "$OUT"
done

# view KEY-NAME VIEW: the line of KEY-NAME in VIEW's group.
view_line() {
	printf '%s\n' "$OUT" | awk -v v="$2:" -v k="$1" '
		/^[^ ].*:$/ { in_v = ($0 == v) }
		in_v && /^  / { n = split($0, w, "  +"); split(w[2], names, " ");
			for (i in names) if (names[i] == k) print }'
}
expect_contains "l opens an environment in the environments view" "Open the selected environment" "$(view_line l 'Environments view')"
expect_contains "l shows logs in the functions view" "logs" "$(view_line l 'Functions view')"
expect_contains "/ filters in the functions view" "Filter" "$(view_line / 'Functions view')"
expect_contains "/ searches in the log view" "Search" "$(view_line / 'Log view')"
expect_contains "j and Down share a line" "Move down one row" "$(printf '%s\n' "$OUT" | grep '^  j Down  ')"
expect_equal "one line per action: Move down one row once" 1 "$(printf '%s\n' "$OUT" | grep -c 'Move down one row')"

# Aligned: every description (after the names and two spaces) starts in
# one column; awk counts bytes, so the one non-ASCII character counts one.
OUT=$(printf '%s\n' "$OUT" | sed 's/…/./g')
cols=$(printf '%s\n' "$OUT" | sed -n '/^Commands/q; /^  [^ ]/p' | awk '{ match($0, /^  [^ ]+( [^ ]+)*  +/); print RLENGTH }' | sort -u)
expect_equal "the keys' descriptions start in one column" 1 "$(printf '%s\n' "$cols" | grep -c .)"
cols=$(printf '%s\n' "$OUT" | sed -n '/^Commands/,$p' | grep '^  :' | awk '{ match($0, /^  [^ ]+( [^ ]+)*  +/); print RLENGTH }' | sort -u)
expect_equal "the commands' descriptions start in one column" 1 "$(printf '%s\n' "$cols" | grep -c .)"

if out=$("$PYTHON3" "$SRCDIR/tests/e2e/keyscheck.py" "$WORK/keys.txt" "$SRCDIR/man/dlc.1"); then
	pass "man/dlc.1 and the key table list the same keys by view ($out)"
else
	fail "man/dlc.1 and the key table list the same keys by view" "$out"
fi

finish
