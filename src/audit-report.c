/*
 * An audit's report: the names and marks of checks and results, and the
 * report's ownership (audit.h).
 */
#include "audit.h"

#include <stdlib.h>
#include <string.h>

static const char *const audit_check_names[AUDIT_NCHECKS] = {
	"log group", "retention", "alarms", "subscription", "trigger",
	"runtime", "layers", "drift"
};
static const char *const audit_check_keys[AUDIT_NCHECKS] = {
	"log_group", "retention", "alarms", "subscription", "trigger",
	"runtime", "layers", "drift"
};

const char *
audit_check_name(enum audit_check c)
{
	return (unsigned)c < AUDIT_NCHECKS ? audit_check_names[c] : "?";
}

const char *
audit_check_key(enum audit_check c)
{
	return (unsigned)c < AUDIT_NCHECKS ? audit_check_keys[c] : "?";
}

const char *
audit_result_name(enum audit_result r)
{
	switch (r) {
	case AUDIT_PASS: return "pass";
	case AUDIT_FAIL: return "fail";
	case AUDIT_WARN: return "warn";
	case AUDIT_NA: return "n/a";
	default: return "unknown";
	}
}

const char *
audit_result_mark(enum audit_result r, int utf8)
{
	switch (r) {
	case AUDIT_PASS: return utf8 ? "\xe2\x9c\x94" : "ok";
	case AUDIT_FAIL: return utf8 ? "\xe2\x9c\x98" : "X";
	case AUDIT_WARN: return "~";
	case AUDIT_NA: return "-";
	default: return "?";
	}
}

int
audit_report_fails(const struct audit_report *r)
{
	size_t i, c;

	if (r == NULL)
		return 0;
	for (i = 0; i < r->n_rows; i++)
		for (c = 0; c < AUDIT_NCHECKS; c++)
			if (r->rows[i].result[c] == AUDIT_FAIL)
				return 1;
	for (i = 0; i < r->n_findings; i++)
		if (r->findings[i].result == AUDIT_FAIL)
			return 1;
	return 0;
}

const struct audit_row *
audit_report_row(const struct audit_report *r, const char *function)
{
	size_t i;

	if (r == NULL || function == NULL)
		return NULL;
	for (i = 0; i < r->n_rows; i++)
		if (strcmp(r->rows[i].function, function) == 0 ||
		    (r->rows[i].local != NULL && strcmp(r->rows[i].local, function) == 0))
			return &r->rows[i];
	return NULL;
}

void
audit_report_free(struct audit_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n_rows; i++) {
		free(r->rows[i].function);
		free(r->rows[i].local);
	}
	for (i = 0; i < r->n_findings; i++) {
		free(r->findings[i].function);
		free(r->findings[i].check);
		free(r->findings[i].severity);
		free(r->findings[i].reason);
		free(r->findings[i].fix);
		free(r->findings[i].subject);
	}
	for (i = 0; i < r->n_errors; i++)
		free(r->errors[i]);
	free(r->rows);
	free(r->findings);
	free(r->errors);
	free(r);
}
