/*
 * The console's side of the audit (issue 19): the AUDIT cell of the
 * functions view (how many findings a function has) and the theme roles
 * of a check's result and a finding's severity. Pure over the model's
 * state (src/model-audit.h). A cell costs a binary search of the
 * report's rows, which the engine keeps sorted by function, not a walk
 * of them (audit_report_row): a sort of the list asks n log n times.
 *
 * When the console audits: on :audit or U (the audit view), then again
 * with the functions refreshes of that environment, at most once in
 * MODEL_AUDIT_FOLLOW_SECONDS (model-audit.h): an audit costs about three
 * requests per function (a subscription filter read per log group, a
 * rule list and a rule read per scheduled function: 305 for 100
 * functions), too many to repeat with every 30 s refresh of the list.
 */
#ifndef DLC_UI_AUDIT_CELL_H
#define DLC_UI_AUDIT_CELL_H

#include <stddef.h>

#include "model-audit.h"

/*
 * The AUDIT cell of function (its AWS name): the count of its findings,
 * "ok" when none, "…" while the first audit runs, "?" when it failed (a
 * count from an earlier audit stays while a later one runs or after it
 * failed); "" before any audit and for a function the audit did not
 * cover. *role is set for each but "".
 */
const char *audit_cell_text(const struct model_audit *ma, const char *function,
	    char *buf, size_t len, int *role);
/* For sorting: the count of findings; -1 while unknown, so those sort first. */
long	audit_cell_count(const struct model_audit *ma, const char *function);
/* The report's row of function (its AWS name), or NULL. */
const struct audit_row *audit_cell_row(const struct model_audit *ma, const char *function);

/* A check's result as a theme role: pass ok, fail error, warn warning, the rest dim. */
int	audit_cell_result_role(enum audit_result r);
/* A finding's severity as a theme role: high an error, medium a warning. */
int	audit_cell_severity_role(const char *severity);

#endif
