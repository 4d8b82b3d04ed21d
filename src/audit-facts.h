/*
 * What an audit knows about an environment once audit-gather.c has read
 * it, and the pure evaluation of those facts into a report (audit-eval.c
 * and the checks audit-check-*.c), so each check is tested from
 * constructed facts without AWS. A fact whose call failed is "not known"
 * and its checks come out AUDIT_UNKNOWN.
 */
#ifndef DLC_AUDIT_FACTS_H
#define DLC_AUDIT_FACTS_H

#include <stddef.h>
#include <time.h>

#include "audit.h"
#include "buf.h"
#include "lambda.h"
#include "new-terraform.h"

struct local_function;

struct audit_log_group {
	char	*name;
	long	 retention;	/* days; 0: never expires */
	int	 filters_known;	/* DescribeSubscriptionFilters answered */
	size_t	 n_filters;
};

struct audit_alarm {
	char	*name;
	char	*function;	/* the function it belongs to (alarm_match), or NULL */
	char	*metric;	/* MetricName, or NULL (metric math, composite) */
	int	 actions_enabled;
};

struct audit_rule {
	char	*name;
	char	*state;		/* ENABLED, DISABLED, ... */
};

/* How the function's local package stands (build-current.h). */
enum audit_local { AUDIT_LOCAL_KNOWN, AUDIT_LOCAL_NOT_BUILT, AUDIT_LOCAL_ERROR };

struct audit_fn {
	struct lambda_function		 fn;	/* owned */
	const struct local_function	*local;	/* NULL: no folder */
	int				 rules_known;
	struct audit_rule		*rules;	/* rules targeting it (schedule-triggered only) */
	size_t				 n_rules;
	enum audit_local		 local_state;
	char				 local_sha[45];
};

struct audit_layer {
	char	*arn;		/* the layer ARN without version */
	long	 latest;	/* 0: not known */
};

struct audit_facts {
	const struct dlc_env		*env;
	const struct dlc_config		*cfg;
	const struct local_function	*locals;
	size_t				 n_locals;
	time_t				 now;
	struct audit_fn			*fns;	/* the audited functions */
	size_t				 n_fns;
	char				**account_fns;	/* every function name of the account (orphan groups) */
	size_t				 n_account_fns;
	int				 orphans;	/* look for orphans (a whole-environment audit) */
	int				 groups_known;
	struct audit_log_group		*groups;
	size_t				 n_groups;
	int				 alarms_known;
	struct audit_alarm		*alarms;
	size_t				 n_alarms;
	int				 esms_known;
	struct lambda_esm		*esms;
	size_t				 n_esms;
	struct audit_layer		*layers;
	size_t				 n_layers;
	char				**errors;	/* moved into the report */
	size_t				 n_errors;
};

void	audit_facts_clear(struct audit_facts *f);
/* Notes what could not be read (once per distinct message). */
void	audit_facts_error(struct audit_facts *f, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* The report of f (allocated; f's errors move into it). */
struct audit_report *audit_evaluate(struct audit_facts *f);

/* 1 when fn is fed by a stream (a Kinesis event source mapping), 0 by a schedule. */
int	audit_expects_stream(const struct audit_facts *f, const struct audit_fn *af);
/* fn's event source mappings into out (at most max); returns how many. */
size_t	audit_esms_of(const struct audit_facts *f, const struct lambda_function *fn,
	    const struct lambda_esm **out, size_t max);
/* The group fn writes to, or NULL when not among f's groups. */
const struct audit_log_group *audit_find_group(const struct audit_facts *f,
	    const char *name);

/* ---- the checks: each sets its result and adds its findings ---- */

/* Where a check adds its findings. */
struct audit_out {
	struct audit_report	*report;
	const struct audit_facts *facts;
	const struct audit_fn	*fn;		/* NULL for orphans */
	const char		*local_name;	/* the fix's name: the folder, else the name through the template */
	int			 unmatched;	/* no template names it: the fix keeps its name as it is */
};

void	audit_add_finding(struct audit_out *o, const char *check,
	    enum audit_result result, const char *severity, char *reason,
	    char *fix);

enum audit_result audit_check_log_group(struct audit_out *o);
enum audit_result audit_check_retention(struct audit_out *o);
enum audit_result audit_check_subscription(struct audit_out *o);
enum audit_result audit_check_alarms(struct audit_out *o);
enum audit_result audit_check_trigger(struct audit_out *o);
enum audit_result audit_check_runtime(struct audit_out *o);
enum audit_result audit_check_layers(struct audit_out *o);
enum audit_result audit_check_drift(struct audit_out *o);
/* Log groups under /aws/lambda/ of this environment with no function. */
void	audit_check_orphan_groups(struct audit_out *o);

/* ---- fixes (audit-fix.c): allocated text ---- */

/*
 * The Terraform of part for o's function, as dlc new writes it for its
 * folder (or its name through dlc.ini's template), after a comment line
 * saying what to do (note, may be NULL).
 */
char	*audit_fix_terraform(const struct audit_out *o, enum new_terraform_part part,
	    const char *note);

#endif
