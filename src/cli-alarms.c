/*
 * dlc alarms -e ENV [--state S] [FUNCTION...] [-o text|json] [--watch]:
 * the environment's CloudWatch alarms (metric and composite, all pages),
 * ALARM first, each matched to its function and local folder, with the
 * condition in words and the time in state. Exits 3 when a selected alarm
 * is in ALARM, so CI and deploys can gate on it. --watch polls and prints
 * every state change, and exits 3 on the first one into ALARM. The
 * fetching, matching and change tracking are the console's (model-alarms.c).
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include <cjson/cJSON.h>

#include "alarm.h"
#include "jsonout.h"
#include "loop.h"
#include "manifest.h"
#include "model.h"
#include "sanitize.h"
#include "table.h"
#include "timeutil.h"
#include "xmalloc.h"

#define CLI_ALARMS_EXIT_ALARM	3
#define CLI_ALARMS_INTERVAL_S	60
#define CLI_ALARMS_REASON_MAX	300	/* bytes of a reason in the text output */

/* The state a poll saw of one alarm: what the next poll is compared with. */
struct cli_alarm_seen {
	char	*name;
	char	*state;
};

struct cli_alarms {
	struct cli_ctx		*ctx;
	struct model		*model;
	const struct dlc_env	*env;
	size_t			 env_index;
	const char		*state;		/* --state, or NULL */
	char			**only;		/* FUNCTION... */
	size_t			 n_only;
	int			 functions_settled, alarms_settled;
	int			 loading;	/* the first load: aws_wait runs while set */
	int			 waiting;	/* --watch: its loop runs while set */
	/* --watch */
	int			 watch;
	long			 interval_s;
	struct loop_timer	*poll;
	struct loop_signal	*sig_int, *sig_term;
	struct cli_alarm_seen	*seen;
	size_t			 n_seen;
	unsigned		 gen_seen;
	int			 rc;		/* set when the watch ends */
	int			 failing;	/* the last poll failed: said once */
};

static void
cli_alarms_changed(enum model_change what, size_t env, const char *fn,
    void *arg)
{
	struct cli_alarms *c = arg;
	const struct model_env *me;
	const struct model_alarms *ma;

	(void)fn;
	if (c->model == NULL || env != c->env_index)
		return;
	me = model_env_at(c->model, env);
	ma = model_env_alarms(c->model, env);
	if (what == MODEL_CHANGE_FUNCTIONS && (me->functions_state ==
	    MODEL_READY || me->functions_state == MODEL_FAILED))
		c->functions_settled = 1;
	if (what == MODEL_CHANGE_ALARMS && (ma->state == MODEL_READY ||
	    ma->state == MODEL_FAILED))
		c->alarms_settled = 1;
	if (c->functions_settled && c->alarms_settled)
		c->loading = 0;
}

/* Is a among the FUNCTION arguments (a local folder, a remote name, or a name through the template)? */
static int
cli_alarms_selected(const struct cli_alarms *c, const struct cw_alarm *a)
{
	size_t i;

	if (c->n_only == 0)
		return 1;
	for (i = 0; i < c->n_only; i++)
		if ((a->function != NULL && strcmp(a->function, c->only[i]) == 0) ||
		    (a->local_function != NULL &&
		    strcmp(a->local_function, c->only[i]) == 0))
			return 1;
	return 0;
}

static int
cli_alarms_shown(const struct cli_alarms *c, const struct cw_alarm *a)
{
	return cli_alarms_selected(c, a) &&
	    (c->state == NULL || strcmp(a->state, c->state) == 0);
}

static const char *
cli_alarms_function(const struct cw_alarm *a)
{
	return a->local_function != NULL ? a->local_function :
	    a->function != NULL ? a->function : "-";
}

/* A reason on one line, cut to a readable length; sanitised by the caller. */
static void
cli_alarms_reason(struct buf *out, const char *reason)
{
	size_t n = reason != NULL ? strlen(reason) : 0;

	if (n > CLI_ALARMS_REASON_MAX)
		n = CLI_ALARMS_REASON_MAX;
	if (reason == NULL)
		return;
	sanitize_append(out, reason, n, 0);
	if (n < strlen(reason))
		buf_puts(out, "...");
}

static void
cli_alarms_print_text(const struct cli_alarms *c, const struct model_alarms *ma)
{
	static const char *const headers[] = { "STATE", "ALARM", "FUNCTION",
	    "CONDITION", "FOR", "ACTIONS" };
	enum { NCOLS = sizeof headers / sizeof headers[0] };
	struct table *t = table_new(NCOLS, headers);
	struct winsize ws;
	struct buf out;
	time_t now = timeutil_now();
	size_t i, width = 0;

	table_set_identifier(t, 1, 1);
	table_set_identifier(t, 2, 1);
	table_set_align(t, 4, 1);
	/* The condition gives way first; names stay whole. */
	table_set_flexible(t, 0, 0);
	table_set_flexible(t, 1, 0);
	table_set_flexible(t, 4, 0);
	table_set_flexible(t, 5, 0);
	for (i = 0; i < ma->list.n; i++) {
		const struct cw_alarm *a = &ma->list.v[i];
		char state[48], words[512], age[32];
		const char *cells[NCOLS];

		if (!cli_alarms_shown(c, a))
			continue;
		/* The mark reads without colour, and greps: "!! ALARM". */
		snprintf(state, sizeof state, "%s %s", alarm_state_glyph(a->state,
		    0), a->state);
		cells[0] = state;
		cells[1] = a->name;
		cells[2] = cli_alarms_function(a);
		cells[3] = alarm_threshold_words(a, words, sizeof words);
		cells[4] = alarm_age_words(a->state_since, now, age, sizeof age);
		cells[5] = a->composite && a->n_alarm_actions == 0 ? "-" :
		    a->actions_enabled ? "on" : "OFF";
		table_add_row(t, cells);
	}
	buf_init(&out, 0);
	/* On a terminal, long rules give way rather than wrap. */
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 40)
		width = ws.ws_col;
	if (table_rows(t) == 0)
		buf_puts(&out, "no alarms\n");
	else
		table_render(t, &out, width);
	/* Why each one fires: what on-call reads next. */
	for (i = 0; i < ma->list.n; i++) {
		const struct cw_alarm *a = &ma->list.v[i];

		if (!cli_alarms_shown(c, a) || strcmp(a->state, "ALARM") != 0)
			continue;
		buf_puts(&out, "\n");
		sanitize_append(&out, a->name, strlen(a->name), 0);
		buf_puts(&out, ": ");
		cli_alarms_reason(&out, a->state_reason);
	}
	if (out.len > 0 && out.data[out.len - 1] != '\n')
		buf_puts(&out, "\n");
	fwrite(out.data, 1, out.len, stdout);
	fflush(stdout);
	buf_free(&out);
	table_free(t);
}

static void
cli_alarms_add_string(cJSON *o, const char *key, const char *value)
{
	if (value != NULL)
		cJSON_AddStringToObject(o, key, value);
}

/*
 * The JSON of the list, written straight into one buffer: through a cJSON
 * tree it cost 40% of the command's CPU for 1,000 alarms. Strings go
 * through jsonout_string, which escapes what a terminal would act on.
 */
static void
cli_alarms_json_key(struct buf *b, int *first, const char *key)
{
	buf_puts(b, *first ? "\n\t\t\t\"" : ",\n\t\t\t\"");
	*first = 0;
	buf_puts(b, key);
	buf_puts(b, "\": ");
}

static void
cli_alarms_json_str(struct buf *b, int *first, const char *key,
    const char *value)
{
	cli_alarms_json_key(b, first, key);
	if (value == NULL)
		buf_puts(b, "null");
	else
		jsonout_string(b, value, strlen(value));
}

static void
cli_alarms_json_time(struct buf *b, int *first, const char *key, time_t t)
{
	char iso[32];

	timeutil_format_iso(t, iso, sizeof iso);
	cli_alarms_json_str(b, first, key, t != 0 ? iso : NULL);
}

static void
cli_alarms_json_long(struct buf *b, int *first, const char *key, long v)
{
	cli_alarms_json_key(b, first, key);
	buf_printf(b, "%ld", v);
}

/* As cJSON writes a number: the shortest of %.15g and %.17g that reads back. */
static void
cli_alarms_json_double(struct buf *b, int *first, const char *key, double v)
{
	char num[40];
	double back;

	cli_alarms_json_key(b, first, key);
	if (!isfinite(v)) {
		buf_puts(b, "null");
		return;
	}
	snprintf(num, sizeof num, "%.15g", v);
	if (sscanf(num, "%lg", &back) != 1 || back != v)
		snprintf(num, sizeof num, "%.17g", v);
	buf_puts(b, num);
}

/* AWS's field names for AWS's values; dlc's own (Function, LocalFunction, Condition) PascalCase too. */
static void
cli_alarms_json_alarm(struct buf *b, const struct cw_alarm *a)
{
	char words[1024];
	int first = 1;
	size_t i;

	buf_puts(b, "{");
	cli_alarms_json_str(b, &first, "AlarmName", a->name);
	cli_alarms_json_str(b, &first, "AlarmType", a->composite ?
	    "CompositeAlarm" : "MetricAlarm");
	if (a->arn != NULL)
		cli_alarms_json_str(b, &first, "AlarmArn", a->arn);
	if (a->description != NULL)
		cli_alarms_json_str(b, &first, "AlarmDescription", a->description);
	cli_alarms_json_str(b, &first, "StateValue", a->state);
	if (a->state_reason != NULL)
		cli_alarms_json_str(b, &first, "StateReason", a->state_reason);
	cli_alarms_json_time(b, &first, "StateUpdatedTimestamp",
	    a->state_updated);
	cli_alarms_json_time(b, &first, "StateTransitionedTimestamp",
	    a->state_since);
	cli_alarms_json_key(b, &first, "ActionsEnabled");
	buf_puts(b, a->actions_enabled ? "true" : "false");
	if (a->composite) {
		if (a->alarm_rule != NULL)
			cli_alarms_json_str(b, &first, "AlarmRule", a->alarm_rule);
	} else {
		if (a->metric_name != NULL)
			cli_alarms_json_str(b, &first, "MetricName", a->metric_name);
		if (a->namespace != NULL)
			cli_alarms_json_str(b, &first, "Namespace", a->namespace);
		/* p99 and the like are ExtendedStatistic at AWS. */
		if (a->statistic != NULL)
			cli_alarms_json_str(b, &first, a->statistic[0] == 'p' ||
			    a->statistic[0] == 't' ? "ExtendedStatistic" :
			    "Statistic", a->statistic);
		cli_alarms_json_key(b, &first, "Dimensions");
		buf_puts(b, "[");
		for (i = 0; i < a->n_dims; i++) {
			buf_puts(b, i > 0 ? ", {\"Name\": " : "{\"Name\": ");
			jsonout_string(b, a->dims[i].name, strlen(a->dims[i].name));
			buf_puts(b, ", \"Value\": ");
			jsonout_string(b, a->dims[i].value,
			    strlen(a->dims[i].value));
			buf_puts(b, "}");
		}
		buf_puts(b, "]");
		if (a->has_threshold)
			cli_alarms_json_double(b, &first, "Threshold",
			    a->threshold);
		if (a->threshold_metric_id != NULL)
			cli_alarms_json_str(b, &first, "ThresholdMetricId",
			    a->threshold_metric_id);
		if (a->comparison != NULL)
			cli_alarms_json_str(b, &first, "ComparisonOperator",
			    a->comparison);
		cli_alarms_json_long(b, &first, "EvaluationPeriods",
		    a->evaluation_periods);
		cli_alarms_json_long(b, &first, "DatapointsToAlarm",
		    a->datapoints_to_alarm);
		if (a->period > 0)
			cli_alarms_json_long(b, &first, "Period", a->period);
		if (a->treat_missing != NULL)
			cli_alarms_json_str(b, &first, "TreatMissingData",
			    a->treat_missing);
	}
	cli_alarms_json_str(b, &first, "Function", a->function);
	cli_alarms_json_str(b, &first, "LocalFunction", a->local_function);
	cli_alarms_json_str(b, &first, "Condition", alarm_threshold_words(a,
	    words, sizeof words));
	buf_puts(b, "\n\t\t}");
}

static void
cli_alarms_print_json(const struct cli_alarms *c, const struct model_alarms *ma)
{
	struct buf b;
	size_t i, in_alarm = 0, n = 0;

	buf_init(&b, 0);
	buf_puts(&b, "{\n\t\"Environment\": ");
	jsonout_string(&b, c->env->name, strlen(c->env->name));
	buf_puts(&b, ",\n\t\"Alarms\": [");
	for (i = 0; i < ma->list.n; i++) {
		if (!cli_alarms_shown(c, &ma->list.v[i]))
			continue;
		in_alarm += strcmp(ma->list.v[i].state, "ALARM") == 0;
		buf_puts(&b, n++ > 0 ? ", " : "");
		cli_alarms_json_alarm(&b, &ma->list.v[i]);
	}
	buf_printf(&b, "],\n\t\"InAlarm\": %zu\n}\n", in_alarm);
	fwrite(b.data, 1, b.len, stdout);
	fflush(stdout);
	buf_free(&b);
}

/* ---- --watch ---- */

static int
cli_alarms_seen_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cli_alarm_seen *)a)->name,
	    ((const struct cli_alarm_seen *)b)->name);
}

static void
cli_alarms_seen_free(struct cli_alarms *c)
{
	size_t i;

	for (i = 0; i < c->n_seen; i++) {
		free(c->seen[i].name);
		free(c->seen[i].state);
	}
	free(c->seen);
	c->seen = NULL;
	c->n_seen = 0;
}

/* Remembers the states of the selected alarms, sorted by name for lookup. */
static void
cli_alarms_remember(struct cli_alarms *c, const struct model_alarms *ma)
{
	size_t i;

	cli_alarms_seen_free(c);
	c->seen = xcalloc(ma->list.n + 1, sizeof *c->seen);
	for (i = 0; i < ma->list.n; i++) {
		if (!cli_alarms_selected(c, &ma->list.v[i]))
			continue;
		c->seen[c->n_seen].name = xstrdup(ma->list.v[i].name);
		c->seen[c->n_seen].state = xstrdup(ma->list.v[i].state);
		c->n_seen++;
	}
	qsort(c->seen, c->n_seen, sizeof *c->seen, cli_alarms_seen_cmp);
	c->gen_seen = ma->gen;
}

static int
cli_alarms_entered(const struct model_alarms *ma, const char *name)
{
	size_t i;

	for (i = 0; i < ma->n_entered; i++)
		if (strcmp(ma->entered_alarm[i], name) == 0)
			return 1;
	return 0;
}

/* One line (text) or object (json) per change: "when name: OLD -> NEW (function) reason". */
static void
cli_alarms_print_change(const struct cli_alarms *c, const struct cw_alarm *a,
    const char *old)
{
	char iso[32];
	struct buf out;

	timeutil_format_iso(a->state_since != 0 ? a->state_since :
	    timeutil_now(), iso, sizeof iso);
	if (c->ctx->json) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "Timestamp", iso);
		cJSON_AddStringToObject(o, "AlarmName", a->name);
		cJSON_AddItemToObject(o, "OldStateValue",
		    jsonout_string_or_null(old));
		cJSON_AddStringToObject(o, "StateValue", a->state);
		cli_alarms_add_string(o, "StateReason", a->state_reason);
		cJSON_AddItemToObject(o, "Function",
		    jsonout_string_or_null(a->function));
		cJSON_AddItemToObject(o, "LocalFunction",
		    jsonout_string_or_null(a->local_function));
		jsonout_write(stdout, o, 0);
		cJSON_Delete(o);
		fflush(stdout);
		return;
	}
	buf_init(&out, 0);
	buf_printf(&out, "%s  %s ", iso, alarm_state_glyph(a->state, 0));
	sanitize_append(&out, a->name, strlen(a->name), SANITIZE_IDENTIFIER);
	buf_puts(&out, ": ");
	/* The states came from the network too. */
	old = old != NULL ? old : "new";
	sanitize_append(&out, old, strlen(old), SANITIZE_IDENTIFIER);
	buf_puts(&out, " -> ");
	sanitize_append(&out, a->state, strlen(a->state), SANITIZE_IDENTIFIER);
	buf_puts(&out, "  (");
	sanitize_append(&out, cli_alarms_function(a),
	    strlen(cli_alarms_function(a)), SANITIZE_IDENTIFIER);
	buf_puts(&out, ")  ");
	cli_alarms_reason(&out, a->state_reason);
	buf_puts(&out, "\n");
	fwrite(out.data, 1, out.len, stdout);
	fflush(stdout);
	buf_free(&out);
}

/* A poll settled: print what changed; the first move into ALARM ends the watch. */
static void
cli_alarms_compare(struct cli_alarms *c)
{
	const struct model_alarms *ma = model_env_alarms(c->model, c->env_index);
	int entered = 0;
	size_t i;

	if (ma->state == MODEL_FAILED) {
		/* Keep watching: a network blip must not end an on-call watch. */
		if (!c->failing)
			cli_error(&ma->err);
		c->failing = 1;
		return;
	}
	if (c->failing)
		fprintf(stderr, "dlc: alarms of %s answer again\n", c->env->name);
	c->failing = 0;
	if (ma->gen == c->gen_seen)
		return;
	for (i = 0; i < ma->list.n; i++) {
		const struct cw_alarm *a = &ma->list.v[i];
		struct cli_alarm_seen key, *old;
		int into_alarm;

		if (!cli_alarms_selected(c, a))
			continue;
		key.name = a->name;
		old = bsearch(&key, c->seen, c->n_seen, sizeof *c->seen,
		    cli_alarms_seen_cmp);
		/* Into ALARM again since the last poll (ALARM -> OK -> ALARM) counts too. */
		into_alarm = cli_alarms_entered(ma, a->name);
		if (old != NULL && strcmp(old->state, a->state) == 0 &&
		    !into_alarm)
			continue;
		cli_alarms_print_change(c, a, old != NULL ? old->state : NULL);
		entered |= into_alarm;
	}
	cli_alarms_remember(c, ma);
	if (entered) {
		c->rc = CLI_ALARMS_EXIT_ALARM;
		c->waiting = 0;
	}
}

static void
cli_alarms_poll(void *arg)
{
	struct cli_alarms *c = arg;

	c->alarms_settled = 0;
	c->functions_settled = 1;
	model_refresh_alarms(c->model, c->env_index);
}

static void
cli_alarms_signal(int signo, void *arg)
{
	struct cli_alarms *c = arg;

	(void)signo;
	c->rc = CLI_OK;
	c->waiting = 0;
}

/* The watch's loop: a poll every interval, each compared when it settles. */
static int
cli_alarms_watch(struct cli_alarms *c)
{
	struct loop *loop = c->ctx->aws.loop;

	c->rc = CLI_OK;
	c->poll = loop_timer_new(loop, cli_alarms_poll, c);
	c->sig_int = loop_signal_new(loop, SIGINT, cli_alarms_signal, c);
	c->sig_term = loop_signal_new(loop, SIGTERM, cli_alarms_signal, c);
	cli_alarms_remember(c, model_env_alarms(c->model, c->env_index));
	c->waiting = 1;
	loop_timer_start(c->poll, c->interval_s * 1000);
	while (c->waiting) {
		if (loop_run_once(loop) != 0)
			break;
		if (c->alarms_settled && c->waiting) {
			c->alarms_settled = 0;
			cli_alarms_compare(c);
			if (c->waiting)
				loop_timer_start(c->poll, c->interval_s * 1000);
		}
	}
	loop_timer_free(c->poll);
	loop_signal_free(c->sig_int);
	loop_signal_free(c->sig_term);
	cli_alarms_seen_free(c);
	return c->rc;
}

static int
cli_alarms_parse_state(const char *s)
{
	return alarm_state_rank(s) < 3 ? 0 : -1;
}

static int
cli_alarms_parse_interval(const char *s, long *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 || n > 86400)
		return -1;
	*out = n;
	return 0;
}

int
cli_alarms_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "state", required_argument, NULL, 's' },
		{ "watch", no_argument, NULL, 'w' },
		{ "interval", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = cli_command_find("alarms");
	struct cli_alarms c;
	struct dlc_err err;
	const struct model_alarms *ma;
	const struct model_env *me;
	struct local_function *locals = NULL;
	size_t n_locals = 0, i;
	const char *env_name = NULL;
	int ch, rc = CLI_FAIL;

	memset(&c, 0, sizeof c);
	c.ctx = ctx;
	c.interval_s = CLI_ALARMS_INTERVAL_S;
	while ((ch = getopt_long(argc, argv, "e:s:wi:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			env_name = optarg;
			break;
		case 's':
			if (cli_alarms_parse_state(optarg) != 0) {
				fprintf(stderr, "dlc alarms: --state takes ALARM, "
				    "INSUFFICIENT_DATA or OK\n");
				return CLI_USAGE;
			}
			c.state = optarg;
			break;
		case 'w':
			c.watch = 1;
			break;
		case 'i':
			if (cli_alarms_parse_interval(optarg, &c.interval_s) != 0) {
				fprintf(stderr, "dlc alarms: --interval takes "
				    "whole seconds from 1 to 86400\n");
				return CLI_USAGE;
			}
			break;
		default:
			if (cli_common_option(ctx, cmd, ch, optarg, &rc))
				return rc;
			break;
		}
	}
	dlc_err_clear(&err);
	if (cli_setup(ctx, &err) != 0)
		goto out;
	if ((c.env = cli_find_env(ctx, env_name, &err)) == NULL) {
		rc = env_name == NULL ? CLI_USAGE : CLI_FAIL;
		goto out;
	}
	c.env_index = (size_t)(c.env - ctx->cfg.envs);
	/* A broken manifest must not hide the alarms: map nothing, say why. */
	if (manifest_load_dir(ctx->cfg.functions_dir, &locals, &n_locals,
	    &err) != 0) {
		cli_error(&err);
		dlc_err_clear(&err);
		locals = NULL;
		n_locals = 0;
	}
	/* FUNCTION as the user wrote it, and through the name template. */
	c.only = xcalloc(2 * (size_t)(argc - optind) + 1, sizeof *c.only);
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		char *remote = dlc_env_remote_name(c.env, argv[i]);

		c.only[c.n_only++] = xstrdup(argv[i]);
		if (remote != NULL)
			c.only[c.n_only++] = remote;
	}
	c.model = model_new(&ctx->aws, &ctx->cfg, locals, n_locals,
	    cli_alarms_changed, &c);
	c.loading = 1;
	/*
	 * The alarms and the function list at once, each asked once: left to
	 * the model, the alarms would wait for the list (the console's order)
	 * and the list's end would ask them again after this first answer.
	 */
	model_set_alarms_with_functions(c.model, 0);
	/* The function list too: an alarm named after a function only AWS has still matches. */
	model_refresh_functions(c.model, c.env_index);
	model_refresh_alarms(c.model, c.env_index);
	aws_wait(&ctx->aws, &c.loading);
	ma = model_env_alarms(c.model, c.env_index);
	me = model_env_at(c.model, c.env_index);
	if (ma->state != MODEL_READY) {
		err = ma->err;
		if (!dlc_err_isset(&err))
			dlc_err_set(&err, "NoAnswer", "DescribeAlarms (%s) "
			    "never answered", c.env->name);
		goto out;
	}
	if (me->functions_state == MODEL_FAILED) {
		cli_error(&me->functions_err);
		fprintf(stderr, "dlc: alarms matched to functions through "
		    "dlc.ini's name template only\n");
	}
	if (ctx->json)
		cli_alarms_print_json(&c, ma);
	else
		cli_alarms_print_text(&c, ma);
	rc = CLI_OK;
	for (i = 0; i < ma->list.n; i++)
		if (cli_alarms_shown(&c, &ma->list.v[i]) &&
		    strcmp(ma->list.v[i].state, "ALARM") == 0)
			rc = CLI_ALARMS_EXIT_ALARM;
	if (c.watch)
		rc = cli_alarms_watch(&c);
out:
	if (rc == CLI_FAIL && dlc_err_isset(&err))
		cli_error(&err);
	model_free(c.model);
	for (i = 0; i < c.n_only; i++)
		free(c.only[i]);
	free(c.only);
	manifest_free_all(locals, n_locals);
	cli_teardown(ctx);
	return rc;
}
