/*
 * Building one function or layer into its deployment zip, on the loop:
 * the function's folder is copied into a private staging folder under
 * the build directory (dlc.ini build-dir), the manifest's build commands
 * run there one after another through proc.c (argv split with
 * ini_split_words, never a shell), each with its own HOME, TMPDIR and pip
 * cache inside the staging folder (and with isolate = venv its own
 * `python3 -m venv` first on PATH), then the zip root is packed with
 * pack_start into BUILD_DIR/NAME.zip and its CodeSha256 written beside it
 * in NAME.zip.sha256. The output of every command is kept in
 * BUILD_DIR/NAME.build.log. The source folder is only read; a build only
 * writes files whose names carry its function's name or a random suffix,
 * so two builds of different functions never touch each other's files.
 * A build whose inputs hash to what NAME.zip was built from is skipped
 * without running anything (see build-hash.h).
 */
#ifndef DLC_BUILD_H
#define DLC_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct loop;
struct dlc_config;
struct local_function;
struct build;

/* Build even when the inputs are unchanged. */
#define BUILD_FORCE	1

struct build_result {
	char		*zip_path;		/* BUILD_DIR/NAME.zip */
	char		 code_sha256[45];	/* base64 of the digest, as Lambda reports it */
	char		 sha256_hex[65];
	uint64_t	 size;			/* bytes of the zip */
	int		 skipped;		/* unchanged inputs: nothing ran */
};

struct build_progress {
	const char	*name;		/* the function's folder name */
	/*
	 * In order: "stage" (copying the folder), "venv" (isolate = venv),
	 * "command N/M" (each command, before it runs), "zip" (done and
	 * total in bytes read, repeated), "cleanup" (removing the stage),
	 * "done" (just before the done callback). A skipped build has only
	 * "done".
	 */
	const char	*phase;
	size_t		 command;	/* N of "command N/M" (1-based), else 0 */
	size_t		 commands;	/* M */
	const char	*command_line;	/* the running command as written, or NULL */
	uint64_t	 done;		/* "zip": bytes read of total */
	uint64_t	 total;
};

/*
 * A build command's output line (stream PROC_STDOUT or PROC_STDERR):
 * untrusted text, sanitise it before it reaches a terminal. The build's
 * own notes ("$ pip install ...") come on stream 0.
 */
typedef void (*build_line_cb)(const char *name, int stream, const char *text,
    size_t len, void *arg);
typedef void (*build_progress_cb)(const struct build_progress *pr, void *arg);
/*
 * Called once: r (valid during the call) on success, skipped or built;
 * else err (code "BuildFailed", "Cancelled", ...), whose message ends
 * with the failing command's last lines. The build may be freed from here.
 */
typedef void (*build_done_cb)(const struct build_result *r,
    const struct dlc_err *err, void *arg);

/*
 * Starts building fn as cfg says (cfg->build_dir is made if missing).
 * NULL with err when it cannot start. Callbacks never run before
 * build_start returns; line and progress may be NULL.
 */
struct build	*build_start(struct loop *loop, const struct dlc_config *cfg,
		    const struct local_function *fn, int flags,
		    build_line_cb line, build_progress_cb progress,
		    build_done_cb done, void *arg, struct dlc_err *err);
/* Stops the running command or the packer; done still comes, "Cancelled". */
void		 build_cancel(struct build *b);
/*
 * No callback after this. Running children are killed; the staging
 * folder is removed once they are reaped (keep the loop turning until
 * proc_live_count() is 0).
 */
void		 build_free(struct build *b);

/*
 * The program the staging and packing children run, "/proc/self/exe" by
 * default (see pack_set_program, which this sets too).
 */
void		 build_set_program(const char *path);

/* Builds that run at once: one per core of the machines we run on. */
#define BUILD_PARALLEL	2

/*
 * Whether a build of fn may start beside running others (special_running:
 * one of them is a special function's): up to BUILD_PARALLEL at once, and
 * a special function's build alone, since its pip steps clash with any
 * other's. dlc build and dlc diff schedule by this (the console does not
 * yet: the deploy queue will).
 */
int		 build_may_start(const struct local_function *fn, size_t running,
		    int special_running);

/* BUILD_DIR/NAME.zip, where a build of fn puts its zip. Allocated. */
char		*build_zip_path(const struct dlc_config *cfg,
		    const struct local_function *fn);

#endif
