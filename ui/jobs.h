/*
 * The console's actions on a function (b build, p push, i invoke, d diff)
 * as jobs: each names its target and environment, keeps its output lines
 * (shown by the output view, pane-output.c) and a one-line state for the
 * queue strip (queue-strip.c). The work itself is the engine's (build.h,
 * push.h, lambda-invoke.h, drift.h): a job only holds the engine's handle
 * and reads it through its accessors. The newest job is first.
 */
#ifndef DLC_UI_JOBS_H
#define DLC_UI_JOBS_H

#include <curses.h>
#include <stddef.h>
#include <time.h>

#include "err.h"
#include "push.h"

struct ui;
struct build;
struct aws_call;
struct model_function;
struct local_function;
struct build_result;

enum ui_job_kind { UI_JOB_BUILD, UI_JOB_PUSH, UI_JOB_INVOKE, UI_JOB_DIFF };
enum ui_job_state { UI_JOB_RUNNING, UI_JOB_OK, UI_JOB_FAILED };

/* Lines kept per job: a chatty build keeps its newest ones (and says so). */
#define UI_JOB_MAX_LINES	5000

struct ui_job_line {
	char	*text;		/* untrusted: drawn through the sanitiser */
	int	 role;		/* ROLE_* */
};

struct ui_job {
	unsigned		 id;
	enum ui_job_kind	 kind;
	enum ui_job_state	 state;
	char			 target[256];	/* the local folder, or the AWS name */
	char			 remote[256];	/* the function's name in AWS */
	char			 env[128];
	size_t			 env_index;
	time_t			 started;
	char			 progress[256];	/* what it does now (build, invoke, diff) */
	char			 result[512];	/* how it ended */
	char			 brief[128];	/* the same in a few words, for the strip */
	struct ui_job_line	*lines;
	size_t			 n_lines;
	size_t			 dropped;	/* oldest lines let go */

	struct build		*build;
	struct push_job		*push;
	struct push_options	 push_opts;	/* borrowed by the push job */
	char			 confirmed[128];
	struct aws_call		*call;
	struct ui		*ui;
	struct ui_job		*next;
};

/* A new running job, first in ui's list (finished ones past 20 are let go). */
struct ui_job	*jobs_new(struct ui *ui, enum ui_job_kind kind, size_t env,
		    const char *target, const char *remote);
struct ui_job	*jobs_find(struct ui *ui, unsigned id);
size_t		 jobs_count(struct ui *ui);
/* Appends a line (len bytes, no NUL needed); splits at newlines. */
void		 jobs_line(struct ui_job *j, int role, const char *text, size_t len);
void		 jobs_linef(struct ui_job *j, int role, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
/*
 * Ends j: its state, a brief word or two for the strip ("deployed,
 * verified", "BuildFailed") and the whole result for its view.
 */
void		 jobs_finish(struct ui_job *j, int ok, const char *brief, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
/* Stops and frees every job (at exit, before the model goes). */
void		 jobs_free_all(struct ui *ui);
const char	*jobs_kind_name(enum ui_job_kind kind);
/* Opens the output view of j. */
void		 jobs_show(struct ui *ui, struct ui_job *j);
/*
 * The function id names in env, with a status-line message and NULL when
 * there is none, no folder for it under functions/ (JOBS_NEED_LOCAL), or
 * no credentials for env (JOBS_NEED_AWS).
 */
#define JOBS_NEED_LOCAL	1
#define JOBS_NEED_AWS	2
struct model_function *jobs_target(struct ui *ui, size_t env, const char *id,
		    int need);

/* The actions, on the function with id (AWS name or folder) of env. */
void		 job_build_run(struct ui *ui, size_t env, const char *id);
void		 job_push_ask(struct ui *ui, size_t env, const char *id);
void		 job_invoke_ask(struct ui *ui, size_t env, const char *id);
void		 job_diff_run(struct ui *ui, size_t env, const char *id);
/* job-build.c: builds lf for j (a build, or a diff that compares the zip). */
int		 job_build_begin(struct ui_job *j, const struct local_function *lf);
/* job-diff.c: the build of a diff ended (r NULL: err). */
void		 job_diff_built(struct ui_job *j, const struct build_result *r,
		    const struct dlc_err *err);
/* job-push.c: p's question in full, at the bottom of the functions view. */
void		 job_push_draw_question(struct ui *ui, size_t env, WINDOW *win, int rows,
		    int cols);
void		 job_push_answer(struct ui *ui, size_t env, const char *purpose,
		    const char *text);
void		 job_invoke_answer(struct ui *ui, size_t env, const char *text);
/* job-batch.c: P, every function with local changes pushed (one question, one job each). */
void		 job_batch_ask(struct ui *ui, size_t env);
void		 job_batch_answer(struct ui *ui, size_t env, const char *purpose,
		    const char *text);
/* job-rollback.c: R, the function's previous deployment sent again through the queue. */
void		 job_rollback_ask(struct ui *ui, size_t env, const char *id);
void		 job_rollback_answer(struct ui *ui, size_t env, const char *purpose,
		    const char *text);
/*
 * job-verify.c: v, an interrupted job's deployed CodeSha256 read and
 * compared; *ctx (freed by the call's end, or by the caller after
 * cancelling it) is set. NULL (and a status message) when it cannot start.
 */
struct aws_call	*job_verify_start(struct ui *ui, const char *id, void **ctx);
/* A prompt the actions opened was answered (purpose "push-*", "invoke"). */
void		 jobs_prompt(struct ui *ui, size_t env, const char *purpose,
		    const char *text);

/* queue-strip.c: rows of the strip's job lines, drawn from the queue and the jobs. */
int		 queue_strip_rows(struct ui *ui);
/* 1 when there is nothing to list: no queue job, no console job. */
int		 queue_strip_empty(struct ui *ui);
void		 queue_strip_draw(struct ui *ui, WINDOW *win, int row, int rows, int cols);
struct queue_row;
/* A queue job's line as the strip draws it, and its role (the queue view shares them). */
void		 queue_strip_row_line(const struct queue_row *r, char *buf, size_t len);
int		 queue_strip_row_role(const struct queue_row *r);

#endif
