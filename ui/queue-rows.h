/*
 * The deploy queue's jobs as the console shows them: one flat row per job
 * (jobstate.h folded from the journal, this dlc's and other processes'),
 * in the order the strip and the queue view list them: running, then
 * waiting (in queue order), then recent ones, newest first. The only
 * file of the console that reads struct jobstate, so its fields are
 * known in one place.
 */
#ifndef DLC_UI_QUEUE_ROWS_H
#define DLC_UI_QUEUE_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct ui;

enum queue_row_state { QROW_RUNNING, QROW_WAITING, QROW_INTERRUPTED, QROW_ENDED };

#define QROW_MAX_STEPS	12

struct queue_row_step {
	char		 name[16];	/* "build" .. "verify", "move" */
	char		 state[16];	/* "running", "done", "skipped", "failed", "cancelled" */
	char		 detail[256];
	int64_t		 started_ms, ended_ms;	/* 0: not known */
	char		 error[320];	/* "code: message" when failed */
};

struct queue_row {
	char			 id[16];
	size_t			 seq;		/* its place in the queue's order */
	enum queue_row_state	 state;
	char			 kind[16];	/* "code", "layer", "move", "rollback" */
	char			 function[128];	/* local name */
	char			 env[64];
	int			 special;
	int			 own;		/* queued by this dlc */
	char			 who[160];	/* user@host (pid N) */
	char			 step[16];	/* the current (or last) step */
	char			 detail[256];	/* the current step's detail */
	uint64_t		 done, total;	/* the current step's progress */
	char			 line[256];	/* the build's last output line */
	char			 reason[512];	/* waiting: why */
	char			 outcome[32];	/* ended: "deployed", "failed", ... */
	struct dlc_err		 error;		/* ended failed: why */
	char			 package[1024];	/* the kept zip (rollback), or "" */
	char			 code_sha256[64];	/* deployed: its CodeSha256 */
	char			 remote[256];	/* the function's name in AWS */
	char			 want_sha[64];	/* its package's CodeSha256 (end, or package step), or "" */
	int			 verified;	/* 0 not verified, 1 deployed, -1 not deployed */
	int64_t			 queued_ms, started_ms, ended_ms;
	struct queue_row_step	 steps[QROW_MAX_STEPS];
	size_t			 n_steps;
};

/* Fills rows (up to max) from ui's queue; returns how many there are (may exceed max). */
size_t	queue_rows(struct ui *ui, struct queue_row *rows, size_t max);
/* The row of job id (a prefix is enough), 0; or -1 when the queue has no such job. */
int	queue_row_find(struct ui *ui, const char *id, struct queue_row *row);
/* "push", "layer", "move", "rollback": the word the strip starts a job with. */
/*
 * The deployment R rolls function back to in env (rollback.h: the newest
 * with a CodeSha256 other than deployed, its package still kept) into
 * *row; 0, or -1 with err saying why and what to do.
 */
int	queue_row_rollback_target(struct ui *ui, const char *env,
	    const char *function, const char *deployed, struct queue_row *row,
	    struct dlc_err *err);
const char *queue_row_verb(const struct queue_row *r);
/*
 * What r does now or how it ended, in a few words, as the strip shows it:
 * "upload 1.2MB/3.4MB: sending inline", "waiting: queue paused",
 * "deployed, verified", "WaiterFailure".
 */
void	queue_row_brief(const struct queue_row *r, char *buf, size_t len);
/* A bar of width cells for done/total ("[#####     ]"), or "" without a total. */
void	queue_row_bar(const struct queue_row *r, int width, char *buf, size_t len);
/* Seconds since the job started (or was queued), to its end if over. */
long	queue_row_elapsed(const struct queue_row *r);

#endif
