/*
 * Inside the secret scan (scan.c, scan-zip.c): one file's bytes pushed
 * through the rules as they are read, in bounded pieces. Not for other
 * modules: they call scan.h.
 */
#ifndef DLC_SCAN_STREAM_H
#define DLC_SCAN_STREAM_H

#include <stddef.h>

#include "scan.h"

struct scan_stream;

/* Allocated; hits go to out, filtered through allow (may be NULL). */
struct scan_stream *scan_stream_new(const struct scan_allow *allow,
		    struct scan_report *out);
void		 scan_stream_free(struct scan_stream *s);
/*
 * Starts a file shown as display; scan-allow matches display + rel.
 * Rules compile on the first call: -1 with err if one does not.
 */
int		 scan_stream_begin(struct scan_stream *s, const char *display,
		    size_t rel, struct dlc_err *err);
int		 scan_stream_feed(struct scan_stream *s, const char *data,
		    size_t len, struct dlc_err *err);
/* Scans what is left; the file is done. */
int		 scan_stream_end(struct scan_stream *s, struct dlc_err *err);

/* 1 when rule id (a scan_rules id) is allowed for path rel. */
int		 scan_allow_match(const struct scan_allow *a, const char *rule,
		    const char *rel);

#endif
