/*
 * dlc metrics -e ENV FUNCTION: a function's Lambda metrics over a window
 * (invocations, errors, throttles, duration p50/p99, concurrent
 * executions) from one GetMetricData call, as a table with each metric's
 * total (the Sum metrics) and largest value, or as JSON with every
 * series. On a terminal the table ends with a sparkline per metric, in
 * block characters when the locale is UTF-8 and in ASCII otherwise; not
 * on a pipe or a file, where the table is for reading by scripts (the
 * series are in -o json).
 */
#include "cli.h"

#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "aws-op.h"
#include "fn-metrics.h"
#include "jsonout.h"
#include "manifest.h"
#include "sanitize.h"
#include "sparkline.h"
#include "table.h"
#include "timeutil.h"
#include "xmalloc.h"

/* A day of 1-minute points: past this, --period is too short for --since. */
#define CLI_METRICS_MAX_POINTS	1440

struct cli_metrics {
	int			 pending;
	struct dlc_err		 err;
	char			*function;	/* the remote name */
	struct fn_metrics	*fm;		/* one */
};

struct cli_metrics_wait {
	struct cli_metrics		*c;
	const struct fn_metrics_batch	*b;
};

static void
cli_metrics_done(struct aws_reply *reply, struct cw_series *series, size_t n,
    void *arg)
{
	struct cli_metrics_wait *w = arg;

	w->c->pending = 0;
	if (series == NULL) {
		w->c->err = reply->err;
		return;
	}
	w->c->fm = fn_metrics_collect(w->b, series, n);
}

/* The Sum metrics add up over the window; a percentile or a maximum does not. */
static int
cli_metrics_is_sum(enum fn_metric m)
{
	return strcmp(fn_metric_stat(m), "Sum") == 0;
}

static int
cli_metrics_stats(const struct cw_series *s, double *total, double *max)
{
	size_t i, have = 0;

	*total = 0;
	*max = 0;
	for (i = 0; i < s->n; i++) {
		if (isnan(s->v[i]))
			continue;
		*total += s->v[i];
		if (have == 0 || s->v[i] > *max)
			*max = s->v[i];
		have++;
	}
	return (int)(have > 0);
}

static const char *
cli_metrics_num(double x, char *buf, size_t len)
{
	if (x == (double)(long long)x && x < 1e15 && x > -1e15)
		snprintf(buf, len, "%lld", (long long)x);
	else
		snprintf(buf, len, "%.2f", x);
	return buf;
}

/* Is the locale's character set UTF-8? Read, never left changed. */
static int
cli_metrics_utf8(void)
{
	char *old = setlocale(LC_CTYPE, NULL);
	const char *cs;
	int utf8;

	old = old != NULL ? xstrdup(old) : NULL;
	if (setlocale(LC_CTYPE, "") == NULL)
		utf8 = 0;
	else {
		cs = nl_langinfo(CODESET);
		utf8 = cs != NULL && (strcasecmp(cs, "UTF-8") == 0 ||
		    strcasecmp(cs, "utf8") == 0);
	}
	setlocale(LC_CTYPE, old != NULL ? old : "C");
	free(old);
	return utf8;
}

static const char *const cli_metrics_rows[FN_METRIC_COUNT] = {
	"invocations", "errors", "throttles", "duration p50 (ms)",
	"duration p99 (ms)", "concurrent executions",
};

static void
cli_metrics_print_text(const struct fn_metrics_batch *b, struct fn_metrics *fm,
    const char *env, const char *since, const char *period)
{
	static const char *const head[] = { "METRIC", "STAT", "TOTAL", "MAX",
	    "POINTS", "" };
	int tty = isatty(STDOUT_FILENO), utf8 = tty && cli_metrics_utf8();
	size_t ncols = tty ? 6 : 5, spark_w = 0, g = fn_metrics_grid(b);
	char from[32], to[32], tot[32], max[32], pts[48], *line;
	struct winsize ws;
	struct table *t;
	struct buf out;
	double total, hi;
	int m, have;

	/* What is left of the terminal after the numbers: 58 columns. */
	if (tty) {
		spark_w = 48;
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
			spark_w = ws.ws_col > 58 + 8 ? ws.ws_col - 58 : 8;
	}
	line = xmalloc(spark_w * SPARKLINE_MAX_GLYPH + 1);
	timeutil_format_iso(b->start, from, sizeof from);
	timeutil_format_iso(b->end, to, sizeof to);
	buf_init(&out, 0);
	/* The name is Lambda's answer: through the sanitiser like every cell. */
	sanitize_append(&out, fm->function, strlen(fm->function), 0);
	buf_puts(&out, " in ");
	sanitize_append(&out, env, strlen(env), 0);
	buf_printf(&out, ": last %s in %s periods, %s to %s\n", since, period,
	    from, to);
	t = table_new(ncols, head);
	for (m = 2; m < 5; m++)
		table_set_align(t, (size_t)m, 1);
	for (m = 0; m < FN_METRIC_COUNT; m++) {
		const struct cw_series *s = fn_metrics_series(fm, m);
		const char *cells[6];
		size_t have_pts = 0, i;

		have = cli_metrics_stats(s, &total, &hi);
		for (i = 0; i < s->n; i++)
			have_pts += !isnan(s->v[i]);
		snprintf(pts, sizeof pts, "%zu/%zu", have_pts, g);
		cells[0] = cli_metrics_rows[m];
		cells[1] = fn_metric_stat(m);
		cells[2] = !have ? "-" : cli_metrics_is_sum(m) ?
		    cli_metrics_num(total, tot, sizeof tot) : "";
		cells[3] = have ? cli_metrics_num(hi, max, sizeof max) : "-";
		cells[4] = pts;
		cells[5] = NULL;
		if (tty) {
			sparkline_render(s->v, s->n, spark_w, utf8, line,
			    spark_w * SPARKLINE_MAX_GLYPH + 1);
			cells[5] = line;
		}
		table_add_row(t, cells);
	}
	table_render(t, &out, 0);
	table_free(t);
	/* What CloudWatch said about a series that is not all there. */
	for (m = 0; m < FN_METRIC_COUNT; m++) {
		const struct cw_series *s = fn_metrics_series(fm, m);

		if ((s->status == NULL || strcmp(s->status, "Complete") == 0) &&
		    s->message == NULL)
			continue;
		buf_puts(&out, "note: ");
		buf_puts(&out, cli_metrics_rows[m]);
		buf_puts(&out, ": ");
		sanitize_append(&out, s->status != NULL ? s->status :
		    "no answer", strlen(s->status != NULL ? s->status :
		    "no answer"), 0);
		if (s->message != NULL) {
			buf_puts(&out, ": ");
			sanitize_append(&out, s->message, strlen(s->message), 0);
		}
		buf_putc(&out, '\n');
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	free(line);
}

static void
cli_metrics_print_json(const struct fn_metrics_batch *b, struct fn_metrics *fm,
    const char *env, const struct local_function *lf)
{
	cJSON *root = cJSON_CreateObject(), *metrics, *o, *ts, *vs;
	char iso[32];
	double total, hi;
	size_t i;
	int m, have;

	cJSON_AddStringToObject(root, "Environment", env);
	cJSON_AddStringToObject(root, "FunctionName", fm->function);
	cJSON_AddItemToObject(root, "LocalFunction",
	    jsonout_string_or_null(lf != NULL ? lf->name : NULL));
	timeutil_format_iso(b->start, iso, sizeof iso);
	cJSON_AddStringToObject(root, "StartTime", iso);
	timeutil_format_iso(b->end, iso, sizeof iso);
	cJSON_AddStringToObject(root, "EndTime", iso);
	cJSON_AddNumberToObject(root, "Period", (double)b->period);
	metrics = cJSON_AddObjectToObject(root, "Metrics");
	for (m = 0; m < FN_METRIC_COUNT; m++) {
		const struct cw_series *s = fn_metrics_series(fm, m);

		o = cJSON_AddObjectToObject(metrics, fn_metric_key(m));
		cJSON_AddStringToObject(o, "MetricName", fn_metric_name(m));
		cJSON_AddStringToObject(o, "Stat", fn_metric_stat(m));
		cJSON_AddItemToObject(o, "StatusCode",
		    jsonout_string_or_null(s->status));
		cJSON_AddItemToObject(o, "Messages",
		    jsonout_string_or_null(s->message));
		have = cli_metrics_stats(s, &total, &hi);
		if (have && cli_metrics_is_sum(m))
			cJSON_AddNumberToObject(o, "Total", total);
		else
			cJSON_AddNullToObject(o, "Total");
		if (have)
			cJSON_AddNumberToObject(o, "Max", hi);
		else
			cJSON_AddNullToObject(o, "Max");
		ts = cJSON_AddArrayToObject(o, "Timestamps");
		vs = cJSON_AddArrayToObject(o, "Values");
		for (i = 0; i < s->n; i++) {
			timeutil_format_iso(s->t[i], iso, sizeof iso);
			cJSON_AddItemToArray(ts, cJSON_CreateString(iso));
			cJSON_AddItemToArray(vs, isnan(s->v[i]) ?
			    cJSON_CreateNull() : cJSON_CreateNumber(s->v[i]));
		}
	}
	jsonout_write(stdout, root, 1);
	cJSON_Delete(root);
}

/* A --since or --period: a duration ("24h", "5m"); -1 when it is not one. */
static long long
cli_metrics_duration(const char *what, const char *s)
{
	long long secs;

	if (timeutil_parse_duration(s, &secs) != 0 || secs <= 0) {
		fprintf(stderr, "dlc metrics: %s '%s' is not a duration: "
		    "write it as 24h, 90m, 2d or 1h30m\n", what, s);
		return -1;
	}
	return secs;
}

int
cli_metrics_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "since", required_argument, NULL, 's' },
		{ "period", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = cli_command_find("metrics");
	const char *env_name = NULL, *since = "24h", *period_s = "5m", *name;
	struct local_function *locals = NULL;
	const struct local_function *lf;
	struct cw_metrics_fetch *fetch = NULL;
	struct fn_metrics_batch b;
	struct cli_metrics_wait w;
	const struct dlc_env *env = NULL;
	struct aws_env *aenv = NULL;
	struct cli_metrics c;
	size_t n_locals = 0;
	long long span, period;
	int ch, rc = CLI_FAIL;

	while ((ch = getopt_long(argc, argv, "e:s:p:o:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'e':
			env_name = optarg;
			break;
		case 's':
			since = optarg;
			break;
		case 'p':
			period_s = optarg;
			break;
		default:
			if (cli_common_option(ctx, cmd, ch, optarg, &rc))
				return rc;
			break;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "dlc metrics: name one function (%s)\n",
		    optind < argc ? "more were given" : "none was given");
		return CLI_USAGE;
	}
	name = argv[optind];
	if ((span = cli_metrics_duration("--since", since)) < 0 ||
	    (period = cli_metrics_duration("--period", period_s)) < 0)
		return CLI_USAGE;
	/* CloudWatch keeps Lambda's metrics per minute: a period is whole minutes. */
	if (period % 60 != 0) {
		fprintf(stderr, "dlc metrics: --period %s is not whole minutes: "
		    "Lambda's metrics are per minute (try 1m, 5m or 1h)\n",
		    period_s);
		return CLI_USAGE;
	}
	if (span < period || span / period > CLI_METRICS_MAX_POINTS) {
		fprintf(stderr, "dlc metrics: --since %s in --period %s periods "
		    "is %lld points; give between 1 and %d (a longer --period)\n",
		    since, period_s, span / period, CLI_METRICS_MAX_POINTS);
		return CLI_USAGE;
	}
	memset(&c, 0, sizeof c);
	memset(&b, 0, sizeof b);
	dlc_err_clear(&c.err);
	if (cli_setup(ctx, &c.err) != 0)
		goto out;
	if ((env = cli_find_env(ctx, env_name, &c.err)) == NULL) {
		rc = env_name == NULL ? CLI_USAGE : CLI_FAIL;
		goto out;
	}
	/* The manifests only map a folder to its remote name: a broken one is not fatal. */
	if (manifest_load_dir(ctx->cfg.functions_dir, &locals, &n_locals,
	    &c.err) != 0) {
		dlc_err_clear(&c.err);
		locals = NULL;
		n_locals = 0;
	}
	lf = manifest_find(locals, n_locals, name);
	if (lf == NULL)
		lf = manifest_find_remote(locals, n_locals, env, name);
	if ((aenv = cli_open_env(ctx, env, &c.err)) == NULL)
		goto out;
	if (cli_check_account(ctx, aenv, env, &c.err) != 0)
		goto out;
	/* CloudWatch answers an unknown function with no points: ask Lambda first. */
	c.function = cli_resolve_function(ctx, aenv, env, locals, n_locals,
	    name, &c.err);
	if (c.function == NULL)
		goto out;
	fn_metrics_batch_init(&b, (const char *const *)&c.function, 1,
	    FN_METRICS_ALL, (long)period, timeutil_now(), (long)span);
	w.c = &c;
	w.b = &b;
	c.pending = 1;
	fetch = cw_get_metric_data(aenv, b.q, b.n, b.start, b.end,
	    cli_metrics_done, &w);
	aws_wait(&ctx->aws, &c.pending);
	/* Answered: the fetch is gone. Not answered: cancelled at out. */
	if (c.pending == 0)
		fetch = NULL;
	if (c.fm == NULL) {
		dlc_err_what(&c.err, "reading the metrics of %s in %s",
		    c.function, env->name);
		goto out;
	}
	if (ctx->json)
		cli_metrics_print_json(&b, c.fm, env->name, lf);
	else
		cli_metrics_print_text(&b, c.fm, env->name, since, period_s);
	rc = CLI_OK;
out:
	if (rc == CLI_FAIL && dlc_err_isset(&c.err))
		cli_error(&c.err);
	cw_metrics_cancel(fetch);
	fn_metrics_free(c.fm, c.fm != NULL ? 1 : 0);
	fn_metrics_batch_clear(&b);
	free(c.function);
	cli_close_env(aenv);
	manifest_free_all(locals, n_locals);
	cli_teardown(ctx);
	return rc;
}
