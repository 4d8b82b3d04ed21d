/*
 * The deploy queue's private state, shared by its files only: queue.c
 * (jobs, records, the pump), queue-ctl.c (what the user asks: pause,
 * step mode, next, skip, cancel, retry, move), queue-text.c (what a held
 * step will do) and queue-others.c (other processes' jobs and their
 * cancel requests, from the journal).
 */
#ifndef DLC_QUEUE_PRIV_H
#define DLC_QUEUE_PRIV_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "queue.h"
#include "queue-sched.h"

struct loop_timer;
struct journal_follow;
struct queue_lock;
struct git_head;
struct package_keep;

/* Outlives the queue while journal confirmations are pending. */
struct queue_life {
	struct queue	*q;	/* NULL once freed */
	int		 refs;
};

struct queue_job {
	struct queue		*q;
	struct queue_job	*next;
	char			 id[16];
	struct aws_env		*aenv;
	const struct dlc_env	*env;
	const struct local_function *fn;
	enum push_kind		 kind;
	struct push_options	 opts;		/* gate is the queue's */
	char			*package;	/* rollback: the kept zip (opts points here) */
	char			*rollback_of;
	int			 special;
	int64_t			 order;
	char			 commit[64];	/* "abc1234[+dirty]" or "" */
	char			 since[8];	/* "14:02": when it started (UTC) */
	int			 retries;
	int			 queued;	/* its "queued" record is written */
	struct git_head		*git;		/* finding its commit */
	struct package_keep	*keep;		/* keeping its deployed zip */
	char			*kept;		/* the kept zip, for the end record */

	enum queue_sched_state	 state;
	int			 started;
	char			 reason[600];	/* the last "waiting" record's */
	struct queue_lock	*lock;		/* special: its locks */
	struct push_job		*push;
	enum push_step		 held;		/* the step its gate holds, or COUNT */
	int			 holding;	/* held by the gate, the pump decides */
	int			 step_ok;	/* step mode: queue_next let the held step go */
	int			 skip_asked;	/* queue_skip while a step ran */
	int			 unsynced;	/* own records not yet durable */
	int			 journal_failed;
	struct dlc_err		 journal_err;

	char			 outcome[16];	/* "" until it ends */
	struct dlc_err		 err;
	uint64_t		 progress_ms;	/* the last progress record's */
	char			 last_line[256];
	char			*log_path;
	int			 log_fd;
	char			 text[600];	/* queue_next_step_text's */
};

struct queue {
	struct loop		*loop;
	struct journal		*journal;
	const struct dlc_config	*cfg;
	struct queue_life	*life;
	struct queue_job	*jobs;		/* in the order added */
	unsigned		 seq;
	int			 paused;
	int			 step_mode;
	struct loop_timer	*pump;
	void			(*observer)(struct queue *, const char *, void *);
	void			*observer_arg;
	char			 me[300];	/* user@host */
	struct dlc_err		 error;		/* queue_error's */
	/* queue-others.c */
	struct journal_follow	*follow;
	struct jobstate_set	*set;
	size_t			 bad_lines;	/* torn or unparsable, at start */
	struct dlc_err		 read_err;	/* a journal file unreadable at start */
};

/* queue.c */
void	queue_append(struct queue_job *j, cJSON *rec);
void	queue_poke(struct queue *q);			/* runs the pump soon */
void	queue_job_finish(struct queue_job *j, const char *outcome,
	    const struct dlc_err *err);		/* writes "end", frees the locks */
void	queue_job_notify(struct queue_job *j);
void	queue_rewrite_queued(struct queue_job *j);
/* Finds the folder's commit, then writes "queued" (add, retry). */
void	queue_find_commit(struct queue_job *j);
/* queue-text.c: "upload: send 3.1 MB inline to datalake-alpha-x". */
const char *queue_step_text(struct queue_job *j);
/* queue-others.c */
void	queue_others_start(struct queue *q);
void	queue_others_stop(struct queue *q);
/* A "cancel" record for another process's job (0), or -1 with q->error. */
int	queue_others_cancel(struct queue *q, const char *id);

#endif
