/*
 * dlc history: the deployments of an environment, read from the journal
 * (the last 30 days unless --days): who deployed what, when, from which
 * commit, with which CodeSha256 (and the one it replaced), layers,
 * outcome, job id, and whether its package is kept for rollback. Newest
 * first. Torn or unparsable journal lines are skipped with a warning that
 * names the file and line; they never fail the command.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "jobstate.h"
#include "journal.h"
#include "jsonout.h"
#include "package-keep.h"
#include "sanitize.h"
#include "table.h"
#include "timeutil.h"
#include "whoami.h"
#include "xmalloc.h"

#define CLI_HISTORY_DAYS_DEFAULT	30
#define CLI_HISTORY_DAYS_MAX		3660

struct cli_history {
	struct jobstate_set	*set;
	cJSON			*skipped;	/* [{File, Line, Reason}] */
};

/* One job as shown: what the table and the JSON both need. */
struct cli_history_row {
	const struct jobstate	*job;
	char			*outcome;	/* "deployed", "interrupted at upload", ... */
	const char		*state;		/* the folded state, or "interrupted" for a dead writer's */
	int			 kept;		/* -1: not a deployment */
	char			*package;	/* the kept zip, or NULL */
};

static void
cli_history_each(const cJSON *rec, void *arg)
{
	struct cli_history *h = arg;

	jobstate_set_add(h->set, rec);
}

static void
cli_history_bad(const char *file, long line, const char *why, void *arg)
{
	struct cli_history *h = arg;
	char *f = sanitize_str(file), *w = sanitize_str(why);
	cJSON *o = cJSON_CreateObject();

	fprintf(stderr, "dlc: warning: %s line %ld: %s\n", f, line, w);
	cJSON_AddStringToObject(o, "File", file);
	cJSON_AddNumberToObject(o, "Line", (double)line);
	cJSON_AddStringToObject(o, "Reason", why);
	cJSON_AddItemToArray(h->skipped, o);
	free(f);
	free(w);
}

static int
cli_history_cmp(const void *a, const void *b)
{
	const struct jobstate *x = ((const struct cli_history_row *)a)->job;
	const struct jobstate *y = ((const struct cli_history_row *)b)->job;

	if (x->queued_ms != y->queued_ms)
		return x->queued_ms > y->queued_ms ? -1 : 1;
	return strcmp(y->id, x->id);
}

static char *
cli_history_outcome(const struct jobstate *j, const char *host)
{
	const char *step = j->step != NULL ? j->step : "the queue";

	switch (j->state) {
	case JOBSTATE_ENDED:
		if (j->error_code != NULL && j->outcome != NULL &&
		    strcmp(j->outcome, "failed") == 0)
			return xasprintf("failed (%s)", j->error_code);
		return xstrdup(j->outcome != NULL ? j->outcome : "ended");
	case JOBSTATE_INTERRUPTED:
		return xasprintf("interrupted at %s", step);
	case JOBSTATE_RUNNING:
	case JOBSTATE_WAITING:
		/* Nobody marked it yet, but its process is gone. */
		if (jobstate_writer_gone(j, host))
			return xasprintf("interrupted at %s", step);
		if (j->state == JOBSTATE_RUNNING)
			return xasprintf("running: %s", step);
		return xstrdup("waiting");
	}
	return xstrdup("unknown");
}

static void
cli_history_package(struct cli_history_row *r)
{
	const struct jobstate *j = r->job;
	struct stat st;

	r->kept = -1;
	if (j->state != JOBSTATE_ENDED || j->outcome == NULL ||
	    strcmp(j->outcome, "deployed") != 0)
		return;
	r->kept = 0;
	if (j->package != NULL && stat(j->package, &st) == 0 &&
	    S_ISREG(st.st_mode)) {
		r->package = xstrdup(j->package);
		r->kept = 1;
	} else if (j->package == NULL && j->env != NULL && j->function != NULL &&
	    (r->package = package_keep_find(j->env, j->function,
	    j->code_sha256)) != NULL)
		r->kept = 1;
}

static char *
cli_history_time(int64_t ms)
{
	char buf[TIMEUTIL_ISO_LEN];

	if (ms == 0)
		return NULL;
	timeutil_format_iso((time_t)(ms / 1000), buf, sizeof(buf));
	return xstrdup(buf);
}

/* "arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION" reads "NAME:VERSION". */
static const char *
cli_history_layer_short(const char *arn)
{
	const char *p = strstr(arn, ":layer:");

	return p != NULL ? p + 7 : arn;
}

static void
cli_history_print_text(struct cli_history_row *rows, size_t n)
{
	static const char *const headers[] = { "WHEN", "JOB", "FUNCTION",
	    "KIND", "WHO", "COMMIT", "OUTCOME", "CODESHA256", "PREVIOUS",
	    "LAYERS", "KEPT" };
	enum { NCOLS = sizeof headers / sizeof headers[0] };
	struct table *t = table_new(NCOLS, headers);
	struct buf out, layers;
	char *when, *who, sha[16], prev[16];
	const struct jobstate *j;
	size_t i, k;

	table_set_identifier(t, 1, 1);
	table_set_identifier(t, 2, 1);
	table_set_flexible(t, 1, 0);
	table_set_flexible(t, 2, 0);
	for (i = 0; i < n; i++) {
		const char *cells[NCOLS];

		j = rows[i].job;
		when = cli_history_time(j->queued_ms);
		who = xasprintf("%s@%s", j->user != NULL ? j->user : "?",
		    j->host != NULL ? j->host : "?");
		/* The first 12 characters tell deployments apart; -o json has them whole. */
		snprintf(sha, sizeof(sha), "%.12s", j->code_sha256 != NULL ? j->code_sha256 : "-");
		snprintf(prev, sizeof(prev), "%.12s", j->previous_sha256 != NULL ? j->previous_sha256 : "-");
		buf_init(&layers, 4096);
		for (k = 0; k < j->nlayers; k++)
			buf_printf(&layers, "%s%s", k > 0 ? "," : "",
			    cli_history_layer_short(j->layers[k]));
		cells[0] = when != NULL ? when : "-";
		cells[1] = j->id;
		cells[2] = j->function != NULL ? j->function : "-";
		cells[3] = j->kind != NULL ? j->kind : "-";
		cells[4] = who;
		cells[5] = j->commit != NULL ? j->commit : "-";
		cells[6] = rows[i].outcome;
		cells[7] = sha;
		cells[8] = prev;
		cells[9] = layers.len > 0 ? layers.data : "-";
		cells[10] = rows[i].kept < 0 ? "-" : rows[i].kept ? "yes" : "no";
		table_add_row(t, cells);
		free(when);
		free(who);
		buf_free(&layers);
	}
	buf_init(&out, 0);
	table_render(t, &out, 0);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	table_free(t);
}

static void
cli_history_add_time(cJSON *o, const char *key, int64_t ms)
{
	char *t = cli_history_time(ms);

	cJSON_AddItemToObject(o, key, jsonout_string_or_null(t));
	free(t);
}

static cJSON *
cli_history_row_json(const struct cli_history_row *r)
{
	const struct jobstate *j = r->job;
	cJSON *o = cJSON_CreateObject(), *l, *e;
	size_t k;

	cJSON_AddStringToObject(o, "Job", j->id);
	cJSON_AddItemToObject(o, "Function", jsonout_string_or_null(j->function));
	cJSON_AddItemToObject(o, "Remote", jsonout_string_or_null(j->remote));
	cJSON_AddItemToObject(o, "Kind", jsonout_string_or_null(j->kind));
	cJSON_AddBoolToObject(o, "Special", j->special);
	cJSON_AddItemToObject(o, "User", jsonout_string_or_null(j->user));
	cJSON_AddItemToObject(o, "Host", jsonout_string_or_null(j->host));
	cJSON_AddItemToObject(o, "Commit", jsonout_string_or_null(j->commit));
	cli_history_add_time(o, "QueuedAt", j->queued_ms);
	cli_history_add_time(o, "StartedAt", j->started_ms);
	cli_history_add_time(o, "EndedAt", j->ended_ms);
	cJSON_AddStringToObject(o, "State", r->state);
	cJSON_AddStringToObject(o, "Outcome", r->outcome);
	cJSON_AddItemToObject(o, "Step", jsonout_string_or_null(j->step));
	cJSON_AddItemToObject(o, "CodeSha256", jsonout_string_or_null(j->code_sha256));
	cJSON_AddItemToObject(o, "PreviousSha256", jsonout_string_or_null(j->previous_sha256));
	l = cJSON_AddArrayToObject(o, "Layers");
	for (k = 0; k < j->nlayers; k++)
		cJSON_AddItemToArray(l, cJSON_CreateString(j->layers[k]));
	cJSON_AddItemToObject(o, "RollbackOf", jsonout_string_or_null(j->rollback_of));
	cJSON_AddItemToObject(o, "Package", jsonout_string_or_null(r->package));
	if (r->kept < 0)
		cJSON_AddNullToObject(o, "PackageKept");
	else
		cJSON_AddBoolToObject(o, "PackageKept", r->kept);
	if (j->error_code != NULL || j->error_message != NULL) {
		e = cJSON_AddObjectToObject(o, "Error");
		cJSON_AddItemToObject(e, "Code", jsonout_string_or_null(j->error_code));
		cJSON_AddItemToObject(e, "Message", jsonout_string_or_null(j->error_message));
		cJSON_AddItemToObject(e, "Fix", jsonout_string_or_null(j->error_fix));
	}
	if (j->verified != 0) {
		cJSON_AddBoolToObject(o, "VerifiedMatches", j->verified > 0);
		cJSON_AddItemToObject(o, "DeployedSha256", jsonout_string_or_null(j->deployed_sha256));
	}
	return o;
}

static void
cli_history_print_json(const char *env, int days, struct cli_history_row *rows,
    size_t n, cJSON *skipped)
{
	cJSON *root = cJSON_CreateObject(), *list;
	size_t i;

	cJSON_AddStringToObject(root, "Environment", env);
	cJSON_AddNumberToObject(root, "Days", days);
	list = cJSON_AddArrayToObject(root, "Jobs");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(list, cli_history_row_json(&rows[i]));
	cJSON_AddItemReferenceToObject(root, "SkippedLines", skipped);
	jsonout_write(stdout, root, 1);
	cJSON_Delete(root);
}

static int
cli_history_number(const char *v, long lo, long hi, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(v, &end, 10);
	return errno == 0 && end != v && *end == '\0' && *out >= lo && *out <= hi;
}

int
cli_history_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "last", required_argument, NULL, 'n' },
		{ "days", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = cli_command_find("history");
	struct cli_history h = { NULL, NULL };
	struct cli_history_row *rows = NULL;
	const struct dlc_env *env;
	const struct jobstate *j;
	const char *env_name = NULL, *fn = NULL;
	struct dlc_err err;
	long days = CLI_HISTORY_DAYS_DEFAULT, last = 0;
	size_t i, n = 0, count;
	char *host = NULL;
	int ch, rc = CLI_FAIL;

	while ((ch = getopt_long(argc, argv, "e:n:d:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			env_name = optarg;
			break;
		case 'n':
			if (!cli_history_number(optarg, 1, 1000000, &last)) {
				fprintf(stderr, "dlc history: -n takes a number of jobs, e.g. -n 10\n");
				return CLI_USAGE;
			}
			break;
		case 'd':
			if (!cli_history_number(optarg, 1, CLI_HISTORY_DAYS_MAX, &days)) {
				fprintf(stderr, "dlc history: --days takes a number of days from 1 to %d\n",
				    CLI_HISTORY_DAYS_MAX);
				return CLI_USAGE;
			}
			break;
		default:
			if (cli_common_option(ctx, cmd, ch, optarg, &rc))
				return rc;
			break;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "dlc history: one FUNCTION at most\n");
		cli_command_help(cmd, stderr);
		return CLI_USAGE;
	}
	if (optind < argc)
		fn = argv[optind];
	dlc_err_clear(&err);
	if (cli_setup(ctx, &err) != 0)
		goto out;
	if ((env = cli_find_env(ctx, env_name, &err)) == NULL) {
		rc = env_name == NULL ? CLI_USAGE : CLI_FAIL;
		goto out;
	}
	h.set = jobstate_set_new();
	h.skipped = cJSON_CreateArray();
	if (journal_read((int)days, cli_history_each, cli_history_bad, &h, &err) != 0)
		goto out;
	host = whoami_host();
	count = jobstate_set_count(h.set);
	rows = xcalloc(count + 1, sizeof(*rows));
	for (i = 0; i < count; i++) {
		j = jobstate_set_nth(h.set, i);
		if (j->env == NULL || strcmp(j->env, env->name) != 0)
			continue;
		if (fn != NULL && (j->function == NULL || strcmp(j->function, fn) != 0) &&
		    (j->remote == NULL || strcmp(j->remote, fn) != 0))
			continue;
		rows[n].job = j;
		n++;
	}
	qsort(rows, n, sizeof(*rows), cli_history_cmp);
	if (last > 0 && (size_t)last < n)
		n = (size_t)last;
	for (i = 0; i < n; i++) {
		rows[i].outcome = cli_history_outcome(rows[i].job, host);
		rows[i].state = jobstate_writer_gone(rows[i].job, host) ?
		    "interrupted" : jobstate_state_name(rows[i].job->state);
		cli_history_package(&rows[i]);
	}
	if (ctx->json)
		cli_history_print_json(env->name, (int)days, rows, n, h.skipped);
	else if (n == 0)
		printf("no jobs in %s in the last %ld days%s%s\n", env->name, days,
		    fn != NULL ? " for " : "", fn != NULL ? fn : "");
	else
		cli_history_print_text(rows, n);
	rc = CLI_OK;
out:
	if (rc != CLI_OK && dlc_err_isset(&err))
		cli_error(&err);
	for (i = 0; rows != NULL && i < n; i++) {
		free(rows[i].outcome);
		free(rows[i].package);
	}
	free(rows);
	free(host);
	cJSON_Delete(h.skipped);
	jobstate_set_free(h.set);
	cli_teardown(ctx);
	return rc;
}
