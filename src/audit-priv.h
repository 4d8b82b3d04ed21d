/*
 * An audit in flight (audit-gather.c), shared with the file that reads
 * the alarms (audit-alarms.c) so that part can follow its own engine.
 */
#ifndef DLC_AUDIT_PRIV_H
#define DLC_AUDIT_PRIV_H

#include "audit-facts.h"

struct aws_call;
struct paginate;
struct cw_alarms_fetch;

enum audit_job_kind {
	AUDIT_JOB_FUNCTIONS, AUDIT_JOB_GROUPS, AUDIT_JOB_FILTERS,
	AUDIT_JOB_ALARMS, AUDIT_JOB_ESMS, AUDIT_JOB_RULE_NAMES,
	AUDIT_JOB_RULE, AUDIT_JOB_LAYER
};

struct audit_job {
	struct audit		*a;
	struct audit_job	*next;
	enum audit_job_kind	 kind;
	size_t			 idx;	/* the function, group or layer it reads for */
	size_t			 rule;	/* RULE: which of the function's rules */
	char			*arg;	/* what the call is about (prefix, group, ARN, name) */
	struct aws_call		*call;
	struct paginate		*pager;
	struct cw_alarms_fetch	*alarms;	/* ALARMS */
	int			 started;
};

struct audit {
	struct aws_env		*aenv;
	const char *const	*only;
	size_t			 n_only;
	audit_done_cb		 done;
	void			*arg;
	struct audit_facts	 facts;
	struct audit_job	*jobs;		/* queued and running, newest first */
	size_t			 running;
	int			 finished;
	int			 groups_out;	/* DescribeLogGroups reads started and not ended */
	int			 groups_failed;
	size_t			 locals_from;	/* the next function whose local CodeSha256 to find */
};

/* Queues a job (the pump starts it when there is room). */
struct audit_job *audit_job_add(struct audit *a, enum audit_job_kind kind,
	    size_t idx, const char *arg);
/* A job ended: freed, the next started, the report handed over once all are in. */
void	audit_job_end(struct audit_job *j);
/* Notes a failed read: the permission it needs and the checks it leaves unknown. */
void	audit_job_failed(struct audit_job *j, const struct dlc_err *err,
	    const char *permission, const char *checks);

/* audit-alarms.c: runs the alarms read of job j (AUDIT_JOB_ALARMS). */
void	audit_alarms_run(struct audit_job *j);

#endif
