/*
 * The deploy job's steps (see push.h). Each step starts from the loop,
 * records its state and progress in the job, and hands over to the next;
 * what runs at a time is one of: the build, the scan, one AWS call, the
 * waiter, or the conflict backoff timer, so cancel stops exactly that one.
 */
#include "push.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "aws.h"
#include "buf.h"
#include "aws-op.h"
#include "build.h"
#include "filehash.h"
#include "hash.h"
#include "lambda-write.h"
#include "lambda.h"
#include "loop.h"
#include "s3.h"
#include "scan-run.h"
#include "waiter.h"
#include "xmalloc.h"

struct push_job {
	struct loop		*loop;
	struct aws_env		*aenv;
	const struct dlc_config	*cfg;
	const struct dlc_env	*env;
	const struct local_function *fn;
	enum push_kind		 kind;
	struct push_options	 opts;
	struct push_callbacks	 cbs;
	void			*arg;

	struct push_step_info	 steps[PUSH_STEP_COUNT];
	enum push_step		 cur;
	struct push_result	 res;
	int			 finished;
	int			 cancelling;	/* push_job_cancel ran: start nothing more */

	char			*zip_path;
	char			 sha256_hex[65];
	/* What runs now: at most one of these. */
	struct build		*build;
	struct scan_run		*scan;
	struct aws_call		*call;
	struct waiter		*waiter;
	struct loop_timer	*timer;
	void			(*timer_fn)(struct push_job *);
	struct filehash		*fh;		/* package_path: its CodeSha256 */
	int			 pkg_fd;

	/* The gate holds the job: the step asked about and what runs it. */
	void			(*held)(struct push_job *);
	enum push_step		 held_step;
	enum push_step		 stop_step;	/* push_job_fail's step */

	uint64_t		 wait_started;
	struct waiter_config	 wait_cfg;
	/* PUSH_LAYER: the newest version seen while paging. */
	long			 newest;
	char			*newest_arn;
	/* PUSH_MOVE: the layers to set. */
	char			**layers;
	size_t			 n_layers;
};

static const char *const push_step_names[PUSH_STEP_COUNT] = {
	"build", "package", "scan", "upload", "wait", "verify"
};

const char *
push_step_name(enum push_step step)
{
	return step < PUSH_STEP_COUNT ? push_step_names[step] : "?";
}

const char *
push_state_name(enum push_state state)
{
	static const char *const names[] = { "pending", "running", "done",
	    "skipped", "failed", "cancelled" };

	return (size_t)state < sizeof names / sizeof names[0] ?
	    names[state] : "?";
}

const char *
push_outcome_name(enum push_outcome o)
{
	static const char *const names[] = { "running", "deployed",
	    "unchanged", "dry-run", "failed", "cancelled", "skipped" };

	return (size_t)o < sizeof names / sizeof names[0] ? names[o] : "?";
}

long
push_conflict_delay_ms(int attempt)
{
	if (attempt < 1 || attempt > PUSH_CONFLICT_MAX_ATTEMPTS)
		return -1;
	return attempt >= 5 ? 16000L : 1000L << (attempt - 1);
}

int
push_policy_check(const struct dlc_env *env, const char *confirmed,
    int dry_run, struct dlc_err *err)
{
	if (dry_run)
		return 0;	/* it sends nothing that changes anything */
	switch (env->deploy) {
	case DEPLOY_ALLOW:
		return 0;
	case DEPLOY_DENY:
		dlc_err_set(err, "DeployDenied", "deploys to %s are refused: "
		    "dlc.ini says deploy = deny for it", env->name);
		dlc_err_fix(err, "deploy to another environment, or have the "
		    "release process change [env %s] in dlc.ini", env->name);
		return -1;
	case DEPLOY_CONFIRM:
		if (confirmed != NULL && strcmp(confirmed, env->name) == 0)
			return 0;
		if (confirmed == NULL || confirmed[0] == '\0')
			dlc_err_set(err, "ConfirmationRequired", "deploys to "
			    "%s must be confirmed (deploy = confirm)",
			    env->name);
		else
			dlc_err_set(err, "ConfirmationRequired", "'%.100s' is "
			    "not the environment's name: nothing deployed to "
			    "%s", confirmed, env->name);
		dlc_err_fix(err, "type the environment's name '%s' when asked, "
		    "or pass --confirm %s where there is no terminal",
		    env->name, env->name);
		return -1;
	}
	return -1;
}

/* ---- state and callbacks ---- */

static void
push_set(struct push_job *j, enum push_step s, enum push_state st,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
push_set(struct push_job *j, enum push_step s, enum push_state st,
    const char *fmt, ...)
{
	va_list ap;

	if (j->finished)
		return;
	j->cur = s;
	j->steps[s].state = st;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(j->steps[s].detail, sizeof j->steps[s].detail, fmt,
		    ap);
		va_end(ap);
	}
	if (j->cbs.step != NULL)
		j->cbs.step(j, s, j->arg);
}

static void
push_progress(struct push_job *j, enum push_step s, uint64_t done,
    uint64_t total, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
push_progress(struct push_job *j, enum push_step s, uint64_t done,
    uint64_t total, const char *fmt, ...)
{
	va_list ap;

	if (j->finished)
		return;
	j->steps[s].done = done;
	j->steps[s].total = total;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(j->steps[s].detail, sizeof j->steps[s].detail, fmt,
		    ap);
		va_end(ap);
	}
	if (j->cbs.progress != NULL)
		j->cbs.progress(j, s, j->arg);
}

static void
push_finish(struct push_job *j, enum push_outcome o, const struct dlc_err *err)
{
	int s;

	if (j->finished)
		return;
	j->finished = 1;
	j->res.outcome = o;
	/* Steps never reached are not pending any more: say why. */
	for (s = 0; s < PUSH_STEP_COUNT; s++) {
		if (j->steps[s].state != PUSH_PENDING)
			continue;
		j->steps[s].state = o == PUSH_OUTCOME_FAILED ||
		    o == PUSH_OUTCOME_CANCELLED ? PUSH_CANCELLED : PUSH_SKIPPED;
	}
	if (j->cbs.done != NULL)
		j->cbs.done(j, err, j->arg);
}

static void
push_fail(struct push_job *j, enum push_step s, const struct dlc_err *err)
{
	j->steps[s].err = *err;
	push_set(j, s, PUSH_FAILED, NULL);
	push_finish(j, PUSH_OUTCOME_FAILED, &j->steps[s].err);
}

static void
push_fail_msg(struct push_job *j, enum push_step s, const char *code,
    const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
push_fail_msg(struct push_job *j, enum push_step s, const char *code,
    const char *fix, const char *fmt, ...)
{
	struct dlc_err err;
	va_list ap;

	dlc_err_clear(&err);
	snprintf(err.code, sizeof err.code, "%s", code);
	va_start(ap, fmt);
	vsnprintf(err.message, sizeof err.message, fmt, ap);
	va_end(ap);
	if (fix != NULL)
		snprintf(err.fix, sizeof err.fix, "%s", fix);
	push_fail(j, s, &err);
}

/* Runs fn from the loop after ms (0: the next turn). */
static void
push_later(struct push_job *j, long ms, void (*fn)(struct push_job *))
{
	j->timer_fn = fn;
	loop_timer_start(j->timer, ms);
}

static void
push_timer_cb(void *arg)
{
	struct push_job *j = arg;
	void (*fn)(struct push_job *) = j->timer_fn;

	j->timer_fn = NULL;
	if (fn != NULL)
		fn(j);
}

static void push_cancelled(struct push_job *j);

/*
 * Runs step s through fn unless the gate holds it; a cancelled job goes
 * straight on, since each step's fn ends a cancelled job itself.
 */
static void
push_enter(struct push_job *j, enum push_step s, void (*fn)(struct push_job *))
{
	if (!j->cancelling && j->opts.gate != NULL &&
	    j->opts.gate(j, s, j->opts.gate_arg) != 0) {
		j->held = fn;
		j->held_step = s;
		return;
	}
	fn(j);
}

/* ---- build, package, scan ---- */

static void push_scan(struct push_job *j);
static void push_upload(struct push_job *j);

/* Build output: the build's own notes and its commands' lines. */
static void
push_build_line(const char *name, int stream, const char *text, size_t len,
    void *arg)
{
	struct push_job *j = arg;

	(void)name;
	(void)stream;
	if (!j->finished && j->cbs.line != NULL)
		j->cbs.line(j, text, len, j->arg);
}

/* The build's phases: its commands are the build step, "zip" the package. */
static void
push_build_progress(const struct build_progress *pr, void *arg)
{
	struct push_job *j = arg;

	if (strcmp(pr->phase, "zip") == 0) {
		if (j->steps[PUSH_STEP_PACKAGE].state == PUSH_PENDING) {
			push_set(j, PUSH_STEP_BUILD, PUSH_DONE, "%s",
			    j->fn->n_commands > 0 ? "build commands ran" :
			    "no build commands");
			push_set(j, PUSH_STEP_PACKAGE, PUSH_RUNNING, "zipping "
			    "%s", j->fn->name);
		}
		push_progress(j, PUSH_STEP_PACKAGE, pr->done, pr->total,
		    "zipping %s", j->fn->name);
		return;
	}
	/* After the zip only its cleanup comes: the build step is over. */
	if (strcmp(pr->phase, "done") == 0 ||
	    j->steps[PUSH_STEP_PACKAGE].state != PUSH_PENDING)
		return;
	if (pr->command > 0)
		push_progress(j, PUSH_STEP_BUILD, pr->command, pr->commands,
		    "command %zu/%zu: %s", pr->command, pr->commands,
		    pr->command_line != NULL ? pr->command_line : "");
	else
		push_progress(j, PUSH_STEP_BUILD, 0, 0, "%s", pr->phase);
}

static void
push_build_done(const struct build_result *r, const struct dlc_err *err,
    void *arg)
{
	struct push_job *j = arg;
	enum push_step s = j->steps[PUSH_STEP_PACKAGE].state == PUSH_PENDING ?
	    PUSH_STEP_BUILD : PUSH_STEP_PACKAGE;

	/* Released now; it lives on until this callback returns (build.h). */
	build_free(j->build);
	j->build = NULL;
	if (j->cancelling) {
		push_cancelled(j);
		return;
	}
	if (r == NULL) {
		push_fail(j, s, err);
		return;
	}
	j->res.size = r->size;
	snprintf(j->res.local_sha256, sizeof j->res.local_sha256, "%s",
	    r->code_sha256);
	snprintf(j->sha256_hex, sizeof j->sha256_hex, "%s", r->sha256_hex);
	free(j->zip_path);
	j->zip_path = xstrdup(r->zip_path);
	if (r->skipped)
		push_set(j, PUSH_STEP_BUILD, PUSH_SKIPPED, "inputs unchanged "
		    "since the last build");
	else if (s == PUSH_STEP_BUILD)
		push_set(j, PUSH_STEP_BUILD, PUSH_DONE, NULL);
	push_set(j, PUSH_STEP_PACKAGE, PUSH_DONE, "%llu bytes, CodeSha256 %s",
	    (unsigned long long)r->size, r->code_sha256);
	push_enter(j, PUSH_STEP_SCAN, push_scan);
}

/*
 * The package of fn: build_start stages the folder, runs the build
 * commands there and packs the zip root into the build folder (skipped
 * when its inputs are unchanged).
 */
static void
push_build(struct push_job *j)
{
	struct dlc_err err;

	push_set(j, PUSH_STEP_BUILD, PUSH_RUNNING, "building %s", j->fn->name);
	if (j->cancelling)
		return;
	dlc_err_clear(&err);
	j->build = build_start(j->loop, j->cfg, j->fn, 0, push_build_line,
	    push_build_progress, push_build_done, j, &err);
	if (j->build == NULL)
		push_fail(j, PUSH_STEP_BUILD, &err);
}

static void
push_scan_done(const struct scan_report *rep, const struct dlc_err *err,
    void *arg)
{
	struct push_job *j = arg;
	struct dlc_err e;
	struct buf text;

	/* Released now; the report lives until this callback returns. */
	scan_run_free(j->scan);
	j->scan = NULL;
	if (j->cancelling) {
		push_cancelled(j);
		return;
	}
	if (rep == NULL) {
		e = *err;
		dlc_err_fix(&e, "nothing was sent: an unscanned package is not "
		    "clean; fix what stopped the scan and push again");
		push_fail(j, PUSH_STEP_SCAN, &e);
		return;
	}
	if (scan_report_count(rep) > 0) {
		buf_init(&text, 4096);
		scan_report_format(rep, &text);
		dlc_err_clear(&e);
		dlc_err_set(&e, "SecretFound", "%zu secret%s in the package of "
		    "%s, nothing sent:\n%s", scan_report_count(rep),
		    scan_report_count(rep) == 1 ? "" : "s", j->fn->name,
		    text.data != NULL ? text.data : "");
		dlc_err_fix(&e, "remove the secret from %s; a reviewed false "
		    "positive goes in its function.ini as scan-allow = RULE "
		    "PATH", j->fn->dir);
		buf_free(&text);
		push_fail(j, PUSH_STEP_SCAN, &e);
		return;
	}
	push_set(j, PUSH_STEP_SCAN, PUSH_DONE, "%zu files, no secrets%s",
	    rep->files, rep->allowed > 0 ? " (some allowed by scan-allow)" : "");
	push_enter(j, PUSH_STEP_UPLOAD, push_upload);
}

/*
 * Nothing leaves the machine unscanned: a hit, or a zip that could not be
 * read whole, fails the push here. The scan runs in a child (scan-run.h):
 * a 50 MB package takes about a second.
 */
static void
push_scan(struct push_job *j)
{
	struct dlc_err err;

	push_set(j, PUSH_STEP_SCAN, PUSH_RUNNING, "scanning the package for "
	    "secrets");
	if (j->cancelling)
		return;
	dlc_err_clear(&err);
	j->scan = scan_run_start(j->loop, j->zip_path, j->fn, push_scan_done, j,
	    &err);
	if (j->scan == NULL)
		push_fail(j, PUSH_STEP_SCAN, &err);
}

/* ---- upload ---- */

static void push_send(struct push_job *j);
static void push_wait(struct push_job *j);
static void push_verify(struct push_job *j);

/* The zip's bytes, read whole: it is at most the inline limit. */
static unsigned char *
push_read_zip(struct push_job *j, size_t *len, struct dlc_err *err)
{
	unsigned char *data;
	size_t have = 0;
	ssize_t n;
	int fd = open(j->zip_path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		dlc_err_set(err, "ReadZip", "cannot open %s: %s", j->zip_path,
		    strerror(errno));
		return NULL;
	}
	data = xmalloc(j->res.size > 0 ? (size_t)j->res.size : 1);
	while (have < j->res.size && (n = read(fd, data + have,
	    (size_t)j->res.size - have)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			dlc_err_set(err, "ReadZip", "cannot read %s: %s",
			    j->zip_path, strerror(errno));
			close(fd);
			free(data);
			return NULL;
		}
		have += (size_t)n;
	}
	close(fd);
	if (have != j->res.size) {
		dlc_err_set(err, "ReadZip", "%s changed while it was sent",
		    j->zip_path);
		free(data);
		return NULL;
	}
	*len = have;
	return data;
}

static void
push_unchanged(struct push_job *j, const char *what)
{
	push_set(j, PUSH_STEP_UPLOAD, PUSH_SKIPPED, "already deployed: %s",
	    what);
	push_set(j, PUSH_STEP_WAIT, PUSH_SKIPPED, "nothing sent");
	push_set(j, PUSH_STEP_VERIFY, PUSH_DONE, "deployed CodeSha256 %s "
	    "equals the local package's", j->res.local_sha256);
	push_finish(j, PUSH_OUTCOME_UNCHANGED, NULL);
}

static void
push_plan(struct push_job *j)
{
	j->res.via_s3 = j->kind != PUSH_MOVE &&
	    !lambda_write_fits_inline(j->res.size, j->opts.inline_limit);
	if (j->res.via_s3)
		snprintf(j->res.s3_key, sizeof j->res.s3_key,
		    "dlc/%s/%s/%s.zip", j->env->name, j->res.remote_name,
		    j->sha256_hex);
	if (j->opts.dry_run) {
		push_set(j, PUSH_STEP_UPLOAD, PUSH_SKIPPED, "dry run: would "
		    "send %llu bytes %s", (unsigned long long)j->res.size,
		    j->kind == PUSH_MOVE ? "(layers only)" :
		    j->res.via_s3 ? "through S3" : "inline");
		push_finish(j, PUSH_OUTCOME_DRY_RUN, NULL);
		return;
	}
	if (j->res.via_s3 && j->env->artifacts_bucket == NULL) {
		char fix[300];

		snprintf(fix, sizeof fix, "add artifacts-bucket = BUCKET to "
		    "[env %s] in dlc.ini", j->env->name);
		push_fail_msg(j, PUSH_STEP_UPLOAD, "NoArtifactsBucket", fix,
		    "the package of %s is %llu bytes, over Lambda's inline "
		    "limit, and %s has no artifacts bucket to upload it to",
		    j->fn->name, (unsigned long long)j->res.size,
		    j->env->name);
		return;
	}
	push_send(j);
}

static void
push_got_function(struct aws_reply *reply, struct lambda_function_code *out,
    void *arg)
{
	struct push_job *j = arg;

	j->call = NULL;
	if (reply->ok != 0) {
		if (strcmp(reply->err.code, "ResourceNotFoundException") == 0) {
			dlc_err_fix(&reply->err, "dlc push updates a function "
			    "that exists: create %s (Terraform) first",
			    j->res.remote_name);
		}
		push_fail(j, PUSH_STEP_UPLOAD, &reply->err);
		return;
	}
	if (out->config.code_sha256 != NULL)
		snprintf(j->res.remote_sha256, sizeof j->res.remote_sha256,
		    "%s", out->config.code_sha256);
	if (strcmp(j->res.remote_sha256, j->res.local_sha256) == 0) {
		push_unchanged(j, "the same CodeSha256");
		return;
	}
	push_plan(j);
}

/* PUSH_MOVE: the function's layers with move_to_arn's layer replaced. */
static void
push_got_configuration(struct aws_reply *reply, struct lambda_function *out,
    void *arg)
{
	struct push_job *j = arg;
	char *want_layer = NULL, *have_layer;
	long v;
	size_t i;
	int replaced = 0, same = 1;

	j->call = NULL;
	if (reply->ok != 0) {
		push_fail(j, PUSH_STEP_UPLOAD, &reply->err);
		return;
	}
	if (lambda_layer_arn_split(j->opts.move_to_arn, &want_layer, &v) != 0) {
		push_fail_msg(j, PUSH_STEP_UPLOAD, "BadLayerArn", NULL,
		    "'%s' is not a layer version ARN", j->opts.move_to_arn);
		return;
	}
	j->layers = xcalloc(out->n_layers + 1, sizeof *j->layers);
	for (i = 0; i < out->n_layers; i++) {
		const char *arn = out->layers[i].arn != NULL ?
		    out->layers[i].arn : "";

		have_layer = NULL;
		if (!replaced && lambda_layer_arn_split(arn, &have_layer,
		    &v) == 0 && strcmp(have_layer, want_layer) == 0) {
			/* Its place in the order is kept: order matters to Lambda. */
			j->layers[j->n_layers++] = xstrdup(j->opts.move_to_arn);
			replaced = 1;
			same = strcmp(arn, j->opts.move_to_arn) == 0;
		} else {
			j->layers[j->n_layers++] = xstrdup(arn);
		}
		free(have_layer);
	}
	free(want_layer);
	if (!replaced) {
		push_fail_msg(j, PUSH_STEP_UPLOAD, "LayerNotUsed", NULL,
		    "%s does not use the layer of %s", j->res.remote_name,
		    j->opts.move_to_arn);
		return;
	}
	if (same) {
		push_set(j, PUSH_STEP_UPLOAD, PUSH_SKIPPED, "already on %s",
		    j->opts.move_to_arn);
		push_set(j, PUSH_STEP_WAIT, PUSH_SKIPPED, "nothing sent");
		push_set(j, PUSH_STEP_VERIFY, PUSH_DONE, "Layers holds %s",
		    j->opts.move_to_arn);
		push_finish(j, PUSH_OUTCOME_UNCHANGED, NULL);
		return;
	}
	push_plan(j);
}

static void push_list_layers(struct push_job *j, const char *marker);

static void
push_got_layer_version(struct aws_reply *reply,
    struct lambda_layer_detail *out, void *arg)
{
	struct push_job *j = arg;

	j->call = NULL;
	if (reply->ok != 0) {
		push_fail(j, PUSH_STEP_UPLOAD, &reply->err);
		return;
	}
	if (out->code_sha256 != NULL)
		snprintf(j->res.remote_sha256, sizeof j->res.remote_sha256,
		    "%s", out->code_sha256);
	if (strcmp(j->res.remote_sha256, j->res.local_sha256) == 0) {
		snprintf(j->res.layer_version_arn,
		    sizeof j->res.layer_version_arn, "%s", j->newest_arn);
		j->res.layer_version = j->newest;
		push_unchanged(j, j->newest_arn);
		return;
	}
	push_plan(j);
}

static void
push_got_layer_page(struct aws_reply *reply,
    struct lambda_layer_versions_page *page, void *arg)
{
	struct push_job *j = arg;
	struct lambda_layer_version_args a;
	size_t i;

	j->call = NULL;
	if (reply->ok != 0) {
		/* A layer never published: the first version is ours. */
		if (strcmp(reply->err.code, "ResourceNotFoundException") == 0) {
			push_plan(j);
			return;
		}
		push_fail(j, PUSH_STEP_UPLOAD, &reply->err);
		return;
	}
	/* The model states no order: the newest is the highest Version. */
	for (i = 0; i < page->n; i++) {
		if (page->versions[i].version > j->newest &&
		    page->versions[i].layer_version_arn != NULL) {
			j->newest = page->versions[i].version;
			free(j->newest_arn);
			j->newest_arn = xstrdup(
			    page->versions[i].layer_version_arn);
		}
	}
	if (page->next_marker != NULL) {
		push_list_layers(j, page->next_marker);
		return;
	}
	if (j->newest_arn == NULL) {
		push_plan(j);
		return;
	}
	a.layer_name = j->res.remote_name;
	a.version = j->newest;
	j->call = lambda_get_layer_version(j->aenv, &a, push_got_layer_version,
	    j);
}

static void
push_list_layers(struct push_job *j, const char *marker)
{
	j->call = lambda_list_layer_versions(j->aenv, j->res.remote_name,
	    marker, push_got_layer_page, j);
}

static void
push_upload(struct push_job *j)
{
	push_set(j, PUSH_STEP_UPLOAD, PUSH_RUNNING, "comparing with %s in %s",
	    j->res.remote_name, j->env->name);
	if (j->cancelling)
		return;
	switch (j->kind) {
	case PUSH_CODE:
		j->call = lambda_get_function(j->aenv, j->res.remote_name,
		    push_got_function, j);
		break;
	case PUSH_LAYER:
		push_list_layers(j, NULL);
		break;
	case PUSH_MOVE:
		j->call = lambda_get_function_configuration(j->aenv,
		    j->res.remote_name, push_got_configuration, j);
		break;
	}
}

static int
push_is_conflict(struct push_job *j, const struct aws_reply *reply)
{
	long ms;

	if (strcmp(reply->err.code, "ResourceConflictException") != 0)
		return 0;
	ms = push_conflict_delay_ms(j->res.conflicts + 1);
	if (ms < 0)
		return 0;
	j->res.conflicts++;
	push_progress(j, PUSH_STEP_UPLOAD, j->steps[PUSH_STEP_UPLOAD].done,
	    j->steps[PUSH_STEP_UPLOAD].total, "another update of %s is in "
	    "progress: retry %d in %ld s", j->res.remote_name,
	    j->res.conflicts, ms / 1000);
	push_later(j, ms, push_send);
	return 1;
}

static void
push_sent_code(struct aws_reply *reply, struct lambda_function *out,
    void *arg)
{
	struct push_job *j = arg;

	j->call = NULL;
	if (reply->ok != 0) {
		if (!push_is_conflict(j, reply))
			push_fail(j, PUSH_STEP_UPLOAD, &reply->err);
		return;
	}
	if (j->kind == PUSH_MOVE)
		push_set(j, PUSH_STEP_UPLOAD, PUSH_DONE, "layers set");
	else
		push_set(j, PUSH_STEP_UPLOAD, PUSH_DONE, "sent %llu bytes %s%s",
		    (unsigned long long)j->res.size, j->res.via_s3 ?
		    "through S3" : "inline", out->last_update_status != NULL &&
		    strcmp(out->last_update_status, "Successful") == 0 ?
		    ", already settled" : "");
	push_enter(j, PUSH_STEP_WAIT, push_wait);
}

static void
push_published(struct aws_reply *reply, struct lambda_layer_detail *out,
    void *arg)
{
	struct push_job *j = arg;

	j->call = NULL;
	if (reply->ok != 0) {
		push_fail(j, PUSH_STEP_UPLOAD, &reply->err);
		return;
	}
	snprintf(j->res.layer_version_arn, sizeof j->res.layer_version_arn,
	    "%s", out->layer_version_arn);
	j->res.layer_version = out->version;
	push_set(j, PUSH_STEP_UPLOAD, PUSH_DONE, "published %s",
	    out->layer_version_arn);
	/* A layer version is usable once published: nothing to wait for. */
	push_set(j, PUSH_STEP_WAIT, PUSH_SKIPPED, "layer versions need no wait");
	push_set(j, PUSH_STEP_VERIFY, PUSH_RUNNING, NULL);
	if (out->code_sha256 == NULL ||
	    strcmp(out->code_sha256, j->res.local_sha256) != 0) {
		push_fail_msg(j, PUSH_STEP_VERIFY, "CodeSha256Mismatch",
		    "push again; if it persists, the package changed while "
		    "it was sent", "published CodeSha256 %s is not the local "
		    "package's %s", out->code_sha256 != NULL ?
		    out->code_sha256 : "(none)", j->res.local_sha256);
		return;
	}
	push_set(j, PUSH_STEP_VERIFY, PUSH_DONE, "published CodeSha256 %s "
	    "equals the local package's", j->res.local_sha256);
	push_finish(j, PUSH_OUTCOME_DEPLOYED, NULL);
}

/* Sends the package (its bytes, or the S3 object put before). */
static void
push_send_update(struct push_job *j)
{
	struct lambda_update_code_args ca;
	struct lambda_publish_layer_args la;
	unsigned char *zip = NULL;
	size_t zip_len = 0;
	struct dlc_err err;

	if (j->kind == PUSH_MOVE) {
		struct lambda_update_layers_args ma;

		ma.function_name = j->res.remote_name;
		ma.layers = (const char *const *)j->layers;
		ma.n_layers = j->n_layers;
		j->call = lambda_update_function_layers(j->aenv, &ma,
		    push_sent_code, j);
		return;
	}
	if (!j->res.via_s3) {
		dlc_err_clear(&err);
		if ((zip = push_read_zip(j, &zip_len, &err)) == NULL) {
			push_fail(j, PUSH_STEP_UPLOAD, &err);
			return;
		}
	}
	if (j->kind == PUSH_CODE) {
		memset(&ca, 0, sizeof ca);
		ca.function_name = j->res.remote_name;
		ca.zip = zip;
		ca.zip_len = zip_len;
		if (j->res.via_s3) {
			ca.s3_bucket = j->env->artifacts_bucket;
			ca.s3_key = j->res.s3_key;
		}
		j->call = lambda_update_function_code(j->aenv, &ca,
		    push_sent_code, j);
	} else {
		memset(&la, 0, sizeof la);
		la.layer_name = j->res.remote_name;
		la.description = j->fn->description != NULL &&
		    j->fn->description[0] != '\0' ? j->fn->description : NULL;
		la.runtimes = (const char *const *)&j->fn->runtime;
		la.n_runtimes = j->fn->runtime != NULL ? 1 : 0;
		la.zip = zip;
		la.zip_len = zip_len;
		if (j->res.via_s3) {
			la.s3_bucket = j->env->artifacts_bucket;
			la.s3_key = j->res.s3_key;
		}
		j->call = lambda_publish_layer_version(j->aenv, &la,
		    push_published, j);
	}
	free(zip);
}

static void
push_s3_progress(uint64_t sent, uint64_t total, void *arg)
{
	struct push_job *j = arg;

	push_progress(j, PUSH_STEP_UPLOAD, sent, total, "uploading to s3://%s/%s",
	    j->env->artifacts_bucket, j->res.s3_key);
}

static void
push_s3_done(int ok, struct aws_response *resp, void *arg)
{
	struct push_job *j = arg;

	j->call = NULL;
	if (ok != 0) {
		dlc_err_fix(&resp->err, "check that bucket %s exists in %s and "
		    "that the profile may s3:PutObject to it",
		    j->env->artifacts_bucket, j->env->name);
		push_fail(j, PUSH_STEP_UPLOAD, &resp->err);
		return;
	}
	push_progress(j, PUSH_STEP_UPLOAD, j->res.size, j->res.size,
	    "uploaded to s3://%s/%s", j->env->artifacts_bucket, j->res.s3_key);
	push_send_update(j);
}

static void
push_send(struct push_job *j)
{
	if (j->cancelling)
		return;
	if (j->kind == PUSH_MOVE) {
		push_progress(j, PUSH_STEP_UPLOAD, 0, 0, "setting the layers "
		    "of %s", j->res.remote_name);
		push_send_update(j);
		return;
	}
	if (j->res.via_s3 && j->res.conflicts == 0) {
		push_progress(j, PUSH_STEP_UPLOAD, 0, j->res.size,
		    "uploading to s3://%s/%s", j->env->artifacts_bucket,
		    j->res.s3_key);
		j->call = s3_put_object(j->aenv, j->env->artifacts_bucket,
		    j->res.s3_key, j->zip_path, push_s3_progress, push_s3_done,
		    j);
		return;
	}
	push_progress(j, PUSH_STEP_UPLOAD, 0, 0, "sending %llu "
	    "bytes %s", (unsigned long long)j->res.size, j->res.via_s3 ?
	    "from S3" : "inline");
	push_send_update(j);
}

/* ---- wait, verify ---- */

static void
push_wait_progress(int attempt, const char *value, void *arg)
{
	struct push_job *j = arg;
	uint64_t now = loop_now_ms(), used = now - j->wait_started;
	long left = j->wait_cfg.max_wait_ms > (long)used ?
	    (j->wait_cfg.max_wait_ms - (long)used + 999) / 1000 : 0;

	j->res.polls = attempt;
	push_progress(j, PUSH_STEP_WAIT, (uint64_t)attempt,
	    (uint64_t)j->wait_cfg.max_attempts, "LastUpdateStatus %s, poll "
	    "%d, %ld s left", value != NULL ? value : "?", attempt, left);
}

static void
push_wait_done(const struct dlc_err *err, void *arg)
{
	struct push_job *j = arg;
	struct dlc_err e;

	j->waiter = NULL;
	if (err != NULL) {
		e = *err;
		dlc_err_what(&e, "the update of %s in %s", j->res.remote_name,
		    j->env->name);
		if (strcmp(e.code, "WaiterTimeout") == 0)
			dlc_err_fix(&e, "it may still settle: see dlc ls -e %s; "
			    "push again once it is no longer InProgress",
			    j->env->name);
		else if (strcmp(e.code, "WaiterFailure") == 0)
			dlc_err_fix(&e, "fix what LastUpdateStatusReason says, "
			    "then push again");
		push_fail(j, PUSH_STEP_WAIT, &e);
		return;
	}
	push_set(j, PUSH_STEP_WAIT, PUSH_DONE, "LastUpdateStatus Successful "
	    "after %d poll%s", j->res.polls + 1, j->res.polls == 0 ? "" : "s");
	push_enter(j, PUSH_STEP_VERIFY, push_verify);
}

static void
push_wait(struct push_job *j)
{
	j->wait_cfg = lambda_waiter_updated;
	if (j->opts.wait_interval_ms > 0)
		j->wait_cfg.interval_ms = j->opts.wait_interval_ms;
	if (j->opts.wait_max_ms > 0)
		j->wait_cfg.max_wait_ms = j->opts.wait_max_ms;
	j->wait_cfg.max_attempts = (int)(j->wait_cfg.max_wait_ms /
	    j->wait_cfg.interval_ms) + 1;
	j->wait_started = loop_now_ms();
	push_set(j, PUSH_STEP_WAIT, PUSH_RUNNING, "LastUpdateStatus of %s",
	    j->res.remote_name);
	if (j->cancelling)
		return;
	j->waiter = waiter_start(j->loop, j->aenv,
	    &lambda_op_get_function_configuration, j->res.remote_name,
	    &j->wait_cfg, push_wait_progress, push_wait_done, j);
}

static void
push_verified(struct aws_reply *reply, struct lambda_function *out, void *arg)
{
	struct push_job *j = arg;
	size_t i;

	j->call = NULL;
	if (reply->ok != 0) {
		push_fail(j, PUSH_STEP_VERIFY, &reply->err);
		return;
	}
	if (j->kind == PUSH_MOVE) {
		for (i = 0; i < out->n_layers; i++)
			if (out->layers[i].arn != NULL &&
			    strcmp(out->layers[i].arn, j->opts.move_to_arn) == 0)
				break;
		if (i == out->n_layers) {
			push_fail_msg(j, PUSH_STEP_VERIFY, "LayersMismatch",
			    "run dlc layer ls and move it again", "%s's Layers "
			    "do not hold %s after the update",
			    j->res.remote_name, j->opts.move_to_arn);
			return;
		}
		push_set(j, PUSH_STEP_VERIFY, PUSH_DONE, "Layers holds %s",
		    j->opts.move_to_arn);
		push_finish(j, PUSH_OUTCOME_DEPLOYED, NULL);
		return;
	}
	if (out->code_sha256 == NULL ||
	    strcmp(out->code_sha256, j->res.local_sha256) != 0) {
		push_fail_msg(j, PUSH_STEP_VERIFY, "CodeSha256Mismatch",
		    "someone else may have pushed meanwhile: push again",
		    "deployed CodeSha256 %s is not the local package's %s",
		    out->code_sha256 != NULL ? out->code_sha256 : "(none)",
		    j->res.local_sha256);
		return;
	}
	push_set(j, PUSH_STEP_VERIFY, PUSH_DONE, "deployed CodeSha256 %s "
	    "equals the local package's", out->code_sha256);
	push_finish(j, PUSH_OUTCOME_DEPLOYED, NULL);
}

static void
push_verify(struct push_job *j)
{
	push_set(j, PUSH_STEP_VERIFY, PUSH_RUNNING, "reading %s's CodeSha256",
	    j->res.remote_name);
	if (j->cancelling)
		return;
	j->call = lambda_get_function_configuration(j->aenv,
	    j->res.remote_name, push_verified, j);
}

/* ---- the job ---- */

static void
push_given_hashed(const unsigned char *digest, const struct dlc_err *err,
    void *arg)
{
	struct push_job *j = arg;
	char *b64;

	j->fh = NULL;
	close(j->pkg_fd);
	j->pkg_fd = -1;
	if (j->cancelling) {
		push_cancelled(j);
		return;
	}
	if (digest == NULL) {
		push_fail(j, PUSH_STEP_PACKAGE, err);
		return;
	}
	b64 = hash_base64_encode(digest, 32);
	snprintf(j->res.local_sha256, sizeof j->res.local_sha256, "%s", b64);
	free(b64);
	hash_hex(digest, 32, j->sha256_hex);
	push_set(j, PUSH_STEP_PACKAGE, PUSH_SKIPPED, "given package %s: %llu "
	    "bytes, CodeSha256 %s", j->zip_path, (unsigned long long)j->res.size,
	    j->res.local_sha256);
	push_enter(j, PUSH_STEP_SCAN, push_scan);
}

/*
 * package_path: nothing is built; the zip is sent as it is, so the
 * CodeSha256 to compare and verify is its own, hashed a slice per turn.
 */
static void
push_given(struct push_job *j)
{
	struct stat st;

	push_set(j, PUSH_STEP_BUILD, PUSH_SKIPPED, "sending the given "
	    "package %s", j->zip_path);
	push_set(j, PUSH_STEP_PACKAGE, PUSH_RUNNING, "hashing %s", j->zip_path);
	if (j->cancelling)
		return;
	j->pkg_fd = open(j->zip_path, O_RDONLY | O_CLOEXEC);
	if (j->pkg_fd < 0 || fstat(j->pkg_fd, &st) != 0) {
		push_fail_msg(j, PUSH_STEP_PACKAGE, "ReadZip", "the kept "
		    "package may have been pruned: pick another deployment "
		    "(dlc history) or push from the source", "cannot read %s: "
		    "%s", j->zip_path, strerror(errno));
		if (j->pkg_fd >= 0)
			close(j->pkg_fd);
		j->pkg_fd = -1;
		return;
	}
	j->res.size = (uint64_t)st.st_size;
	j->fh = filehash_start(j->loop, j->pkg_fd, 0, j->res.size,
	    push_given_hashed, j);
}

static void
push_begin(struct push_job *j)
{
	if (j->kind == PUSH_MOVE) {
		push_set(j, PUSH_STEP_BUILD, PUSH_SKIPPED, "no package: layers only");
		push_set(j, PUSH_STEP_PACKAGE, PUSH_SKIPPED, NULL);
		push_set(j, PUSH_STEP_SCAN, PUSH_SKIPPED, NULL);
		push_enter(j, PUSH_STEP_UPLOAD, push_upload);
		return;
	}
	if (j->opts.package_path != NULL) {
		push_given(j);
		return;
	}
	push_enter(j, PUSH_STEP_BUILD, push_build);
}

struct push_job *
push_job_start(struct loop *loop, struct aws_env *aenv,
    const struct dlc_config *cfg, const struct dlc_env *env,
    const struct local_function *fn, enum push_kind kind,
    const struct push_options *opts, const struct push_callbacks *cbs,
    void *arg, struct dlc_err *err)
{
	struct push_job *j;
	char *remote;

	if (push_policy_check(env, opts->confirmed, opts->dry_run, err) != 0)
		return NULL;
	if ((kind == PUSH_LAYER) != (fn->is_layer != 0)) {
		dlc_err_set(err, "WrongKind", "%s is a %s", fn->name,
		    fn->is_layer ? "layer" : "function");
		dlc_err_fix(err, "%s", fn->is_layer ? "publish it with dlc "
		    "layer publish" : "push it with dlc push");
		return NULL;
	}
	if (kind == PUSH_MOVE && opts->move_to_arn == NULL) {
		dlc_err_set(err, "NoLayerVersion", "moving %s needs a layer "
		    "version", fn->name);
		return NULL;
	}
	j = xcalloc(1, sizeof *j);
	j->loop = loop;
	j->aenv = aenv;
	j->cfg = cfg;
	j->env = env;
	j->fn = fn;
	j->kind = kind;
	j->opts = *opts;
	if (cbs != NULL)
		j->cbs = *cbs;
	j->arg = arg;
	remote = dlc_env_remote_name(env, fn->remote_base != NULL ?
	    fn->remote_base : fn->name);
	snprintf(j->res.remote_name, sizeof j->res.remote_name, "%s", remote);
	free(remote);
	j->zip_path = opts->package_path != NULL && kind != PUSH_MOVE ?
	    xstrdup(opts->package_path) : build_zip_path(cfg, fn);
	if (kind == PUSH_MOVE)
		j->opts.package_path = NULL;
	j->pkg_fd = -1;
	j->held_step = PUSH_STEP_COUNT;
	j->timer = loop_timer_new(loop, push_timer_cb, j);
	push_later(j, 0, push_begin);
	return j;
}

static void
push_cancelled(struct push_job *j)
{
	struct dlc_err err;

	dlc_err_clear(&err);
	dlc_err_set(&err, "Cancelled", "the push of %s to %s was cancelled",
	    j->fn->name, j->env->name);
	/* A job held between steps: the step that ended stays as it was. */
	if (j->steps[j->cur].state == PUSH_RUNNING ||
	    j->steps[j->cur].state == PUSH_PENDING)
		push_set(j, j->cur, PUSH_CANCELLED, NULL);
	push_finish(j, PUSH_OUTCOME_CANCELLED, &err);
}

void
push_job_cancel(struct push_job *j)
{
	if (j == NULL || j->finished || j->cancelling)
		return;
	j->cancelling = 1;
	j->held = NULL;
	j->held_step = PUSH_STEP_COUNT;
	if (j->build != NULL) {
		build_cancel(j->build);	/* its done says Cancelled */
		return;
	}
	if (j->scan != NULL) {
		scan_run_cancel(j->scan);	/* its done says Cancelled */
		return;
	}
	aws_call_cancel(j->call);
	j->call = NULL;
	waiter_cancel(j->waiter);
	j->waiter = NULL;
	filehash_cancel(j->fh);
	j->fh = NULL;
	push_later(j, 0, push_cancelled);
}

void
push_job_resume(struct push_job *j)
{
	void (*fn)(struct push_job *);

	if (j == NULL || j->finished || j->held == NULL)
		return;
	fn = j->held;
	j->held = NULL;
	j->held_step = PUSH_STEP_COUNT;
	push_later(j, 0, fn);
}

static void
push_failed_held(struct push_job *j)
{
	push_fail(j, j->stop_step, &j->steps[j->stop_step].err);
}

void
push_job_fail(struct push_job *j, const struct dlc_err *err)
{
	if (j == NULL || j->finished || j->held == NULL)
		return;
	j->stop_step = j->held_step;
	j->steps[j->stop_step].err = *err;
	j->held = NULL;
	j->held_step = PUSH_STEP_COUNT;
	push_later(j, 0, push_failed_held);
}

static void
push_skipped(struct push_job *j)
{
	push_finish(j, PUSH_OUTCOME_SKIPPED, NULL);
}

void
push_job_skip(struct push_job *j)
{
	if (j == NULL || j->finished || j->held == NULL)
		return;
	j->held = NULL;
	j->held_step = PUSH_STEP_COUNT;
	push_later(j, 0, push_skipped);
}

enum push_step
push_job_held(const struct push_job *j)
{
	return j->held != NULL ? j->held_step : PUSH_STEP_COUNT;
}

void
push_job_free(struct push_job *j)
{
	size_t i;

	if (j == NULL)
		return;
	build_free(j->build);
	scan_run_free(j->scan);
	aws_call_cancel(j->call);
	waiter_cancel(j->waiter);
	filehash_cancel(j->fh);
	if (j->pkg_fd >= 0)
		close(j->pkg_fd);
	loop_timer_free(j->timer);
	free(j->zip_path);
	free(j->newest_arn);
	for (i = 0; i < j->n_layers; i++)
		free(j->layers[i]);
	free(j->layers);
	free(j);
}

const struct push_step_info *
push_job_step(const struct push_job *j, enum push_step step)
{
	return &j->steps[step < PUSH_STEP_COUNT ? step : 0];
}

enum push_step
push_job_current(const struct push_job *j)
{
	return j->cur;
}

const struct push_result *
push_job_result(const struct push_job *j)
{
	return &j->res;
}

const struct local_function *
push_job_function(const struct push_job *j)
{
	return j->fn;
}
