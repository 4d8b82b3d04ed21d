/*
 * A deploy job (DESIGN.md): one function's code, one layer's new version,
 * or one function moved to a layer version, taken through explicit steps
 * (build -> package -> scan -> upload -> wait -> verify) by the engine,
 * each step with its own state, progress and error. The job never prints
 * and never asks: the CLI (and later the console and the deploy queue)
 * observe it through its callbacks and accessors, so the queue can
 * schedule, journal and show the same steps without changing them.
 *
 * The environment's deploy policy is enforced here, not in the callers:
 * push_job_start refuses deny, and confirm unless the caller passes the
 * environment's name as it was typed back (or given by --confirm).
 */
#ifndef DLC_PUSH_H
#define DLC_PUSH_H

#include <stddef.h>
#include <stdint.h>

#include "dlcconfig.h"
#include "err.h"
#include "manifest.h"

struct loop;
struct aws_env;
struct push_job;

enum push_kind {
	PUSH_CODE,	/* UpdateFunctionCode of a function */
	PUSH_LAYER,	/* PublishLayerVersion of a layer (only when changed) */
	PUSH_MOVE,	/* UpdateFunctionConfiguration: a function's layers */
};

enum push_step {
	PUSH_STEP_BUILD,	/* build commands (none until the build module runs them) */
	PUSH_STEP_PACKAGE,	/* the reproducible zip */
	PUSH_STEP_SCAN,		/* secrets in the package */
	PUSH_STEP_UPLOAD,	/* compare with what is deployed, then send */
	PUSH_STEP_WAIT,		/* LastUpdateStatus until Successful */
	PUSH_STEP_VERIFY,	/* the deployed CodeSha256 (or Layers) is ours */
	PUSH_STEP_COUNT
};

enum push_state {
	PUSH_PENDING,
	PUSH_RUNNING,
	PUSH_DONE,
	PUSH_SKIPPED,	/* not needed: unchanged, nothing to build, dry run */
	PUSH_FAILED,
	PUSH_CANCELLED,
};

/* How a job ended. */
enum push_outcome {
	PUSH_OUTCOME_NONE,	/* still running */
	PUSH_OUTCOME_DEPLOYED,	/* sent, settled and verified */
	PUSH_OUTCOME_UNCHANGED,	/* already deployed: nothing sent */
	PUSH_OUTCOME_DRY_RUN,	/* would have been sent */
	PUSH_OUTCOME_FAILED,
	PUSH_OUTCOME_CANCELLED,
	PUSH_OUTCOME_SKIPPED,	/* push_job_skip: its remaining steps were not run */
};

struct push_step_info {
	enum push_state	 state;
	uint64_t	 done, total;	/* bytes zipped or sent, polls made / allowed */
	char		 detail[256];	/* what it is doing or did, for a progress line */
	struct dlc_err	 err;		/* when FAILED */
};

struct push_options {
	int		 dry_run;	/* read only: build, compare, say what would be sent */
	/* The environment's name as the user typed it back (confirm policy). */
	const char	*confirmed;
	/* Inline ZipFile up to this many bytes (0: Lambda's 50 MB). Tests lower it. */
	unsigned long long inline_limit;
	/* The waiter: poll interval and cap (0: Lambda's 1 s and 300 s). */
	long		 wait_interval_ms;
	long		 wait_max_ms;
	/* PUSH_MOVE: the layer version ARN to move to (its layer's other pin is replaced). */
	const char	*move_to_arn;
	/*
	 * Called from the loop before each step runs (next: BUILD, which
	 * covers the package too since one build pass makes the zip, then
	 * SCAN, UPLOAD, WAIT, VERIFY; steps skipped for the kind are not
	 * asked about). 0 lets it run; non-zero holds the job until
	 * push_job_resume, push_job_fail, push_job_skip or push_job_cancel.
	 * The deploy queue uses it to make the last step's journal record
	 * durable, check its lease and wait for step mode's key.
	 */
	int		(*gate)(struct push_job *job, enum push_step next,
			    void *arg);
	void		*gate_arg;
	/*
	 * PUSH_CODE or PUSH_LAYER: send this zip (a kept package: rollback)
	 * instead of building one; build and package are skipped, and the
	 * CodeSha256 is the zip's own.
	 */
	const char	*package_path;
};

/* What a finished job did (valid from the done callback on). */
struct push_result {
	enum push_outcome outcome;
	char		 remote_name[256];	/* function or layer name in AWS */
	char		 local_sha256[45];	/* CodeSha256 of the package */
	char		 remote_sha256[45];	/* deployed before (or newest layer version's) */
	uint64_t	 size;			/* zip bytes */
	int		 via_s3;		/* the zip went (or would go) through S3 */
	char		 s3_key[512];
	int		 conflicts;		/* ResourceConflictExceptions waited out */
	int		 polls;			/* waiter polls */
	char		 layer_version_arn[512];/* PUSH_LAYER: the published (or newest) version */
	long		 layer_version;
};

struct push_callbacks {
	/* A step changed state (RUNNING, DONE, ...). */
	void	(*step)(struct push_job *job, enum push_step step, void *arg);
	/* A step's done/total/detail moved. */
	void	(*progress)(struct push_job *job, enum push_step step, void *arg);
	/* A build command's output line (untrusted: sanitise before showing). */
	void	(*line)(struct push_job *job, const char *text, size_t len,
		    void *arg);
	/* Once, at the end; err NULL unless FAILED or CANCELLED. The job may be freed here. */
	void	(*done)(struct push_job *job, const struct dlc_err *err,
		    void *arg);
};

/*
 * 0 when env's deploy policy lets a deploy (or a dry run, which sends
 * nothing) go ahead with confirmed as the typed-back name; else -1 with
 * err (code DeployDenied or ConfirmationRequired) naming the fix.
 */
int	push_policy_check(const struct dlc_env *env, const char *confirmed,
	    int dry_run, struct dlc_err *err);

/*
 * Starts a job of kind for fn (a function, or a layer for PUSH_LAYER) in
 * env over aenv. cfg gives the build folder. Refuses (NULL, err) what the
 * policy forbids; otherwise runs from the loop, never calling back before
 * it returns. fn, env, cfg, opts and cbs are borrowed for the job's life.
 */
struct push_job *push_job_start(struct loop *loop, struct aws_env *aenv,
	    const struct dlc_config *cfg, const struct dlc_env *env,
	    const struct local_function *fn, enum push_kind kind,
	    const struct push_options *opts, const struct push_callbacks *cbs,
	    void *arg, struct dlc_err *err);
/* Stops what runs; done still comes once, with code Cancelled. */
void	push_job_cancel(struct push_job *job);
/*
 * A job held by its gate: run the held step (from the next loop turn);
 * fail it with err instead (the held step FAILED, outcome FAILED); or end
 * it with the remaining steps SKIPPED (outcome SKIPPED). No-ops on a job
 * that is not held. done comes from the loop, never from inside these.
 */
void	push_job_resume(struct push_job *job);
void	push_job_fail(struct push_job *job, const struct dlc_err *err);
void	push_job_skip(struct push_job *job);
/* The step the gate holds, or PUSH_STEP_COUNT when none is held. */
enum push_step push_job_held(const struct push_job *job);
/* No callback after this; NULL is a no-op. */
void	push_job_free(struct push_job *job);

const struct push_step_info *push_job_step(const struct push_job *job,
	    enum push_step step);
/* The step running now (or the last one that ran). */
enum push_step push_job_current(const struct push_job *job);
const struct push_result *push_job_result(const struct push_job *job);
const struct local_function *push_job_function(const struct push_job *job);

const char *push_step_name(enum push_step step);	/* "build", ... */
const char *push_state_name(enum push_state state);	/* "running", ... */
const char *push_outcome_name(enum push_outcome o);	/* "deployed", ... */

/*
 * The wait before retry number attempt (1..) after a
 * ResourceConflictException: 1 s doubling to 16 s; -1 past
 * PUSH_CONFLICT_MAX_ATTEMPTS. The op layer leaves this error alone: an
 * update in progress lasts as long as that update, past its 3 attempts.
 */
#define PUSH_CONFLICT_MAX_ATTEMPTS	12
long	push_conflict_delay_ms(int attempt);

#endif
