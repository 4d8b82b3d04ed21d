#!/bin/sh
# Style checks that compilers do not make (see CODING.md): banned unsafe
# calls anywhere in C sources, and no curses under src/ (the engine).
set -u
top=${DLC_SRCDIR:-$(dirname "$0")/..}
cd "$top" || exit 1
fail=0

banned='\b(gets|sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|system|popen)[[:space:]]*\('
hits=$(grep -nE "$banned" src/*.c src/*.h ui/*.c ui/*.h 2>/dev/null | grep -v 'lint-ok')
if [ -n "$hits" ]; then
	echo "lint: banned call (use snprintf/buf_*/strtol/fork+exec):"
	echo "$hits"
	fail=1
fi

curses=$(grep -nE 'curses\.h|\bWINDOW\b|\battron\b' src/*.c src/*.h 2>/dev/null)
if [ -n "$curses" ]; then
	echo "lint: curses under src/ (the engine never draws; put it in ui/):"
	echo "$curses"
	fail=1
fi

[ $fail -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $fail
