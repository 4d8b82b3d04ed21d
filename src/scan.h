/*
 * The secret scan: before a package leaves the machine (dlc push, through
 * scan_zip) and on demand (dlc scan), every file is read for AWS keys,
 * private keys, GitHub and Slack tokens and hard-coded passwords (the
 * rules of scan-rules.h). A hit names the file, the line and the rule,
 * with an excerpt of the line in which every secret found is masked: the
 * secret itself never reaches a screen, a log or the JSON output.
 *
 * What is read: every regular file, binary ones too (a .pyc or a pickle
 * carries its strings as they are, and those leave the machine like the
 * rest), all as text split at '\n'; line numbers count '\n' in binaries
 * too. Files are streamed through a bounded buffer, never loaded whole: a
 * line longer than the buffer is scanned in overlapping pieces. A zip's
 * entries are read through libzip the same way; a zip inside a zip is
 * scanned as its raw (compressed) bytes, not opened.
 *
 * A reviewed false positive is allowed per function in function.ini by
 * rule and path (scan-allow = RULE PATH-REGEX, see dlc-function(5)); an
 * allowed hit is counted, never silently dropped, and no entry can turn a
 * rule, let alone the scan, off.
 *
 * Speed: see bench/RESULTS.md ("Issue 15: scan"). Scanning a 50 MB zip
 * takes longer than a loop turn may, so the push path runs it off the
 * loop, in the children of scan-run.h.
 */
#ifndef DLC_SCAN_H
#define DLC_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "err.h"
#include "manifest.h"

/* Hits kept per scan; more are counted in scan_report.dropped. */
#define SCAN_MAX_HITS		1000
/* A zip whose entries unpack to more than this is refused (Lambda's cap is 250 MB). */
#define SCAN_MAX_UNZIPPED	((uint64_t)1024 * 1024 * 1024)

struct scan_hit {
	char		*path;		/* as shown: "dir/file", "pkg.zip!entry" */
	size_t		 rel;		/* offset in path of the part scan-allow matches */
	unsigned long	 line;		/* 1-based */
	const char	*rule;		/* a scan_rules id (static) */
	char		*excerpt;	/* the line around the hit, secrets masked; raw bytes */
};

struct scan_report {
	struct scan_hit	*hits;
	size_t		 n, cap;
	size_t		 files;		/* files (or zip entries) read */
	uint64_t	 bytes;		/* bytes read */
	size_t		 allowed;	/* hits a scan-allow entry covered */
	size_t		 dropped;	/* hits past SCAN_MAX_HITS */
};

/* One compiled allowlist; from scan_allow_new. */
struct scan_allow;

void	scan_report_init(struct scan_report *r);
void	scan_report_free(struct scan_report *r);
/* Hits found (kept and dropped); 0 means clean. */
size_t	scan_report_count(const struct scan_report *r);

/*
 * Checks one scan-allow value, "RULE PATH-REGEX": RULE a rule id (never
 * "*" nor empty), PATH-REGEX a PCRE2 pattern that must match a whole path
 * and cannot match every path. 0, or -1 with err saying why and how.
 */
int	scan_allow_check(const char *entry, struct dlc_err *err);
/*
 * Compiles fn's scan-allow entries (fn may be NULL: nothing allowed).
 * Returns an allocated allowlist (never NULL on success), or NULL with err.
 */
struct scan_allow *scan_allow_new(const struct local_function *fn,
	    struct dlc_err *err);
void	scan_allow_free(struct scan_allow *a);

/*
 * Each scan appends its hits to out (which may already hold some) and
 * returns 0 when everything was read, hits or not; -1 with err when a
 * file could not be read (out keeps what was found before). allow may be
 * NULL. display is the path shown for the file (NULL: path).
 */
int	scan_buffer(const char *data, size_t len, const char *display,
	    const struct scan_allow *allow, struct scan_report *out,
	    struct dlc_err *err);
int	scan_file(const char *path, const char *display,
	    const struct scan_allow *allow, struct scan_report *out,
	    struct dlc_err *err);
/*
 * Every regular file under dir, in path order (symbolic links to files are
 * read, to folders are not followed; .git folders are skipped). Paths are
 * shown as dir/REL, and scan-allow matches REL.
 */
int	scan_dir(const char *dir, const struct scan_allow *allow,
	    struct scan_report *out, struct dlc_err *err);
/* Every entry of the zip; shown as ZIP!ENTRY, scan-allow matches ENTRY. */
int	scan_zip_allow(const char *zip_path, const struct scan_allow *allow,
	    struct scan_report *out, struct dlc_err *err);
/*
 * Part `part` (0-based) of `parts` of the zip's entries, cut by unzipped
 * bytes, so that parts scanned side by side (scan-run.c's children) cover
 * every entry once and take about equal time.
 */
int	scan_zip_part(const char *zip_path, const struct scan_allow *allow,
	    unsigned part, unsigned parts, struct scan_report *out,
	    struct dlc_err *err);
/*
 * The push path's one call: scans the package at zip_path (the bytes that
 * will be uploaded) with fn's allowlist (fn may be NULL). 0 when the zip
 * was read whole: out->n == 0 && out->dropped == 0 means clean, anything
 * else must stop the push. -1 with err when it could not be read (which
 * must stop the push too: unscanned is not clean). Blocks for the time the
 * scan takes (see bench/RESULTS.md): call it from a child, not the loop.
 */
int	scan_zip(const char *zip_path, const struct local_function *fn,
	    struct scan_report *out, struct dlc_err *err);

/* 1 when the file starts like a zip (PK\3\4 or an empty zip's PK\5\6). */
int	scan_is_zip(const char *path);

/*
 * Appends one "PATH:LINE: RULE: EXCERPT\n" per hit to out, every piece
 * through the sanitiser (file names and contents are untrusted).
 */
void	scan_report_format(const struct scan_report *r, struct buf *out);
/*
 * The report as JSON: {"Clean", "Hits": [{"Path", "Line", "Rule",
 * "Excerpt"}], "FilesScanned", "BytesScanned", "Allowed", "Dropped"}.
 * Returns a new tree (cJSON_Delete it).
 */
cJSON	*scan_report_json(const struct scan_report *r);

#endif
