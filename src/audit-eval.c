/*
 * The facts of an environment into a report: every check per function in
 * the table's order, then the orphans (audit-facts.h).
 */
#include "audit-facts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlcconfig.h"
#include "manifest.h"
#include "xmalloc.h"

void
audit_facts_error(struct audit_facts *f, const char *fmt, ...)
{
	va_list ap;
	char *s;
	size_t i;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	/* One denied permission would otherwise be said once per function. */
	for (i = 0; i < f->n_errors; i++)
		if (strcmp(f->errors[i], s) == 0) {
			free(s);
			return;
		}
	f->errors = xreallocarray(f->errors, f->n_errors + 1, sizeof *f->errors);
	f->errors[f->n_errors++] = s;
}

void
audit_facts_clear(struct audit_facts *f)
{
	size_t i, k;

	for (i = 0; i < f->n_fns; i++) {
		lambda_function_clear(&f->fns[i].fn);
		for (k = 0; k < f->fns[i].n_rules; k++) {
			free(f->fns[i].rules[k].name);
			free(f->fns[i].rules[k].state);
		}
		free(f->fns[i].rules);
	}
	free(f->fns);
	for (i = 0; i < f->n_account_fns; i++)
		free(f->account_fns[i]);
	free(f->account_fns);
	for (i = 0; i < f->n_groups; i++)
		free(f->groups[i].name);
	free(f->groups);
	for (i = 0; i < f->n_alarms; i++) {
		free(f->alarms[i].name);
		free(f->alarms[i].function);
		free(f->alarms[i].metric);
	}
	free(f->alarms);
	lambda_esms_free(f->esms, f->n_esms);
	for (i = 0; i < f->n_layers; i++)
		free(f->layers[i].arn);
	free(f->layers);
	for (i = 0; i < f->n_errors; i++)
		free(f->errors[i]);
	free(f->errors);
	memset(f, 0, sizeof *f);
}

const struct audit_log_group *
audit_find_group(const struct audit_facts *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n_groups; i++)
		if (strcmp(f->groups[i].name, name) == 0)
			return &f->groups[i];
	return NULL;
}

/* Its function ARN, with or without a qualifier, names fn. */
static int
audit_esm_is_for(const struct lambda_esm *e, const struct lambda_function *fn)
{
	const char *p;
	size_t n;

	if (e->function_arn == NULL || fn->function_name == NULL)
		return 0;
	if (fn->function_arn != NULL && strcmp(e->function_arn, fn->function_arn) == 0)
		return 1;
	p = strstr(e->function_arn, ":function:");
	if (p == NULL)
		return 0;
	p += strlen(":function:");
	n = strlen(fn->function_name);
	return strncmp(p, fn->function_name, n) == 0 && (p[n] == '\0' || p[n] == ':');
}

int
audit_expects_stream(const struct audit_facts *f, const struct audit_fn *af)
{
	size_t i;

	/* The manifest says; without one, an existing mapping says. */
	if (af->local != NULL && af->local->trigger != NULL)
		return strcmp(af->local->trigger, "schedule") != 0;
	for (i = 0; i < f->n_esms; i++)
		if (audit_esm_is_for(&f->esms[i], &af->fn))
			return 1;
	return 0;
}

size_t
audit_esms_of(const struct audit_facts *f, const struct lambda_function *fn,
    const struct lambda_esm **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < f->n_esms && n < max; i++)
		if (audit_esm_is_for(&f->esms[i], fn))
			out[n++] = &f->esms[i];
	return n;
}

void
audit_add_finding(struct audit_out *o, const char *check,
    enum audit_result result, const char *severity, char *reason, char *fix)
{
	struct audit_report *r = o->report;
	struct audit_finding *fd;

	r->findings = xreallocarray(r->findings, r->n_findings + 1, sizeof *r->findings);
	fd = &r->findings[r->n_findings++];
	memset(fd, 0, sizeof *fd);
	fd->function = o->fn != NULL ? xstrdup(o->fn->fn.function_name) : NULL;
	fd->check = xstrdup(check);
	fd->severity = xstrdup(severity);
	fd->reason = reason;
	fd->fix = fix;
	fd->result = result;
	if (o->fn != NULL && r->n_rows > 0)
		r->rows[r->n_rows - 1].n_findings++;
}

static int
audit_fn_cmp(const void *a, const void *b)
{
	const struct audit_fn *x = a, *y = b;

	return strcmp(x->fn.function_name, y->fn.function_name);
}

struct audit_report *
audit_evaluate(struct audit_facts *f)
{
	static enum audit_result (*const checks[AUDIT_NCHECKS])(struct audit_out *) = {
		audit_check_log_group, audit_check_retention, audit_check_alarms,
		audit_check_subscription, audit_check_trigger, audit_check_runtime,
		audit_check_layers, audit_check_drift,
	};
	struct audit_report *r = xcalloc(1, sizeof *r);
	struct audit_out o;
	size_t i, c;
	char *local_name;

	if (f->n_fns > 1)
		qsort(f->fns, f->n_fns, sizeof *f->fns, audit_fn_cmp);
	r->rows = xcalloc(f->n_fns + 1, sizeof *r->rows);
	memset(&o, 0, sizeof o);
	o.report = r;
	o.facts = f;
	for (i = 0; i < f->n_fns; i++) {
		struct audit_row *row = &r->rows[r->n_rows++];
		const struct audit_fn *af = &f->fns[i];

		row->function = xstrdup(af->fn.function_name);
		row->local = af->local != NULL ? xstrdup(af->local->name) : NULL;
		local_name = af->local != NULL ? NULL :
		    f->env != NULL ? dlc_env_local_name(f->env, af->fn.function_name) : NULL;
		o.fn = af;
		o.local_name = af->local != NULL ? af->local->name :
		    local_name != NULL ? local_name : af->fn.function_name;
		o.unmatched = af->local == NULL && local_name == NULL;
		for (c = 0; c < AUDIT_NCHECKS; c++)
			row->result[c] = checks[c](&o);
		free(local_name);
	}
	o.fn = NULL;
	o.local_name = NULL;
	if (f->orphans)
		audit_check_orphan_groups(&o);
	r->errors = f->errors;
	r->n_errors = f->n_errors;
	f->errors = NULL;
	f->n_errors = 0;
	return r;
}
