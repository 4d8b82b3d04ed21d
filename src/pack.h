/*
 * Packing a folder into a reproducible zip (a function's deployment
 * package) without freezing the console: the deflating runs in a child
 * process through proc.c (dlc re-executes itself, /proc/self/exe, with the
 * hidden command of pack-zip.h), and its progress and result come back as
 * lines through the loop. The zip appears at out_zip whole or not at all:
 * the child writes inside a temporary folder next to out_zip (the same
 * file system, so the final rename is atomic), and this side removes that
 * folder whatever the end, a cancel or a SIGKILL included.
 */
#ifndef DLC_PACK_H
#define DLC_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct loop;
struct pack;

struct pack_progress {
	size_t		files_done;
	size_t		files_total;
	uint64_t	bytes_done;	/* input bytes read; monotone */
	uint64_t	bytes_total;
};

struct pack_result {
	uint64_t	size;			/* bytes of the zip */
	uint64_t	unzipped;		/* bytes of the files in it (Lambda caps 250 MB) */
	size_t		files;
	char		sha256_hex[65];
	char		code_sha256[45];	/* base64 of the digest: Lambda's CodeSha256 */
};

/* First once with bytes_done 0 (the totals known), then as files are read. */
typedef void (*pack_progress_cb)(const struct pack_progress *pr, void *arg);
/*
 * Called once. On success err is NULL and r says what was written; on
 * failure r is NULL and err says what failed and what to do (code
 * "Cancelled" after pack_cancel). The pack may be freed from here.
 */
typedef void (*pack_done_cb)(const struct pack_result *r,
    const struct dlc_err *err, void *arg);

/*
 * Starts packing src_dir into out_zip (replaced if it exists). NULL with
 * err filled when it cannot start (out_zip's folder not writable, no
 * fork). Callbacks never run before pack_start returns; progress may be
 * NULL.
 */
struct pack	*pack_start(struct loop *loop, const char *src_dir,
		    const char *out_zip, pack_progress_cb progress,
		    pack_done_cb done, void *arg, struct dlc_err *err);
/* What a build keeps of the folder (see pack-filter.h); all NULL/0: everything. */
struct pack_opts {
	char *const	*patterns;	/* [!]REGEX, the last match wins */
	size_t		 n_patterns;
	char *const	*files;		/* only these paths */
	size_t		 n_files;
};

/* pack_start with the patterns and files of opts (may be NULL). */
struct pack	*pack_start_opts(struct loop *loop, const char *src_dir,
		    const char *out_zip, const struct pack_opts *opts,
		    pack_progress_cb progress, pack_done_cb done, void *arg,
		    struct dlc_err *err);
/* SIGTERM, then SIGKILL after a grace period; done still comes, "Cancelled". */
void		 pack_cancel(struct pack *p);
/*
 * No callback after this. A running child is killed; the pack lives on
 * out of sight until the child is reaped, then removes its temporary
 * folder (so keep the loop turning until proc_live_count() is 0).
 */
void		 pack_free(struct pack *p);

/*
 * The program the child runs, "/proc/self/exe" by default: the running
 * binary even if its file was replaced since. Whatever runs it must
 * dispatch PACK_ZIP_COMMAND to pack_zip_main() first thing in main().
 */
void		 pack_set_program(const char *path);

#endif
