/*
 * dlc audit -e ENV [FUNCTION...]: the environment against the team's
 * checklist (audit.h): a table of functions by checks, then the findings
 * with their fixes, and what could not be read. Exit 0 when nothing
 * fails (warnings alone included: an unbuilt package, a newer layer, an
 * orphan do not break a nightly run), 4 when a check fails, 1 when the
 * audit could not run.
 */
#include "cli.h"

#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "jsonout.h"
#include "manifest.h"
#include "sanitize.h"
#include "table.h"
#include "xmalloc.h"

enum { CLI_AUDIT_FAILS = 4 };

struct cli_audit {
	int			 pending;
	struct audit_report	*report;
	struct dlc_err		 err;
};

static void
cli_audit_done(struct audit_report *report, const struct dlc_err *err, void *arg)
{
	struct cli_audit *c = arg;

	c->report = report;
	if (report == NULL)
		c->err = *err;
	c->pending = 0;
}

static int
cli_audit_utf8(void)
{
	const char *cs;

	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static void
cli_audit_print_text(const struct audit_report *r)
{
	const char *headers[AUDIT_NCHECKS + 3];
	const char *cells[AUDIT_NCHECKS + 3];
	char heads[AUDIT_NCHECKS][32], count[32];
	struct table *t;
	struct buf out;
	size_t i, c, k;
	int utf8 = cli_audit_utf8();
	char *s;

	headers[0] = "FUNCTION";
	headers[1] = "LOCAL";
	for (c = 0; c < AUDIT_NCHECKS; c++) {
		const char *n = audit_check_name((enum audit_check)c);

		for (k = 0; n[k] != '\0' && k + 1 < sizeof heads[c]; k++)
			heads[c][k] = n[k] == ' ' ? '-' : (char)(n[k] - ('a' <= n[k] && n[k] <= 'z' ? 32 : 0));
		heads[c][k] = '\0';
		headers[2 + c] = heads[c];
	}
	headers[2 + AUDIT_NCHECKS] = "FINDINGS";
	t = table_new(AUDIT_NCHECKS + 3, headers);
	table_set_identifier(t, 0, 1);
	table_set_identifier(t, 1, 1);
	table_set_align(t, AUDIT_NCHECKS + 2, 1);
	for (i = 0; i < r->n_rows; i++) {
		cells[0] = r->rows[i].function;
		cells[1] = r->rows[i].local != NULL ? r->rows[i].local : "-";
		for (c = 0; c < AUDIT_NCHECKS; c++)
			cells[2 + c] = audit_result_mark(r->rows[i].result[c], utf8);
		snprintf(count, sizeof count, "%zu", r->rows[i].n_findings);
		cells[2 + AUDIT_NCHECKS] = count;
		table_add_row(t, cells);
	}
	buf_init(&out, 0);
	table_render(t, &out, 0);
	table_free(t);
	if (r->n_findings > 0)
		buf_printf(&out, "\n%zu finding%s:\n", r->n_findings, r->n_findings == 1 ? "" : "s");
	for (i = 0; i < r->n_findings; i++) {
		const struct audit_finding *f = &r->findings[i];
		const char *p, *nl;

		buf_printf(&out, "\n%s %-6s  ", f->result == AUDIT_FAIL ?
		    audit_result_mark(AUDIT_FAIL, utf8) : "~", f->severity);
		s = sanitize_str(f->function != NULL ? f->function : f->subject != NULL ? f->subject : "-");
		buf_printf(&out, "%s  %s: ", s, f->check);
		free(s);
		s = sanitize_str(f->reason);
		buf_printf(&out, "%s\n", s);
		free(s);
		/* The fix, indented under its finding, line by line through the sanitiser. */
		for (p = f->fix; p != NULL && *p != '\0'; p = nl + 1) {
			nl = strchr(p, '\n');
			if (nl == NULL)
				nl = p + strlen(p);
			s = xstrndup(p, (size_t)(nl - p));
			{
				char *clean = sanitize_str(s);

				buf_printf(&out, "    %s\n", clean);
				free(clean);
			}
			free(s);
			if (*nl == '\0')
				break;
		}
	}
	if (r->n_rows == 0)
		buf_puts(&out, "no functions to audit\n");
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
}

static void
cli_audit_print_json(const struct audit_report *r, const char *env)
{
	cJSON *root = cJSON_CreateObject(), *fns, *finds, *errs, *o, *checks;
	size_t i, c;

	cJSON_AddStringToObject(root, "Environment", env);
	cJSON_AddBoolToObject(root, "Fails", audit_report_fails(r));
	fns = cJSON_AddArrayToObject(root, "Functions");
	for (i = 0; i < r->n_rows; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "FunctionName", r->rows[i].function);
		cJSON_AddItemToObject(o, "LocalFunction", jsonout_string_or_null(r->rows[i].local));
		checks = cJSON_AddObjectToObject(o, "Checks");
		for (c = 0; c < AUDIT_NCHECKS; c++)
			cJSON_AddStringToObject(checks, audit_check_key((enum audit_check)c),
			    audit_result_name(r->rows[i].result[c]));
		cJSON_AddNumberToObject(o, "Findings", (double)r->rows[i].n_findings);
		cJSON_AddItemToArray(fns, o);
	}
	finds = cJSON_AddArrayToObject(root, "Findings");
	for (i = 0; i < r->n_findings; i++) {
		const struct audit_finding *f = &r->findings[i];

		o = cJSON_CreateObject();
		cJSON_AddItemToObject(o, "FunctionName", jsonout_string_or_null(f->function));
		cJSON_AddItemToObject(o, "Subject", jsonout_string_or_null(
		    f->subject != NULL ? f->subject : f->function));
		cJSON_AddStringToObject(o, "Check", f->check);
		cJSON_AddStringToObject(o, "Result", audit_result_name(f->result));
		cJSON_AddStringToObject(o, "Severity", f->severity);
		cJSON_AddStringToObject(o, "Reason", f->reason);
		cJSON_AddStringToObject(o, "Fix", f->fix);
		cJSON_AddItemToArray(finds, o);
	}
	errs = cJSON_AddArrayToObject(root, "Unknown");
	for (i = 0; i < r->n_errors; i++)
		cJSON_AddItemToArray(errs, cJSON_CreateString(r->errors[i]));
	jsonout_write(stdout, root, 1);
	cJSON_Delete(root);
}

/* The folder whose manifest's `name =` is name, else name itself. */
static const char *
cli_audit_folder_of(const struct local_function *locals, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(locals[i].name, name) == 0)
			return name;
	for (i = 0; i < n; i++)
		if (!locals[i].is_layer && strcmp(locals[i].remote_base, name) == 0)
			return locals[i].name;
	return name;
}

int
cli_audit_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = cli_command_find("audit");
	struct cli_audit c;
	struct audit *a = NULL;
	struct aws_env *aenv = NULL;
	const struct dlc_env *env;
	struct local_function *locals = NULL;
	size_t n_locals = 0, i;
	const char *env_name = NULL;
	int ch, rc = CLI_FAIL;
	char *s;

	while ((ch = getopt_long(argc, argv, "e:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			env_name = optarg;
			break;
		default:
			if (cli_common_option(ctx, cmd, ch, optarg, &rc))
				return rc;
			break;
		}
	}
	memset(&c, 0, sizeof c);
	dlc_err_clear(&c.err);
	if (cli_setup(ctx, &c.err) != 0)
		goto out;
	if ((env = cli_find_env(ctx, env_name, &c.err)) == NULL) {
		rc = env_name == NULL ? CLI_USAGE : CLI_FAIL;
		goto out;
	}
	/* Without the manifests every function would be an orphan: say why and stop. */
	if (manifest_load_dir(ctx->cfg.functions_dir, &locals, &n_locals, &c.err) != 0)
		goto out;
	/* A `name =` override (the name dlc logs takes) stands for its folder. */
	for (i = (size_t)optind; i < (size_t)argc; i++)
		argv[i] = (char *)cli_audit_folder_of(locals, n_locals, argv[i]);
	if ((aenv = cli_open_env(ctx, env, &c.err)) == NULL)
		goto out;
	if (cli_check_account(ctx, aenv, env, &c.err) != 0)
		goto out;
	c.pending = 1;
	a = audit_start(aenv, env, &ctx->cfg, locals, n_locals,
	    (const char *const *)(argv + optind), (size_t)(argc - optind),
	    cli_audit_done, &c);
	aws_wait(&ctx->aws, &c.pending);
	if (c.report == NULL) {
		if (!dlc_err_isset(&c.err))
			dlc_err_set(&c.err, "AuditIncomplete", "the audit of %s did not finish", env->name);
		goto out;
	}
	/* A name given that matched nothing is a typo, not a clean audit. */
	for (i = (size_t)optind; i < (size_t)argc; i++)
		if (audit_report_row(c.report, argv[i]) == NULL) {
			dlc_err_set(&c.err, "NoSuchFunction", "no function '%s' in %s",
			    argv[i], env->name);
			dlc_err_fix(&c.err, "name a local folder or a remote function "
			    "(dlc ls -e %s lists them)", env->name);
			goto out;
		}
	if (ctx->json)
		cli_audit_print_json(c.report, env->name);
	else
		cli_audit_print_text(c.report);
	for (i = 0; i < c.report->n_errors; i++) {
		s = sanitize_str(c.report->errors[i]);
		fprintf(stderr, "dlc audit: %s\n", s);
		free(s);
	}
	rc = audit_report_fails(c.report) ? CLI_AUDIT_FAILS : CLI_OK;
out:
	if (rc != CLI_OK && rc != CLI_AUDIT_FAILS && dlc_err_isset(&c.err))
		cli_error(&c.err);
	audit_free(a);
	audit_report_free(c.report);
	cli_close_env(aenv);
	manifest_free_all(locals, n_locals);
	cli_teardown(ctx);
	return rc;
}
