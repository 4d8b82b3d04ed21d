#!/bin/sh
# The command table is the one source of help: --help lists every command,
# each command answers --help, and man/dlc.1 documents every command and
# every option the help shows. Usage errors exit 2.
. "$(dirname "$0")/lib.sh"

run "$DLC" --version
expect_status "--version exits 0" 0
expect_contains "--version names dlc" "dlc 0." "$OUT"

run "$DLC" --help
expect_status "--help exits 0" 0
commands=$(printf '%s\n' "$OUT" | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 && $1 != "Commands:" { print $1 }')
[ -n "$commands" ] && pass "--help lists commands" || fail "--help lists commands" "$OUT"

# The rendered page, so roff escapes do not hide a word.
man=$(groff -man -Tascii -rHY=0 -rLL=300n -P-cbou "$SRCDIR/man/dlc.1" 2>/dev/null)
for c in $commands; do
	run "$DLC" "$c" --help
	expect_status "dlc $c --help exits 0" 0
	expect_contains "dlc $c --help shows its usage" "usage: dlc $c" "$OUT"
	expect_contains "man/dlc.1 documents $c" "       $c " "$man"
	for opt in $(printf '%s\n' "$OUT" | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
		expect_contains "man/dlc.1 documents $c $opt" "$opt" "$man"
	done
done

# The console's keys and commands come from one table: the man page has each.
run "$DLC" --keys
expect_status "--keys exits 0" 0
printf '%s\n' "$OUT" | sed -n 's/^  \([^ ]*\) .*/\1/p' | sort -u >"$WORK/keys"
[ -s "$WORK/keys" ] && pass "--keys lists keys and commands" || fail "--keys lists keys and commands" "$OUT"
# Only the man page's own Keys and Commands sections count.
console_man=$(printf '%s\n' "$man" | sed -n '/^   Keys/,/^GLOBAL OPTIONS/p')
while read -r k; do
	expect_contains "man/dlc.1 documents the console's $k" "$k" "$console_man"
done <"$WORK/keys"

run "$DLC" frobnicate
expect_status "an unknown command is a usage error" 2
expect_contains "an unknown command is named" "unknown command 'frobnicate'" "$ERR"

run "$DLC" ls -o yaml
expect_status "a bad -o is a usage error" 2

write_dlc_ini
run "$DLC" ls
expect_status "ls without -e is a usage error" 2
expect_contains "ls without -e lists the environments" "alpha, sandbox" "$ERR"

run "$DLC" ls -e nowhere
expect_status "ls with an unknown environment fails" 1
expect_contains "the unknown environment is named" "nowhere" "$ERR"

run "$DLC" --config "$WORK/missing.ini" envs
expect_status "a missing --config fails" 1
expect_contains "the missing config file is named" "missing.ini" "$ERR"

finish
