#!/bin/sh
# Style checks that compilers do not make (see CODING.md): banned unsafe
# calls anywhere in C sources, calls that block the event loop, no file
# I/O under ui/ and no curses under src/ (the engine).
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

# Nothing may block the event loop (DEVELOPERS.md): no waiting for a child,
# no sleeping, no blocking transfer, no lock that waits. Comments are
# skipped; a line that must stay says lint-ok and why.
# code_lines PATTERN [FILES]: matching lines of code (src/ and ui/ unless named).
code_lines() {
	pat=$1; shift
	[ $# -gt 0 ] || set -- src/*.c ui/*.c
	grep -nE "$pat" "$@" 2>/dev/null | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/?\*|//)' | grep -v 'lint-ok'
}
blocking=$( {
	code_lines '\bwaitpid[[:space:]]*\(' | grep -v 'WNOHANG'
	code_lines '\b(sleep|usleep|nanosleep|clock_nanosleep)[[:space:]]*\('
	code_lines '\bcurl_easy_perform[[:space:]]*\('
	code_lines '\bflock[[:space:]]*\(' | grep -v 'LOCK_NB'
	code_lines '\b(wait|wait3|wait4)[[:space:]]*\(' | grep -v 'WNOHANG'
} )
if [ -n "$blocking" ]; then
	echo "lint: a call that blocks the event loop (use proc_*, loop timers, curl multi, LOCK_NB):"
	echo "$blocking"
	fail=1
fi

# The console does no file I/O of its own: the engine opens, writes and
# removes files and answers with a dlc_err, so each of those paths is
# tested without a terminal (saving a log view is src/logsave.c).
fileio=$(code_lines '\b(fopen|fdopen|freopen|open|openat|fwrite|creat|unlink|unlinkat|rename|renameat)[[:space:]]*\(' ui/*.c)
if [ -n "$fileio" ]; then
	echo "lint: file I/O under ui/ (the engine reads and writes files: add a src/ function that returns a dlc_err):"
	echo "$fileio"
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
