/*
 * The deploy queue (issue 16): every push, layer publish, layer move and
 * rollback is a job here, run as a push_job (push.h) whose gate the queue
 * holds before every step. Ordinary jobs run side by side up to dlc.ini's
 * queue-parallel; special jobs (manifest special = true) strictly one at
 * a time in the order queued, each taking the machine lock and, where the
 * environment names a lock-table, the team lease before its first step.
 * Every change is journalled (journal.h) and a step's record is durable
 * before the next step runs, so a crash leaves a readable trail; the
 * job's output lines go to $XDG_STATE_HOME/dlc/jobs/ID.log.
 *
 * Step mode holds every step until queue_next; pause starts nothing new.
 * Jobs of other dlc processes are seen (and can be asked to cancel)
 * through the journal. The queue never prints and never asks: the CLI and
 * the console's pane observe it.
 */
#ifndef DLC_QUEUE_H
#define DLC_QUEUE_H

#include <stddef.h>

#include "dlcconfig.h"
#include "err.h"
#include "manifest.h"
#include "push.h"

struct loop;
struct journal;
struct aws_env;
struct queue;
struct queue_job;
struct jobstate_set;

/*
 * A queue over loop, appending to journal (both borrowed, outliving the
 * queue); cfg (borrowed) gives queue-parallel and the build folder. NULL
 * with err when the job log folder cannot be made.
 */
struct queue	*queue_new(struct loop *loop, struct journal *journal,
		    const struct dlc_config *cfg, struct dlc_err *err);
/*
 * Running jobs are cancelled (their push jobs freed, their locks
 * released); nothing is called back. NULL is a no-op.
 */
void		 queue_free(struct queue *q);

/*
 * Queues fn (a function, or a layer for PUSH_LAYER) for env over aenv and
 * writes its "queued" record. aenv, env, fn and the strings in opts are
 * borrowed until the job ends (queue_live drops). opts->gate is the
 * queue's own: a caller's is ignored. The deploy policy is checked here
 * (push_policy_check): NULL with err when it refuses.
 */
struct queue_job *queue_add(struct queue *q, struct aws_env *aenv,
		    const struct dlc_env *env, const struct local_function *fn,
		    enum push_kind kind, const struct push_options *opts,
		    struct dlc_err *err);
/*
 * A rollback: queue_add of opts->package_path (a kept package), journalled
 * as kind "rollback" with rollback_of (the job id it redeploys) and
 * package.
 */
struct queue_job *queue_add_rollback(struct queue *q, struct aws_env *aenv,
		    const struct dlc_env *env, const struct local_function *fn,
		    const struct push_options *opts, const char *rollback_of,
		    struct dlc_err *err);

const char	*queue_job_id(const struct queue_job *job);
/* An own job by id or unique prefix; NULL if none (or ambiguous). */
struct queue_job *queue_job_find(struct queue *q, const char *id);
/* The live push job (running or held in its gate), or NULL. */
struct push_job	*queue_job_push(struct queue_job *job);
/* "waiting", "running", "ended". */
const char	*queue_job_state(const struct queue_job *job);
/* Why a waiting job waits (the "waiting" record's reason), or "". */
const char	*queue_job_reason(const struct queue_job *job);
/* An ended job's outcome ("deployed", ... as push_outcome_name), or NULL. */
const char	*queue_job_outcome(const struct queue_job *job);
/* An ended job's error, or NULL. */
const struct dlc_err *queue_job_error(const struct queue_job *job);
/* The path of the job's output log ($XDG_STATE_HOME/dlc/jobs/ID.log). */
const char	*queue_job_log(const struct queue_job *job);

/*
 * cb runs (from the loop) after any change of any job, own or seen in the
 * journal; job_id names the job that changed (NULL: the queue itself,
 * e.g. pause). Only one observer.
 */
void		 queue_set_observer(struct queue *q,
		    void (*cb)(struct queue *q, const char *job_id, void *arg),
		    void *arg);
/*
 * Own jobs and, through journal_follow, other processes' jobs, folded
 * from their records (jobstate.h). Valid until the next loop turn.
 */
const struct jobstate_set *queue_jobs(struct queue *q);

/* Paused: no waiting job starts; running ones go on. */
void		 queue_pause(struct queue *q, int paused);
int		 queue_paused(const struct queue *q);
/* Step mode: every step of every job holds until queue_next. */
void		 queue_set_step_mode(struct queue *q, int on);
int		 queue_step_mode(const struct queue *q);

/*
 * Each returns 0, or -1 with the reason in queue_error(q). id is an own
 * job's id or unique prefix (queue_cancel also takes another process's).
 */
int		 queue_next(struct queue *q, const char *id);	/* step mode: run the held step */
int		 queue_skip(struct queue *q, const char *id);	/* end it, remaining steps skipped */
int		 queue_cancel(struct queue *q, const char *id);	/* own: now; other's: a "cancel" record */
int		 queue_retry(struct queue *q, const char *id);	/* a failed/cancelled job again, same id */
int		 queue_move(struct queue *q, const char *id, int delta); /* earlier (<0) or later among the waiting */
const struct dlc_err *queue_error(const struct queue *q);

/*
 * What the job's held step will do ("upload: send 3.1 MB inline to
 * datalake-alpha-x"), or NULL when it holds no step. Valid until the
 * next call.
 */
const char	*queue_next_step_text(struct queue *q, const char *id);
/* Own jobs not ended, or still releasing their locks: the CLI waits for 0. */
size_t		 queue_live(const struct queue *q);

#endif
