/* The AUDIT cell and the audit's theme roles (audit-cell.h). */
#include "ui.h"
#include "audit-cell.h"

#include <stdio.h>
#include <string.h>

const struct audit_row *
audit_cell_row(const struct model_audit *ma, const char *function)
{
	const struct audit_report *r = ma != NULL ? ma->report : NULL;
	size_t lo = 0, hi;

	if (r == NULL || function == NULL)
		return NULL;
	hi = r->n_rows;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(function, r->rows[mid].function);

		if (d == 0)
			return &r->rows[mid];
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *
audit_cell_text(const struct model_audit *ma, const char *function, char *buf, size_t len,
    int *role)
{
	const struct audit_row *row = audit_cell_row(ma, function);
	size_t i;
	int failed = 0;

	if (row == NULL) {
		if (ma == NULL || ma->report != NULL)
			return "";	/* not audited yet, or listed after the audit */
		if (ma->state == MODEL_LOADING) {
			*role = ROLE_LOADING;
			return "…";
		}
		if (ma->state == MODEL_FAILED) {
			*role = ROLE_ERROR;
			return "?";
		}
		return "";
	}
	if (row->n_findings == 0) {
		*role = ROLE_OK;
		return "ok";
	}
	for (i = 0; i < AUDIT_NCHECKS; i++)
		failed |= row->result[i] == AUDIT_FAIL;
	*role = failed ? ROLE_ERROR : ROLE_WARN;
	snprintf(buf, len, "%zu", row->n_findings);
	return buf;
}

long
audit_cell_count(const struct model_audit *ma, const char *function)
{
	const struct audit_row *row = audit_cell_row(ma, function);

	return row != NULL ? (long)row->n_findings : -1;
}

int
audit_cell_result_role(enum audit_result r)
{
	return r == AUDIT_PASS ? ROLE_OK : r == AUDIT_FAIL ? ROLE_ERROR :
	    r == AUDIT_WARN ? ROLE_WARN : ROLE_DIM;
}

int
audit_cell_severity_role(const char *severity)
{
	if (severity != NULL && strcmp(severity, "high") == 0)
		return ROLE_ERROR;
	if (severity != NULL && strcmp(severity, "medium") == 0)
		return ROLE_WARN;
	return ROLE_NORMAL;
}
