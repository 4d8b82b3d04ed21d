/*
 * dlc audit: an environment's functions against the team's checklist (a
 * log group of its own with 14 days' retention, the errors, throttles
 * and duration alarms with actions, a subscription filter, its trigger, a
 * supported runtime, its layers, its code as this checkout has it) and
 * the orphans on either side. audit_start gathers the facts (every read
 * batched and paged, see audit-gather.c) and hands back a report: one row
 * per function with a result per check, and the findings, each with its
 * severity, a one-line reason and the fix as the Terraform `dlc new`
 * writes. A call AWS denies makes its checks unknown, not the audit fail.
 */
#ifndef DLC_AUDIT_H
#define DLC_AUDIT_H

#include <stddef.h>

#include "dlcconfig.h"
#include "err.h"

struct aws_env;
struct local_function;

enum audit_check {
	AUDIT_LOG_GROUP, AUDIT_RETENTION, AUDIT_ALARMS, AUDIT_SUBSCRIPTION,
	AUDIT_TRIGGER, AUDIT_RUNTIME, AUDIT_LAYERS, AUDIT_DRIFT, AUDIT_NCHECKS
};

/*
 * NA: the check does not apply (no log group to hold a filter, no layers,
 * no local folder to compare). UNKNOWN: the facts could not be read (a
 * call denied or failed); report->errors says which and why.
 */
enum audit_result { AUDIT_PASS, AUDIT_FAIL, AUDIT_WARN, AUDIT_NA, AUDIT_UNKNOWN };

struct audit_finding {
	char	*function;	/* the remote function; NULL for an orphan log group */
	char	*check;		/* "retention", ..., "orphan" */
	char	*severity;	/* "high" | "medium" | "low" */
	char	*reason;	/* one line; AWS's names inside: sanitise before display */
	char	*fix;		/* the Terraform (or command) that fixes it, several lines */
	enum audit_result result;	/* AUDIT_FAIL or AUDIT_WARN */
	char	*subject;	/* orphans: the log group or function named */
};

struct audit_row {
	char	*function;	/* the remote name */
	char	*local;		/* the local folder, or NULL */
	enum audit_result result[AUDIT_NCHECKS];
	size_t	 n_findings;
};

struct audit_report {
	struct audit_row	*rows;		/* sorted by function */
	size_t			 n_rows;
	struct audit_finding	*findings;	/* by function (orphans last), then check order */
	size_t			 n_findings;
	char			**errors;	/* what could not be read: the call, the permission, the checks left unknown */
	size_t			 n_errors;
};

struct audit;

/*
 * Called once from the loop: report (the callee owns it: audit_report_free)
 * or NULL with err when the audit could not run at all (ListFunctions
 * failed). The audit is finished: free it with audit_free (may be from
 * here).
 */
typedef void (*audit_done_cb)(struct audit_report *report,
    const struct dlc_err *err, void *arg);

/*
 * Audits env's functions (its own and those no template claims, as dlc ls
 * lists them; only those named in only, by remote or local name, when
 * n_only > 0). Everything passed is borrowed until done runs. Never NULL;
 * no callback runs before this returns.
 */
struct audit *audit_start(struct aws_env *aenv, const struct dlc_env *env,
	    const struct dlc_config *cfg, const struct local_function *locals,
	    size_t n_locals, const char *const *only, size_t n_only,
	    audit_done_cb done, void *arg);
/* Cancels what is in flight; done does not run after. NULL is a no-op. */
void	audit_free(struct audit *a);

void	audit_report_free(struct audit_report *r);
/* "log group", "retention", "alarms", "subscription", "trigger", "runtime", "layers", "drift". */
const char *audit_check_name(enum audit_check c);
/* The same as one word for JSON keys: "log_group", ... */
const char *audit_check_key(enum audit_check c);
/* "pass", "fail", "warn", "n/a", "unknown". */
const char *audit_result_name(enum audit_result r);
/* The table's mark: "✔" "✘" "~" "-" "?" with utf8, else "ok" "X" "~" "-" "?". */
const char *audit_result_mark(enum audit_result r, int utf8);
/* 1 when any check of any row failed or any FAIL finding exists (orphans). */
int	audit_report_fails(const struct audit_report *r);
/* The row of a function (remote or local name), or NULL. */
const struct audit_row *audit_report_row(const struct audit_report *r,
	    const char *function);

#endif
