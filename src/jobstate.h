/*
 * Jobs folded from journal records: `dlc queue`, `dlc history`, the queue
 * pane and the queue itself all see a job the same way, whichever process
 * wrote its records. The fold is idempotent: a record seen twice (a
 * process reading back its own appends through journal_follow) changes
 * nothing the second time, and a second "interrupted" for a job (two dlcs
 * found it at once) is a no-op.
 */
#ifndef DLC_JOBSTATE_H
#define DLC_JOBSTATE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "journal.h"

struct journal;

enum jobstate_state {
	JOBSTATE_WAITING,	/* queued, no step started */
	JOBSTATE_RUNNING,	/* a step started, no end */
	JOBSTATE_ENDED,		/* an "end" record */
	JOBSTATE_INTERRUPTED	/* its writer died before the end */
};

/* The steps a job may go through, in the order they are shown. */
#define JOBSTATE_MAX_STEPS	12

struct jobstate_step {
	char	*name;		/* "build", "package", ..., "verify", or a move's */
	char	*state;		/* "running" | "done" | "skipped" | "failed" | "cancelled" */
	char	*detail;	/* NULL when none */
	int64_t	 started_ms;	/* ms since the epoch; 0 when unknown */
	int64_t	 ended_ms;
};

struct jobstate {
	char			 id[JOURNAL_ID_LEN + 1];
	char			*env, *function, *remote;
	char			*kind;		/* "code" | "layer" | "move" | "rollback" */
	int			 special;
	/* Who queued it; the writer is whoever wrote its latest own record. */
	char			*user, *host;
	char			*writer_host;
	long			 writer_pid;
	long long		 writer_pstart;
	char			*commit;	/* "abc1234", "abc1234+dirty" or NULL */
	char			*rollback_of;	/* the job a rollback redeploys */
	char			*package;	/* the kept zip (rollback's input, or end's) */
	double			 order;		/* queue position */
	int64_t			 queued_ms, started_ms, ended_ms, last_ms;
	enum jobstate_state	 state;
	char			*step;		/* the current (or last) step; NULL before any */
	struct jobstate_step	 steps[JOBSTATE_MAX_STEPS];
	size_t			 nsteps;
	char			*waiting;	/* the latest waiting reason, until a step starts
						   (a running job held in step mode keeps
						   state RUNNING and gets a reason) */
	long long		 progress_done, progress_total;
	char			*progress_line;
	char			*outcome;	/* end's: "deployed", "failed", ... */
	char			*code_sha256, *previous_sha256;
	char			**layers;
	size_t			 nlayers;
	char			*error_code, *error_message, *error_fix;
	int			 cancel_requested;
	char			*lock_machine;	/* "held" | "released" | "lost" | NULL */
	char			*lock_team;
	char			*lock_token;
	int			 verified;	/* 0 not verified, 1 matches, -1 does not */
	char			*deployed_sha256;
	/* This process found its writer gone and wrote its "interrupted". */
	int			 marked_here;
};

struct jobstate_set;

struct jobstate_set	*jobstate_set_new(void);
void			 jobstate_set_free(struct jobstate_set *set);
/*
 * Folds one record in (not taken). Records without a job id, and
 * duplicates of a record already folded into the same job, are ignored
 * (but for "progress", which is folded again: it only sets numbers).
 * Returns the job the record changed, or NULL when it changed nothing.
 */
const struct jobstate	*jobstate_set_add(struct jobstate_set *set,
			    const cJSON *rec);
/* The job with this id, or the only one whose id starts with prefix; NULL otherwise. */
const struct jobstate	*jobstate_set_find(const struct jobstate_set *set,
			    const char *id_or_prefix);
/* How many jobs: 0 when the prefix matches none, >1 when it is ambiguous. */
size_t			 jobstate_set_count_prefix(const struct jobstate_set *set,
			    const char *prefix);
/* Jobs in queue order: by order, then queued time, then id. */
size_t			 jobstate_set_count(const struct jobstate_set *set);
const struct jobstate	*jobstate_set_nth(const struct jobstate_set *set,
			    size_t i);
/*
 * For every job without an end whose writer ran on this host (the
 * journal's) and is gone (its pid is not running, or runs with another
 * start time than the record's "pstart"): appends an "interrupted" record
 * (step = the step it stopped in) and folds it in at once. Returns how
 * many jobs were marked.
 */
size_t			 jobstate_set_mark_interrupted(struct jobstate_set *set,
			    struct journal *journal);

/*
 * 1 when job has not ended, its writer ran on host and is gone (what
 * mark_interrupted looks for): a reader that appends nothing (dlc
 * history) can still show it as interrupted.
 */
int			 jobstate_writer_gone(const struct jobstate *job,
			    const char *host);
const char		*jobstate_state_name(enum jobstate_state s);
/* The step named name, or NULL. */
const struct jobstate_step *jobstate_step(const struct jobstate *job,
			    const char *name);

#endif
