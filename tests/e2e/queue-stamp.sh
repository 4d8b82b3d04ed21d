#!/bin/sh
# A build command for the deploy queue's end-to-end tests:
#   queue-stamp.sh FILE NAME SECONDS
# appends "start NAME NS" to FILE, sleeps SECONDS, appends "end NAME NS"
# (NS: nanoseconds since the epoch on the machine's real clock, even
# under faketime, so two dlcs' builds compare). The tests assert from
# these lines, written by the builds themselves, that special jobs never
# overlap, whatever dlc's own journal says.
set -eu
# faketime's library would give date the dlc's fake clock.
unset LD_PRELOAD FAKETIME FAKETIME_NO_CACHE 2>/dev/null || true
printf 'start %s %s\n' "$2" "$(date +%s%N)" >>"$1"
sleep "$3"
printf 'end %s %s\n' "$2" "$(date +%s%N)" >>"$1"
