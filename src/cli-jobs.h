/*
 * The plain commands' side of the deploy queue (dlc push, dlc layer
 * publish, dlc rollback): their jobs go into a queue (queue.h) over a
 * journal, and the command waits until none of its own is live, showing
 * each job as dlc push always has (push-tty.h: step lines on stderr, a
 * build's output as "NAME | line") plus, for a waiting job, its waiting
 * reason whenever it changes. The queue owns the push jobs and their
 * callbacks, so the progress is read back from the live push job each
 * time the queue's observer says something changed, and the build output
 * from the job's log; what a job did is kept from its last look so the
 * result lines and JSON are today's.
 */
#ifndef DLC_CLI_JOBS_H
#define DLC_CLI_JOBS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "push.h"

struct cli_jobs;
struct queue;
struct journal;

/* What one job did, once it ended (valid until cli_jobs_free). */
struct cli_jobs_result {
	const char			*id;
	const struct local_function	*fn;
	const struct dlc_env		*env;
	enum push_kind			 kind;
	struct push_result		 res;	/* outcome set even if never seen live */
	struct push_step_info		 steps[PUSH_STEP_COUNT];
	struct dlc_err			 err;	/* set when failed or cancelled */
	int				 ok;	/* deployed, unchanged or dry run */
};

/*
 * Opens the journal and a queue for ctx (after cli_setup). Lists, once,
 * jobs found interrupted (cli_jobs_interrupted). NULL with err.
 */
struct cli_jobs	*cli_jobs_new(struct cli_ctx *ctx, struct dlc_err *err);
void		 cli_jobs_free(struct cli_jobs *cj);
struct queue	*cli_jobs_queue(struct cli_jobs *cj);
struct journal	*cli_jobs_journal(struct cli_jobs *cj);

/*
 * Queues one job (rollback_of non-NULL: a rollback of that job, with
 * opts->package_path). Returns its id (valid until cli_jobs_free), NULL
 * with err when refused. Strings and structs are borrowed.
 */
const char	*cli_jobs_add(struct cli_jobs *cj, struct aws_env *aenv,
		    const struct dlc_env *env, const struct local_function *fn,
		    enum push_kind kind, const struct push_options *opts,
		    const char *rollback_of, struct dlc_err *err);
/*
 * Runs the loop until every job queued here has ended; each that ends
 * calls ended (may be NULL) with its result, in the order they end.
 * Returns the number that did not end well.
 */
int		 cli_jobs_wait(struct cli_jobs *cj,
		    void (*ended)(const struct cli_jobs_result *r, void *arg),
		    void *arg);
size_t		 cli_jobs_count(const struct cli_jobs *cj);
const struct cli_jobs_result *cli_jobs_get(const struct cli_jobs *cj,
		    size_t i);

/* A finished job as -o json shows it (dlc push's "Functions" items). */
cJSON		*cli_jobs_json(const struct cli_jobs_result *r);

/*
 * Marks the jobs whose writer died without an end (jobstate.h) and says
 * each on stderr with the step it stopped at and the two commands that
 * deal with it. Returns how many. journal may be NULL (opened here).
 */
int		 cli_jobs_interrupted(struct cli_ctx *ctx,
		    struct journal *journal);

#endif
