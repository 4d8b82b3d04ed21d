/*
 * The deploy queue's crash-safe journal: one JSON object per line in
 * $XDG_STATE_HOME/dlc/journal/YYYY-MM-DD.jsonl (the UTC day of the
 * record's "t"). Several dlc processes append to the same file: each
 * record is one line written with one write() on an O_APPEND descriptor,
 * so lines never interleave. A record is durable once fdatasync'd; the
 * sync runs on a worker thread and the loop hears of it through a pipe,
 * so the loop never waits on the disk. Readers skip (and report) a torn or
 * unparsable line: a kill mid-write never makes the journal unreadable.
 * The record kinds and their fields are listed in DESIGN (issue 16).
 */
#ifndef DLC_JOURNAL_H
#define DLC_JOURNAL_H

#include <stdint.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#include "err.h"

struct loop;
struct journal;
struct journal_follow;

/* A job id: 8 lowercase hex digits. */
#define JOURNAL_ID_LEN		8
/* The longest line written or read; a longer record is refused. */
#define JOURNAL_LINE_MAX	(256 * 1024)

/* err is NULL when the record is durable, else says why it may not be. */
typedef void (*journal_done_cb)(const struct dlc_err *err, void *arg);
/* A record read back; it belongs to the reader (copy what you keep). */
typedef void (*journal_each_cb)(const cJSON *rec, void *arg);
/* A line that was skipped: torn (a kill mid-write) or not a JSON object. */
typedef void (*journal_bad_cb)(const char *file, long line, const char *why,
    void *arg);

/*
 * Opens the journal for appending (the folder is made on the first
 * append). NULL with err filled when the worker thread or its pipe cannot
 * be made. Free it before the loop.
 */
struct journal	*journal_open(struct loop *loop, struct dlc_err *err);
/*
 * Waits for the worker's sync in progress (teardown only), then frees.
 * done callbacks still pending are not called: their lines are written,
 * only the confirmation is lost. Not from inside a done callback.
 */
void		 journal_free(struct journal *j);
/*
 * Appends rec (taken, freed here) as one line, adding "t" (UTC with
 * milliseconds), "host", "user", "pid" and "pstart" (this process's start
 * time, see journal_pid_start). Every string in the record is passed
 * through redact_message and the sanitiser first: error text from the
 * network cannot smuggle a secret or a control sequence in. The write
 * happens now; done (may be NULL) runs later from the loop, exactly once,
 * when the line is fdatasync'd or with the error that stopped it.
 * A record whose "ev" is "progress" is not synced (done runs once the
 * syncs before it are done). Returns 0, or -1 when the line could not be
 * written (done still runs with the error; journal_error says why).
 */
int		 journal_append(struct journal *j, cJSON *rec,
		    journal_done_cb done, void *arg);
/*
 * cb (NULL: none) sees each record as written, stamp included, from
 * inside journal_append: the queue folds its own records at once, and
 * the same record read back later through journal_follow is then a
 * duplicate the fold ignores.
 */
void		 journal_set_observer(struct journal *j, journal_each_cb cb,
		    void *arg);
/* The host name records are stamped with. */
const char	*journal_host(const struct journal *j);
/* The last failure of an append or a sync; NULL if none. */
const struct dlc_err *journal_error(const struct journal *j);
/* Records appended whose sync has not been confirmed yet. */
size_t		 journal_pending(const struct journal *j);

/*
 * Reads the journal of the last `days` UTC days (today and the days-1
 * before it), oldest first, line by line, calling each for every record.
 * A torn or unparsable line is skipped and reported through bad (may be
 * NULL) with the file and its line number; a record that follows a torn
 * line on the same line (the next writer appended after the kill) is
 * still read. A missing day file is no error. Returns 0, or -1 with err
 * when a file exists but cannot be read.
 */
int		 journal_read(int days, journal_each_cb each,
		    journal_bad_cb bad, void *arg, struct dlc_err *err);
/*
 * Parses one line (without its newline) into a record (allocated), or
 * returns NULL with *why saying what is wrong with it. A line holding a
 * torn record followed by a whole one gives the whole one, with
 * *torn_prefix set (and *why saying so) for the caller to report.
 */
cJSON		*journal_parse_line(const char *line, size_t len,
		    const char **why, int *torn_prefix);
/* The path of the journal file of a UTC day (seconds since the epoch). Allocated. */
char		*journal_day_path(int64_t t);

/*
 * Delivers, from the loop, every record appended by any process after
 * this call (polling the files every 250 ms from the offsets reached so
 * far, and following the UTC day change). A line is delivered only once
 * its newline has arrived; unparsable lines are skipped.
 */
struct journal_follow *journal_follow_start(struct loop *loop,
		    journal_each_cb each, void *arg);
void		 journal_follow_free(struct journal_follow *f);
/* Polls now instead of at the next tick (tests, and after own appends). */
void		 journal_follow_poll(struct journal_follow *f);

/*
 * The start time of process pid (field 22 of /proc/PID/stat, clock ticks
 * since boot), which with the pid names a process uniquely on this host;
 * -1 when the process is gone or /proc cannot say.
 */
long long	 journal_pid_start(pid_t pid);
/* Writes a new random job id (JOURNAL_ID_LEN hex digits and a NUL). */
void		 journal_new_id(char out[JOURNAL_ID_LEN + 1]);

/*
 * Fixes the clock journal_append stamps with (and the "today" of
 * journal_read and journal_follow) at ms since the epoch; 0 returns it to
 * the real clock. Tests only.
 */
void		 journal_set_now_for_tests(int64_t ms);
/* The journal's clock: ms since the epoch. */
int64_t		 journal_now_ms(void);

#endif
