/*
 * dlc queue [ls] | cancel ID | verify ID | retry ID: this machine's deploy
 * jobs as the journal has them (running, waiting, interrupted, and the
 * recent ended ones), and what can be done to one from another process.
 * A running job belongs to the dlc that runs it, so cancel asks it (a
 * "cancel" record its queue acts on); an interrupted job has no process
 * left to ask, so it is verified (is its package what is deployed?) or
 * queued again, here.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli-detach.h"
#include "cli-jobs.h"
#include "cli-journal.h"
#include "cli-push.h"
#include "jobstate.h"
#include "journal.h"
#include "jsonout.h"
#include "manifest.h"
#include "sanitize.h"
#include "table.h"
#include "verify-job.h"
#include "xmalloc.h"

/* Ended jobs listed by dlc queue (text): the newest this many. */
#define CLI_QUEUE_RECENT	10

struct cli_queue_args {
	const char	*sub;
	const char	*id;
	const char	*confirm;
	int		 no_wait;
	int		 report_fd;
};

static void
cli_queue_elapsed(const struct jobstate *js, long long now, char *out,
    size_t len)
{
	int64_t from = js->started_ms > 0 ? js->started_ms : js->queued_ms;
	int64_t to = js->ended_ms > 0 ? js->ended_ms : now;
	long long s = from > 0 && to >= from ? (to - from) / 1000 : 0;

	if (s >= 3600)
		snprintf(out, len, "%lldh%02lldm", s / 3600, s / 60 % 60);
	else if (s >= 60)
		snprintf(out, len, "%lldm%02llds", s / 60, s % 60);
	else
		snprintf(out, len, "%llds", s);
}

/* Which jobs dlc queue shows: all not ended, and the newest ended ones. */
static int
cli_queue_shown(const struct jobstate_set *set, size_t i)
{
	const struct jobstate *js = jobstate_set_nth(set, i);
	size_t k, newer = 0;

	if (js->state != JOBSTATE_ENDED)
		return 1;
	for (k = 0; k < jobstate_set_count(set); k++) {
		const struct jobstate *o = jobstate_set_nth(set, k);

		if (o->state == JOBSTATE_ENDED && (o->ended_ms > js->ended_ms ||
		    (o->ended_ms == js->ended_ms && strcmp(o->id, js->id) > 0)))
			newer++;
	}
	return newer < CLI_QUEUE_RECENT;
}

static int
cli_queue_ls(struct cli_ctx *ctx, const struct jobstate_set *set)
{
	static const char *const headers[] = { "ID", "ENV", "FUNCTION", "KIND",
	    "STATE", "STEP", "ELAPSED", "OUTCOME", "WHO" };
	enum { NCOLS = sizeof headers / sizeof headers[0] };
	long long now = journal_now_ms();
	size_t i, n = jobstate_set_count(set);
	cJSON *root, *jobs;
	struct table *t;
	struct buf out;

	if (ctx->json) {
		root = cJSON_CreateObject();
		jobs = cJSON_AddArrayToObject(root, "Jobs");
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(jobs, cli_journal_job_json(
			    jobstate_set_nth(set, i), now));
		jsonout_write(stdout, root, 1);
		cJSON_Delete(root);
		return CLI_OK;
	}
	t = table_new(NCOLS, headers);
	for (i = 0; i < NCOLS; i++)
		table_set_identifier(t, i, 1);
	table_set_identifier(t, 7, 0);
	for (i = 0; i < n; i++) {
		const struct jobstate *js = jobstate_set_nth(set, i);
		const char *cells[NCOLS];
		char elapsed[32], who[256], note[1024];

		if (!cli_queue_shown(set, i))
			continue;
		cli_queue_elapsed(js, now, elapsed, sizeof elapsed);
		snprintf(who, sizeof who, "%s@%s", js->user != NULL ? js->user :
		    "?", js->host != NULL ? js->host : "?");
		if (js->state == JOBSTATE_WAITING)
			snprintf(note, sizeof note, "waiting: %s",
			    js->waiting != NULL ? js->waiting : "its turn");
		else if (js->state == JOBSTATE_INTERRUPTED)
			snprintf(note, sizeof note, "%s", js->verified > 0 ?
			    "verified: deployed" : js->verified < 0 ?
			    "verified: not deployed" : "verify or retry");
		else if (js->state == JOBSTATE_ENDED)
			snprintf(note, sizeof note, "%s%s%s", js->outcome != NULL ?
			    js->outcome : "?", js->error_message != NULL ? ": " :
			    "", js->error_message != NULL ? js->error_message : "");
		else
			snprintf(note, sizeof note, "%s", js->cancel_requested ?
			    "cancel requested" : js->progress_line != NULL ?
			    js->progress_line : "");
		cells[0] = js->id;
		cells[1] = js->env != NULL ? js->env : "-";
		cells[2] = js->function != NULL ? js->function : "-";
		cells[3] = js->kind != NULL ? js->kind : "-";
		cells[4] = jobstate_state_name(js->state);
		cells[5] = js->step != NULL ? js->step : "-";
		cells[6] = elapsed;
		cells[7] = note[0] != '\0' ? note : "-";
		cells[8] = who;
		table_add_row(t, cells);
	}
	buf_init(&out, 0);
	table_render(t, &out, 0);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	table_free(t);
	return CLI_OK;
}

/* The job named by id (or a unique prefix); NULL with err. */
static const struct jobstate *
cli_queue_find(const struct jobstate_set *set, const char *id,
    struct dlc_err *err)
{
	const struct jobstate *js = jobstate_set_find(set, id);

	if (js != NULL)
		return js;
	if (jobstate_set_count_prefix(set, id) > 1)
		dlc_err_set(err, "AmbiguousJob", "more than one job's id starts "
		    "with '%s'", id);
	else
		dlc_err_set(err, "NoSuchJob", "no job '%s' in this machine's "
		    "journal of the last %d days", id, CLI_JOURNAL_RECENT_DAYS);
	dlc_err_fix(err, "'dlc queue' lists the jobs and their ids");
	return NULL;
}

struct cli_queue_append {
	int		pending;
	struct dlc_err	err;
	int		failed;
};

static void
cli_queue_appended(const struct dlc_err *err, void *arg)
{
	struct cli_queue_append *a = arg;

	a->pending = 0;
	if (err != NULL) {
		a->err = *err;
		a->failed = 1;
	}
}

/* Appends rec (taken) and waits until it is durable. */
static int
cli_queue_append(struct cli_ctx *ctx, struct journal *j, cJSON *rec,
    struct dlc_err *err)
{
	struct cli_queue_append a;

	memset(&a, 0, sizeof a);
	a.pending = 1;
	journal_append(j, rec, cli_queue_appended, &a);
	aws_wait(&ctx->aws, &a.pending);
	if (a.failed || a.pending) {
		*err = a.err;
		if (!dlc_err_isset(err))
			dlc_err_set(err, "JournalWrite", "the journal's write "
			    "was not confirmed");
		return -1;
	}
	return 0;
}

static cJSON *
cli_queue_record(const char *id, const char *ev)
{
	cJSON *rec = cJSON_CreateObject();

	cJSON_AddStringToObject(rec, "job", id);
	cJSON_AddStringToObject(rec, "ev", ev);
	return rec;
}

static int
cli_queue_cancel(struct cli_ctx *ctx, struct journal *j,
    const struct jobstate *js, struct dlc_err *err)
{
	if (js->state == JOBSTATE_INTERRUPTED) {
		dlc_err_set(err, "JobInterrupted", "job %s was interrupted at %s:"
		    " no dlc runs it any more, so there is nothing to cancel",
		    js->id, js->step != NULL ? js->step : "its start");
		dlc_err_fix(err, "'dlc queue verify %s' says whether it "
		    "deployed; 'dlc queue retry %s' runs it again", js->id,
		    js->id);
		return -1;
	}
	if (js->state == JOBSTATE_ENDED) {
		dlc_err_set(err, "JobEnded", "job %s has already ended (%s)",
		    js->id, js->outcome != NULL ? js->outcome : "?");
		dlc_err_fix(err, "nothing to cancel; 'dlc rollback -e %s %s' "
		    "undoes a deployment", js->env != NULL ? js->env : "ENV",
		    js->function != NULL ? js->function : "FUNCTION");
		return -1;
	}
	if (cli_queue_append(ctx, j, cli_queue_record(js->id, "cancel"),
	    err) != 0)
		return -1;
	if (ctx->json) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "Id", js->id);
		cJSON_AddBoolToObject(o, "CancelRequested", 1);
		cJSON_AddNumberToObject(o, "Pid", (double)js->writer_pid);
		jsonout_write(stdout, o, 1);
		cJSON_Delete(o);
	} else {
		printf("job %s: cancel requested; dlc process %ld stops it "
		    "before its next step ('dlc queue' shows when)\n", js->id,
		    js->writer_pid);
	}
	return 0;
}

static int
cli_queue_verify(struct cli_ctx *ctx, struct journal *j,
    const struct jobstate *js, struct dlc_err *err)
{
	const struct dlc_env *env;
	struct aws_env *aenv = NULL;
	char *want = NULL, *deployed = NULL;
	const char *verdict;
	cJSON *o;
	int rc = -1, matches = 0;

	if (js->kind != NULL && strcmp(js->kind, "code") != 0 &&
	    strcmp(js->kind, "rollback") != 0) {
		dlc_err_set(err, "NotVerifiable", "job %s is a %s job: verify "
		    "compares a function's deployed code", js->id, js->kind);
		dlc_err_fix(err, "'dlc layer ls -e %s' shows which version each "
		    "function pins", js->env != NULL ? js->env : "ENV");
		return -1;
	}
	if (js->env == NULL || js->remote == NULL ||
	    (env = cli_find_env(ctx, js->env, err)) == NULL) {
		if (!dlc_err_isset(err))
			dlc_err_set(err, "BadJob", "job %s names no environment "
			    "or function", js->id);
		return -1;
	}
	want = verify_job_package_sha(js);
	if ((aenv = cli_open_env(ctx, env, err)) == NULL)
		goto out;
	if (cli_push_deployed_sha(ctx, aenv, js->remote, &deployed, err) != 0) {
		dlc_err_what(err, "reading %s in %s", js->remote, js->env);
		goto out;
	}
	verdict = verify_job_verdict(want, js->step, deployed, &matches);
	if (strcmp(verdict, "unknown") != 0 && cli_queue_append(ctx, j,
	    verify_job_record(js->id, deployed, matches), err) != 0)
		goto out;
	if (ctx->json) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "Id", js->id);
		cJSON_AddStringToObject(o, "Result", verdict);
		cJSON_AddItemToObject(o, "DeployedCodeSha256",
		    jsonout_string_or_null(deployed));
		cJSON_AddItemToObject(o, "JobCodeSha256",
		    jsonout_string_or_null(want));
		cJSON_AddBoolToObject(o, "Matches", matches);
		jsonout_write(stdout, o, 1);
		cJSON_Delete(o);
	} else {
		char line[1024], *clean;

		snprintf(line, sizeof line, "job %s: %s: %s in %s runs "
		    "CodeSha256 %s; the job's package is %s", js->id, verdict,
		    js->remote, js->env, deployed != NULL ? deployed : "(none: not "
		    "found)", want != NULL ? want : "unknown (it stopped before "
		    "its package step reported one)");
		clean = sanitize_str(line);
		printf("%s\n", clean);
		free(clean);
	}
	rc = 0;
out:
	free(want);
	free(deployed);
	cli_close_env(aenv);
	return rc;
}

static int
cli_queue_retry(struct cli_ctx *ctx, struct cli_jobs *cj,
    const struct jobstate *js, struct cli_queue_args *a, struct dlc_err *err)
{
	struct local_function *locals = NULL;
	size_t n_locals = 0;
	const struct local_function *fn;
	const struct dlc_env *env;
	struct aws_env *aenv = NULL;
	struct push_options opts;
	enum push_kind kind = PUSH_CODE;
	char *typed = NULL, what[300], *args[8];
	const char *id;
	int rc = -1, failed;

	memset(&opts, 0, sizeof opts);
	if (js->state != JOBSTATE_INTERRUPTED && !(js->state ==
	    JOBSTATE_ENDED && js->outcome != NULL &&
	    (strcmp(js->outcome, "failed") == 0 ||
	    strcmp(js->outcome, "cancelled") == 0))) {
		dlc_err_set(err, "NotRetriable", "job %s is %s%s%s: only an "
		    "interrupted, failed or cancelled job is retried", js->id,
		    jobstate_state_name(js->state), js->outcome != NULL ? ", " :
		    "", js->outcome != NULL ? js->outcome : "");
		dlc_err_fix(err, "'dlc push -e %s %s' deploys it anew",
		    js->env != NULL ? js->env : "ENV", js->function != NULL ?
		    js->function : "FUNCTION");
		return -1;
	}
	if (js->kind != NULL && strcmp(js->kind, "move") == 0) {
		dlc_err_set(err, "NotRetriable", "job %s moved %s to a layer "
		    "version, which the journal does not name", js->id,
		    js->function != NULL ? js->function : "a function");
		dlc_err_fix(err, "run 'dlc layer publish' again: it offers the "
		    "move");
		return -1;
	}
	if (js->kind != NULL && strcmp(js->kind, "layer") == 0)
		kind = PUSH_LAYER;
	if (js->kind != NULL && strcmp(js->kind, "rollback") == 0)
		opts.package_path = js->package;
	if (js->env == NULL || (env = cli_find_env(ctx, js->env, err)) == NULL)
		return -1;
	if (manifest_load_dir(ctx->cfg.functions_dir, &locals, &n_locals,
	    err) != 0)
		return -1;
	fn = js->function != NULL ? manifest_find(locals, n_locals,
	    js->function) : NULL;
	if (fn == NULL) {
		dlc_err_set(err, "UnknownFunction", "job %s's function '%s' is "
		    "no folder under %s", js->id, js->function != NULL ?
		    js->function : "?", ctx->cfg.functions_dir);
		dlc_err_fix(err, "retry from the checkout that queued it");
		goto out;
	}
	snprintf(what, sizeof what, "Retrying job %s (%s)", js->id, fn->name);
	typed = cli_push_confirm(env, a->confirm, 0, what);
	opts.confirmed = typed;
	if (push_policy_check(env, typed, 0, err) != 0)
		goto out;
	opts.inline_limit = cli_push_inline_limit();
	if (a->no_wait) {
		size_t k = 0;

		args[k++] = (char *)"retry";
		if (typed != NULL) {
			args[k++] = (char *)"--confirm";
			args[k++] = typed;
		}
		args[k++] = (char *)"--";
		args[k++] = (char *)js->id;
		args[k] = NULL;
		rc = cli_detach_run(ctx, "queue", args, stdout, err) > 0 ? 0 : -1;
		goto out;
	}
	if ((aenv = cli_open_env(ctx, env, err)) == NULL)
		goto out;
	if (cli_check_account(ctx, aenv, env, err) != 0)
		goto out;
	id = cli_jobs_add(cj, aenv, env, fn, kind, &opts, js->kind != NULL &&
	    strcmp(js->kind, "rollback") == 0 ? js->rollback_of : NULL, err);
	if (id == NULL)
		goto out;
	fprintf(stderr, "dlc: job %s retries job %s (%s to %s)\n", id, js->id,
	    fn->name, env->name);
	failed = cli_jobs_wait(cj, cli_push_ended, ctx);
	if (ctx->json) {
		cJSON *o = cli_jobs_json(cli_jobs_get(cj, 0));

		cJSON_AddStringToObject(o, "RetryOf", js->id);
		jsonout_write(stdout, o, 1);
		cJSON_Delete(o);
	}
	rc = failed > 0 ? -2 : 0;
out:
	free(typed);
	cli_close_env(aenv);
	manifest_free_all(locals, n_locals);
	return rc;
}

int
cli_queue_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "confirm", required_argument, NULL, 'y' },
		{ "no-wait", no_argument, NULL, 'W' },
		{ "report-fd", required_argument, NULL, 'R' },	/* hidden: cli-detach.h */
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = cli_command_find("queue");
	struct cli_queue_args a;
	struct jobstate_set *set = NULL;
	const struct jobstate *js;
	struct cli_jobs *cj = NULL;
	struct journal *j = NULL;
	struct dlc_err err;
	int ch, rc = CLI_FAIL, r, nargs;

	memset(&a, 0, sizeof a);
	a.report_fd = -1;
	while ((ch = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'y':
			a.confirm = optarg;
			break;
		case 'W':
			a.no_wait = 1;
			break;
		case 'R':
			if ((a.report_fd = cli_detach_parse_fd(optarg)) < 0)
				return CLI_USAGE;
			break;
		default:
			if (cli_common_option(ctx, cmd, ch, optarg, &rc))
				return rc;
			break;
		}
	}
	nargs = argc - optind;
	a.sub = nargs > 0 ? argv[optind] : "ls";
	a.id = nargs > 1 ? argv[optind + 1] : NULL;
	if (strcmp(a.sub, "ls") == 0 ? nargs > 1 :
	    (strcmp(a.sub, "cancel") != 0 && strcmp(a.sub, "verify") != 0 &&
	    strcmp(a.sub, "retry") != 0) || nargs != 2) {
		fprintf(stderr, "dlc queue: say ls, cancel ID, verify ID or "
		    "retry ID\n");
		cli_command_help(cmd, stderr);
		return CLI_USAGE;
	}
	dlc_err_clear(&err);
	if (cli_setup(ctx, &err) != 0)
		goto out;
	/* retry queues a job: the queue's own journal; else a plain one. */
	if (strcmp(a.sub, "retry") == 0 && !a.no_wait) {
		if ((cj = cli_jobs_new(ctx, &err)) == NULL)
			goto out;
		cli_jobs_report_to(cj, &a.report_fd);
		j = cli_jobs_journal(cj);
	} else if ((j = journal_open(ctx->aws.loop, &err)) == NULL) {
		goto out;
	}
	if ((set = cli_journal_load(CLI_JOURNAL_RECENT_DAYS, &err)) == NULL)
		goto out;
	if (cj == NULL)
		cli_journal_interrupted(set, j);
	if (strcmp(a.sub, "ls") == 0) {
		rc = cli_queue_ls(ctx, set);
		goto out;
	}
	if ((js = cli_queue_find(set, a.id, &err)) == NULL)
		goto out;
	if (strcmp(a.sub, "cancel") == 0)
		r = cli_queue_cancel(ctx, j, js, &err);
	else if (strcmp(a.sub, "verify") == 0)
		r = cli_queue_verify(ctx, j, js, &err);
	else
		r = cli_queue_retry(ctx, cj, js, &a, &err);
	rc = r == 0 ? CLI_OK : CLI_FAIL;
out:
	cli_detach_done(&a.report_fd);
	if (dlc_err_isset(&err))
		cli_error(&err);
	jobstate_set_free(set);
	if (cj != NULL)
		cli_jobs_free(cj);
	else
		journal_free(j);
	cli_teardown(ctx);
	return rc;
}
