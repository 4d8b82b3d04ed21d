/*
 * dlc build FUNCTION...|--all: each function's and layer's zip built
 * through build.c, two at a time (the machine's cores), a special one
 * alone. Build output goes to stderr as it comes (sanitised), with a
 * progress line on a terminal and plain phase lines in a pipe; each
 * zip's path, size and CodeSha256 go to stdout (or JSON with -o json).
 * Ctrl-C cancels the builds and waits for their staging folders to go.
 */
#include "cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "build.h"
#include "jsonout.h"
#include "loop.h"
#include "manifest.h"
#include "proc.h"
#include "sanitize.h"
#include "xmalloc.h"

/* Builds at once: pip and the packer keep one core busy each. */

struct cli_build_job {
	const struct local_function	*fn;
	struct build			*build;
	struct cli_build		*cb;
	int				 started;
	int				 finished;
	int				 ok;
	struct build_result		 res;
	char				*zip_path;
	struct dlc_err			 err;
	int				 zip_said;	/* in a pipe: a zip line was printed, at */
	unsigned			 zip_pct;	/* this percentage */
};

struct cli_build {
	struct cli_ctx		*ctx;
	struct cli_build_job	*jobs;
	size_t			 n, running, finished;
	int			 force;
	int			 tty;		/* stderr is a terminal: a progress line */
	size_t			 width;		/* its columns less one: the line never wraps */
	int			 progress_shown;
	int			 many;		/* more than one job: lines carry the name */
	int			 interrupted;
	int			 all_done;
	int			 json;
};

static const struct cli_command *
cli_build_command(void)
{
	const struct cli_command *c;

	for (c = cli_commands; c->name != NULL; c++)
		if (strcmp(c->name, "build") == 0)
			return c;
	return NULL;
}

/* The progress line goes before anything else is written to stderr. */
static void
cli_build_clear_progress(struct cli_build *cb)
{
	if (cb->tty && cb->progress_shown) {
		fputs("\r\033[K", stderr);
		cb->progress_shown = 0;
	}
}

static void
cli_build_line(const char *name, int stream, const char *text, size_t len, void *arg)
{
	struct cli_build_job *j = arg;
	struct cli_build *cb = j->cb;
	struct buf out;

	(void)stream;
	buf_init(&out, 0);
	if (cb->many)
		buf_printf(&out, "%s| ", name);
	sanitize_append(&out, text, len, SANITIZE_TAB_AS_SPACE);
	buf_putc(&out, '\n');
	cli_build_clear_progress(cb);
	fwrite(out.data, 1, out.len, stderr);
	fflush(stderr);
	buf_free(&out);
}

static void
cli_build_progress(const struct build_progress *pr, void *arg)
{
	struct cli_build_job *j = arg;
	struct cli_build *cb = j->cb;
	unsigned pct = pr->total > 0 ? (unsigned)(pr->done * 100 / pr->total) : 0;
	struct buf out;

	if (strcmp(pr->phase, "done") == 0)
		return;
	/*
	 * In a pipe: each quarter of the zip, not every step (the commands
	 * announce themselves as "$ ..." lines).
	 */
	if (!cb->tty) {
		if (strcmp(pr->phase, "zip") != 0 || pr->total == 0 ||
		    (j->zip_said && pct < j->zip_pct + 25 && pct != 100) ||
		    (j->zip_said && pct == j->zip_pct))
			return;
		j->zip_said = 1;
		j->zip_pct = pct;
	}
	buf_init(&out, 0);
	if (strcmp(pr->phase, "zip") == 0 && pr->total > 0)
		buf_printf(&out, "%s: zip %u%% of %llu KiB", pr->name, pct,
		    (unsigned long long)((pr->total + 1023) / 1024));
	else
		buf_printf(&out, "%s: %s", pr->name, pr->phase);
	if (cb->tty) {
		/* One line, rewritten: the terminal shows where the build is. */
		fputs("\r\033[K", stderr);
		fwrite(out.data, 1, out.len < cb->width ? out.len : cb->width, stderr);
		cb->progress_shown = 1;
	} else {
		buf_putc(&out, '\n');
		fwrite(out.data, 1, out.len, stderr);
	}
	fflush(stderr);
	buf_free(&out);
}

static void	cli_build_next(struct cli_build *cb);

/* One build's JSON object (printed all together, in the order asked, at the end). */
static cJSON *
cli_build_json(const struct cli_build_job *j)
{
	cJSON *o = cJSON_CreateObject(), *e;

	cJSON_AddStringToObject(o, "Name", j->fn->name);
	cJSON_AddStringToObject(o, "Kind", j->fn->is_layer ? "layer" : "function");
	if (j->ok) {
		cJSON_AddStringToObject(o, "State", j->res.skipped ? "unchanged" : "built");
		cJSON_AddStringToObject(o, "ZipPath", j->zip_path);
		cJSON_AddNumberToObject(o, "Size", (double)j->res.size);
		cJSON_AddStringToObject(o, "CodeSha256", j->res.code_sha256);
		cJSON_AddStringToObject(o, "Sha256", j->res.sha256_hex);
		return o;
	}
	cJSON_AddStringToObject(o, "State", j->started ? "failed" : "not built");
	e = cJSON_AddObjectToObject(o, "Error");
	cJSON_AddStringToObject(e, "Code", j->err.code);
	cJSON_AddStringToObject(e, "Message", j->err.message);
	cJSON_AddStringToObject(e, "Fix", j->err.fix);
	return o;
}

/* Text: a line per zip on stdout as each build ends, or its error on stderr. */
static void
cli_build_print(struct cli_build *cb, struct cli_build_job *j)
{
	char *path;

	if (cb->json)
		return;
	cli_build_clear_progress(cb);
	if (!j->ok) {
		cli_error(&j->err);
		return;
	}
	path = sanitize_str(j->zip_path);
	printf("%s %s %s %llu bytes CodeSha256 %s\n", j->fn->name,
	    j->res.skipped ? "unchanged" : "built", path,
	    (unsigned long long)j->res.size, j->res.code_sha256);
	fflush(stdout);
	free(path);
}

static void
cli_build_done(const struct build_result *r, const struct dlc_err *err, void *arg)
{
	struct cli_build_job *j = arg;
	struct cli_build *cb = j->cb;

	j->finished = 1;
	if (r != NULL) {
		j->ok = 1;
		j->res = *r;
		j->zip_path = xstrdup(r->zip_path);
		j->res.zip_path = j->zip_path;
	} else {
		j->err = *err;
	}
	build_free(j->build);
	j->build = NULL;
	cb->running--;
	cb->finished++;
	cli_build_print(cb, j);
	cli_build_next(cb);
}

/* Starts what may start: up to two at once, a special build alone. */
static void
cli_build_next(struct cli_build *cb)
{
	struct cli_build_job *j;
	struct dlc_err err;
	size_t i, k;
	int special_running;

	for (i = 0; i < cb->n && !cb->interrupted; i++) {
		j = &cb->jobs[i];
		if (j->started)
			continue;
		special_running = 0;
		for (k = 0; k < cb->n; k++)
			if (cb->jobs[k].started && !cb->jobs[k].finished &&
			    cb->jobs[k].fn->special)
				special_running = 1;
		if (!build_may_start(j->fn, cb->running, special_running))
			break;
		j->started = 1;
		dlc_err_clear(&err);
		j->build = build_start(cb->ctx->aws.loop, &cb->ctx->cfg, j->fn,
		    cb->force ? BUILD_FORCE : 0, cli_build_line, cli_build_progress,
		    cli_build_done, j, &err);
		if (j->build == NULL) {
			j->finished = 1;
			j->err = err;
			cb->finished++;
			cli_build_print(cb, j);
			continue;
		}
		cb->running++;
	}
	if (cb->finished == cb->n || (cb->interrupted && cb->running == 0))
		cb->all_done = 1;
}

static void
cli_build_interrupt(int signo, void *arg)
{
	struct cli_build *cb = arg;
	size_t i;

	(void)signo;
	if (cb->interrupted)
		return;
	cb->interrupted = 1;
	for (i = 0; i < cb->n; i++)
		if (cb->jobs[i].build != NULL)
			build_cancel(cb->jobs[i].build);
	if (cb->running == 0)
		cb->all_done = 1;
}

/* The jobs for the names given (or every folder with --all), in the order given. */
static int
cli_build_pick(struct cli_build *cb, const struct local_function *fns, size_t n_fns,
    int all, char **names, int n_names, struct dlc_err *err)
{
	const struct local_function *fn;
	int i;

	cb->jobs = xcalloc(all ? (n_fns > 0 ? n_fns : 1) : (size_t)n_names, sizeof *cb->jobs);
	if (all) {
		for (cb->n = 0; cb->n < n_fns; cb->n++) {
			cb->jobs[cb->n].cb = cb;
			cb->jobs[cb->n].fn = &fns[cb->n];
		}
		return 0;
	}
	for (i = 0; i < n_names; i++) {
		fn = manifest_find(fns, n_fns, names[i]);
		if (fn == NULL) {
			dlc_err_what(err, "building %s", names[i]);
			dlc_err_set(err, "UnknownFunction", "no folder %s under %s", names[i],
			    cb->ctx->cfg.functions_dir);
			dlc_err_fix(err, "name a folder of the functions folder (dlc ls shows them), "
			    "or pass --all");
			return -1;
		}
		cb->jobs[cb->n].cb = cb;
		cb->jobs[cb->n++].fn = fn;
	}
	return 0;
}

int
cli_build_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = cli_build_command();
	struct local_function *fns = NULL;
	struct loop_signal *sigint = NULL, *sigterm = NULL;
	struct cli_build cb;
	struct winsize ws;
	struct dlc_err err;
	size_t n_fns = 0, i;
	int ch, all = 0, rc = CLI_OK;

	memset(&cb, 0, sizeof cb);
	while ((ch = getopt_long(argc, argv, "afo:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			all = 1;
			break;
		case 'f':
			cb.force = 1;
			break;
		default:
			if (cli_common_option(ctx, cmd, ch, optarg, &rc))
				return rc;
			break;
		}
	}
	if (all == (optind < argc)) {
		fprintf(stderr, "dlc build: name the functions to build, or pass --all (not both)\n");
		cli_command_help(cmd, stderr);
		return CLI_USAGE;
	}
	dlc_err_clear(&err);
	if (cli_setup(ctx, &err) != 0 ||
	    manifest_load_dir(ctx->cfg.functions_dir, &fns, &n_fns, &err) != 0) {
		cli_teardown(ctx);
		return cli_error(&err);
	}
	cb.ctx = ctx;
	if (cli_build_pick(&cb, fns, n_fns, all, argv + optind, argc - optind, &err) != 0) {
		rc = cli_error(&err);
		goto out;
	}
	cb.tty = isatty(STDERR_FILENO);
	cb.width = 79;
	if (cb.tty && ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		cb.width = (size_t)ws.ws_col - 1;
	cb.many = cb.n > 1;
	cb.json = ctx->json;
	sigint = loop_signal_new(ctx->aws.loop, SIGINT, cli_build_interrupt, &cb);
	sigterm = loop_signal_new(ctx->aws.loop, SIGTERM, cli_build_interrupt, &cb);
	cli_build_next(&cb);
	loop_run_until(ctx->aws.loop, &cb.all_done);
	/* Staging folders are removed by children: wait for the last one. */
	while (proc_live_count() > 0 && loop_run_once(ctx->aws.loop) == 0)
		;
	cli_build_clear_progress(&cb);
	for (i = 0; i < cb.n; i++) {
		if (!cb.jobs[i].ok)
			rc = CLI_FAIL;
	}
	if (cb.json) {
		cJSON *root = cJSON_CreateObject();
		cJSON *list = cJSON_AddArrayToObject(root, "Builds");

		for (i = 0; i < cb.n; i++) {
			if (cb.jobs[i].finished)
				cJSON_AddItemToArray(list, cli_build_json(&cb.jobs[i]));
		}
		jsonout_write(stdout, root, 1);
		cJSON_Delete(root);
	}
	if (cb.interrupted) {
		fprintf(stderr, "dlc build: interrupted; the zips not built were left as they were\n");
		rc = CLI_FAIL;
	}
out:
	loop_signal_free(sigint);
	loop_signal_free(sigterm);
	for (i = 0; i < cb.n; i++) {
		build_free(cb.jobs[i].build);
		free(cb.jobs[i].zip_path);
	}
	free(cb.jobs);
	manifest_free_all(fns, n_fns);
	cli_teardown(ctx);
	return rc;
}
