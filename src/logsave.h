/*
 * Saving the lines a log view shows to a new file: the console's W. The
 * engine writes, the console only asks for a name and reports, so ui/
 * does no file I/O of its own (scripts/lint.sh checks that).
 *
 * Which events: those the view shows, with START/END unfolded
 * (logview_next_kept). Folding is how the console draws an invocation;
 * a saved file is read later by tools and people who want the events as
 * they came, so both formats keep every START, END and REPORT line, raw
 * (text writes the REPORT's own message, not the console's summary). The
 * search's only-matches (&) and the request id (R) do choose what is saved.
 *
 * Text: one line per event: the time (UTC), the function's tag when the
 * view merges several, and the message through the sanitiser. NDJSON is
 * AWS's events with FilterLogEvents' field names, as `dlc logs --format
 * json` writes them; gap markers are not events and are left out of it.
 */
#ifndef DLC_LOGSAVE_H
#define DLC_LOGSAVE_H

#include <stddef.h>

#include "err.h"
#include "logview.h"

enum logsave_format { LOGSAVE_TEXT, LOGSAVE_NDJSON };

/* NDJSON when the name ends in .json or .ndjson, text otherwise. */
enum logsave_format logsave_format_of(const char *path);

/*
 * Writes the events lv keeps (see above), in order, to path, which must not exist:
 * saving never overwrites a file. labels[source] is the tag of each source
 * (written when n_sources > 1), groups[source] its log group (NDJSON's
 * logGroupName). Returns 0 with *n_written set to the events written, or
 * -1 with err (what, cause, fix); a file created before a write failed is
 * left with what was written.
 */
int	logsave_write(const struct logview *lv, const char *path, enum logsave_format fmt,
	    char *const *labels, char *const *groups, size_t n_sources,
	    size_t *n_written, struct dlc_err *err);

#endif
