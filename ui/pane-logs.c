/*
 * The log view: the CloudWatch logs of one or more functions of the chosen
 * environment, history then following (src/logtail.c), held in the view's
 * state (src/logview.c) and drawn here. Lines are interleaved by time with
 * a coloured tag per function; levels coloured; START/END/REPORT folded
 * into one line per invocation; JSON pretty-printed on Enter (or J for
 * all); search with highlighted matches and n/N; one request id on R;
 * time, stream, wrap toggles (an event taller than the screen scrolls by
 * rows, src/logscroll.c); the shown lines saved on W (as text, or as
 * NDJSON when the name ends in .json or .ndjson). Every byte of a
 * log line reaches the terminal through the sanitiser. The top line says
 * what the view is waiting for: history, a log group not there yet, the
 * end of an outage (counted, then marked among the lines), a retry.
 */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "colors.h"
#include "ini.h"
#include "keys.h"
#include "lambda.h"
#include "loggroup.h"
#include "logrange.h"
#include "logs-range.h"
#include "logsave.h"
#include "logparse.h"
#include "logscroll.h"
#include "logtail.h"
#include "logview.h"
#include "loop.h"
#include "sanitize.h"
#include "timerange.h"
#include "timeutil.h"
#include "xmalloc.h"

#define LOGS_MAX_ROWS		(1u << 18)	/* rows one event may take on screen: past a 1 MB event at 4 columns */
#define LOGS_ROWS_CACHE		64	/* events whose row counts are remembered */
#define LOGS_MAX_MATCHES	32	/* highlighted per row */
#define LOGS_TICK_MS		1000	/* the top line's ages and rates are redrawn this often */
#define LOGS_RETRY_MS		5000	/* a missing group or a failure that may pass: asked again */

enum logs_time { LOGS_TIME_UTC, LOGS_TIME_LOCAL, LOGS_TIME_RELATIVE, LOGS_TIME_NONE };

struct pane_logs {
	struct ui		*ui;
	size_t			 env;
	char			**labels;	/* what the tag says per source */
	char			**groups;
	size_t			 n;
	struct logview		*lv;
	struct loggroup_resolver *resolver;	/* the names' groups, then the tail */
	struct logtail		*tail;
	struct logrange		 range;		/* since, until: what the tail reads */
	int			 resolved;	/* the groups are known: a tail can start */
	struct loop_timer	*tick;		/* the lag and rates on the top line age */
	enum logtail_state	 state;
	char			**want;		/* what to resolve again on r: names or groups */
	int			*want_group;
	int64_t			 retry_at;	/* wall ms a failure that may pass is retried; 0: none */
	long			 retry_ms;	/* the last wait, doubled to twice LOGS_RETRY_MS */
	int			 outage_net;	/* no answer at all (not an HTTP error) */
	char			 outage_why[64];
	char			*pattern;	/* the CloudWatch filter pattern, or NULL */
	enum logs_time		 time_mode;
	int			 streams, wrap, json_all;
	int			 narrow;	/* under 100 columns: shorter time and tags */
	struct logscroll	 scroll;	/* where the screen starts, in rows (tracked by lv) */
	int			 page;		/* rows of lines on the last draw */
	size_t			 width;		/* columns of message on the last draw */
	struct buf		 text;		/* the rows of one event, clean */
	size_t			*row_off, *row_len, row_cap;
	/* Row counts by event: a tall event is laid out once, not on every step. */
	struct {
		uint64_t	version;
		size_t		i, width, rows;
		uint8_t		flags, mode;
	}			 rows_cache[LOGS_ROWS_CACHE];
};

/* The rows of the message of one event, each clean UTF-8 in p->text. */
struct logs_rows {
	size_t	n;
	int	role;
};

/* Roles that tell the functions of a merged view apart. */
static const int logs_tag_roles[] = {
	ROLE_OK, ROLE_SPECIAL, ROLE_LOADING, ROLE_INSUFFICIENT, ROLE_FILTER, ROLE_COMMAND
};

static struct model_env *
pane_logs_env(struct pane_logs *p)
{
	return model_env_at(p->ui->model, p->env);
}

static void	pane_logs_start(struct pane_logs *p);

/* ---- the engine's callbacks ---- */

static void
pane_logs_event(const struct log_event *ev, void *arg)
{
	struct pane_logs *p = arg;

	logview_add(p->lv, ev);
	ui_dirty(p->ui, UI_DIRTY_MAIN | UI_DIRTY_HEADER);
}

/* HH:MM:SS of wall ms, UTC. */
static void
pane_logs_clock(int64_t ms, char *buf, size_t len)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%H:%M:%S", &tm);
}

/* A failure that retrying may fix comes back on its own, 5 s then 10 s later. */
static void
pane_logs_retry_later(struct pane_logs *p, const struct dlc_err *err)
{
	if (err == NULL || !err->retryable)
		return;
	p->retry_ms = p->retry_ms > 0 ? 2 * LOGS_RETRY_MS : LOGS_RETRY_MS;
	p->retry_at = (int64_t)time(NULL) * 1000 + p->retry_ms;
}

static void
pane_logs_state(enum logtail_state st, const struct dlc_err *err, void *arg)
{
	struct pane_logs *p = arg;
	int64_t now = (int64_t)time(NULL) * 1000;

	if (err != NULL && dlc_err_isset(err)) {
		/* A window that could not be read is a line in the view, and the error on 'e'. */
		if (st == p->state) {
			char why[600];

			snprintf(why, sizeof why, "gap: %.120s%s%.400s", err->code, err->code[0] != '\0' ? ": " : "",
			    err->message);
			logview_add_gap(p->lv, now, now, why);
		}
		ui_error(p->ui, err);
	}
	p->state = st;
	if (st == LOGTAIL_FAILED)
		pane_logs_retry_later(p, err);
	ui_dirty(p->ui, UI_DIRTY_MAIN | UI_DIRTY_HEADER);
}

/*
 * Reads began failing (err), or work again (NULL): said in the top line
 * while it lasts, then noted, and its span marked among the lines. The
 * engine re-reads the window it could not read, so the events of that
 * time come late, not never.
 */
static void
pane_logs_outage(int64_t since_ms, const struct dlc_err *err, void *arg)
{
	struct pane_logs *p = arg;
	int64_t now = (int64_t)time(NULL) * 1000;
	char from[16], to[16], line[200];
	long long secs = (now - since_ms + 500) / 1000;

	ui_dirty(p->ui, UI_DIRTY_MAIN | UI_DIRTY_HEADER);
	if (err != NULL) {
		/* The cause on the status line at once (and on e); the count on the top line. */
		ui_error(p->ui, err);
		p->outage_net = err->http_status == 0;
		snprintf(p->outage_why, sizeof p->outage_why, "%.60s",
		    p->outage_net || err->code[0] == '\0' ? "endpoint unreachable" : err->code);
		return;
	}
	pane_logs_clock(since_ms, from, sizeof from);
	pane_logs_clock(now, to, sizeof to);
	snprintf(line, sizeof line, "── %s %s–%sZ (%lld s, %s), its events re-read ──",
	    p->outage_net ? "disconnected" : "reads failing", from, to, secs, p->outage_why);
	logview_add_gap(p->lv, since_ms, now, line);
	ui_message(p->ui, 0, "%s after %lld s", p->outage_net ? "reconnected" : "reads work again", secs);
}

static void
pane_logs_tick(void *arg)
{
	struct pane_logs *p = arg;

	if (p->retry_at != 0 && (int64_t)time(NULL) * 1000 >= p->retry_at)
		pane_logs_start(p);
	ui_dirty(p->ui, UI_DIRTY_MAIN);
	loop_timer_start(p->tick, LOGS_TICK_MS);
}

/* ---- resolving what the user named ---- */

/* Reads the range through the pattern; follows when the range has no until. */
static void
pane_logs_start_tail(struct pane_logs *p)
{
	struct model_env *me = pane_logs_env(p);
	struct logtail_opts opts;

	memset(&opts, 0, sizeof opts);
	opts.loop = p->ui->ctx->aws.loop;
	logrange_refresh(&p->range, (int64_t)time(NULL) * 1000);
	opts.since_ms = p->range.since_ms;
	opts.until_ms = p->range.until_ms;
	opts.follow = p->range.until_ms < 0;
	opts.filter_pattern = p->pattern;
	opts.on_outage = pane_logs_outage;
	/* A function never invoked has no group yet: wait for it, never fail. */
	opts.missing_retry_ms = LOGS_RETRY_MS;
	p->tail = logtail_new(me->aenv, (const char *const *)p->groups, p->n, &opts,
	    pane_logs_event, pane_logs_state, p);
	if (p->tail != NULL)
		logtail_start(p->tail);
}

/* Every name has its group (src/loggroup.c, as dlc logs has): the tail starts. */
static void
pane_logs_resolved(struct loggroup_target *t, size_t n, void *arg)
{
	struct pane_logs *p = arg;
	size_t i;

	for (i = 0; i < n; i++)
		if (dlc_err_isset(&t[i].err)) {
			pane_logs_state(LOGTAIL_FAILED, NULL, p);
			pane_logs_retry_later(p, &t[i].err);
			ui_error(p->ui, &t[i].err);
			return;
		}
	p->retry_ms = 0;
	for (i = 0; i < n && i < p->n; i++) {
		free(p->groups[i]);
		p->groups[i] = xstrdup(t[i].group);
	}
	p->resolved = 1;
	pane_logs_start_tail(p);
}

/*
 * Another pattern or range: what is shown goes and the whole range is read
 * again through the pattern, as dlc logs -p reads it; a tail that only
 * applied the pattern from then on left the history unfiltered.
 */
static void
pane_logs_reread(struct pane_logs *p)
{
	logtail_free(p->tail);
	p->tail = NULL;
	logview_clear(p->lv);
	if (p->state == LOGTAIL_FAILED && !p->resolved)
		return;
	p->state = LOGTAIL_HISTORY;
	if (p->resolved)
		pane_logs_start_tail(p);
	ui_dirty(p->ui, UI_DIRTY_MAIN | UI_DIRTY_HEADER);
}

/* Finds the names' groups, then tails them: on opening, and again on r after a failure. */
static void
pane_logs_start(struct pane_logs *p)
{
	struct model_env *me = pane_logs_env(p);

	logtail_free(p->tail);
	p->tail = NULL;
	loggroup_resolver_free(p->resolver);
	p->resolved = 0;
	p->retry_at = 0;
	p->state = LOGTAIL_HISTORY;
	p->resolver = loggroup_resolve(p->ui->ctx->aws.loop, me->aenv, me->conf,
	    p->ui->locals, p->ui->n_locals, (const char *const *)p->want, p->want_group, p->n,
	    pane_logs_resolved, p);
}

static void *
pane_logs_init(struct ui *ui, const char *arg)
{
	struct pane_logs *p;
	struct model_env *me;
	char **words;
	const char **names;
	int *is_group;
	size_t n_words, i, n = 0;
	struct dlc_err err;
	struct logrange range;

	if (ui->env < 0 || arg == NULL)
		return NULL;
	me = model_env_at(ui->model, (size_t)ui->env);
	if (model_env_refused(me) != NULL) {
		ui_error(ui, model_env_refused(me));
		return NULL;
	}
	dlc_err_clear(&err);
	/* account = set: no log is read before the account is known to be it. */
	if (me->conf->account != NULL && me->identity_state != MODEL_READY) {
		dlc_err_set(&err, "AccountNotChecked", "the account of env %s is "
		    "not checked yet", me->conf->name);
		dlc_err_fix(&err, "wait until the header shows the account, or "
		    "press r in the environments view");
		ui_error(ui, &err);
		return NULL;
	}
	dlc_err_clear(&err);
	if (ini_split_words(arg, &words, &n_words, &err) != 0) {
		ui_error(ui, &err);
		return NULL;
	}
	/* --since and --until, as dlc logs takes them: the rest are names. */
	if (logrange_take_args(&range, words, &n_words, (int64_t)time(NULL) * 1000, &err) != 0) {
		ui_error(ui, &err);
		ini_words_free(words);
		return NULL;
	}
	/* FUNCTION... and --group LOG-GROUP, as dlc logs takes them. */
	names = xcalloc(n_words + 1, sizeof *names);
	is_group = xcalloc(n_words + 1, sizeof *is_group);
	for (i = 0; i < n_words; i++) {
		if (strcmp(words[i], "--group") == 0 && i + 1 < n_words) {
			is_group[n] = 1;
			names[n++] = words[++i];
		} else if (strcmp(words[i], "--group") != 0)
			names[n++] = words[i];
	}
	if (n == 0) {
		free(names);
		free(is_group);
		ini_words_free(words);
		return NULL;
	}
	p = xcalloc(1, sizeof *p);
	p->ui = ui;
	p->env = (size_t)ui->env;
	p->lv = logview_new(ui->ctx->cfg.log_buffer_events);
	logscroll_init(&p->scroll, p->lv);
	buf_init(&p->text, 0);
	p->n = n;
	p->labels = xcalloc(p->n, sizeof *p->labels);
	p->groups = xcalloc(p->n, sizeof *p->groups);
	for (i = 0; i < p->n; i++) {
		/* The tag says the local name when the function has a folder. */
		struct model_function *mf = is_group[i] ? NULL :
		    model_function_named(ui->model, p->env, names[i]);

		p->labels[i] = xstrdup(mf != NULL && mf->local != NULL ?
		    mf->local->name : names[i]);
		/*
		 * A listed function's LoggingConfig came with the list: its
		 * group is known, and asking GetFunctionConfiguration again
		 * would cost a call per name before the first event.
		 */
		if (mf != NULL) {
			p->groups[i] = lambda_log_group(mf->fn.log_group,
			    mf->fn.function_name);
			names[i] = p->groups[i];
			is_group[i] = 1;
		} else
			p->groups[i] = xstrdup(is_group[i] ? names[i] : "");
	}
	p->range = range;
	p->want = xcalloc(n, sizeof *p->want);
	p->want_group = xcalloc(n, sizeof *p->want_group);
	for (i = 0; i < n; i++) {
		p->want[i] = xstrdup(names[i]);
		p->want_group[i] = is_group[i];
	}
	free(names);
	free(is_group);
	pane_logs_start(p);
	ini_words_free(words);
	p->tick = loop_timer_new(ui->ctx->aws.loop, pane_logs_tick, p);
	loop_timer_start(p->tick, LOGS_TICK_MS);
	return p;
}

static void
pane_logs_free(void *state)
{
	struct pane_logs *p = state;
	size_t i;

	loop_timer_free(p->tick);
	logtail_free(p->tail);
	loggroup_resolver_free(p->resolver);
	logview_free(p->lv);
	for (i = 0; i < p->n; i++) {
		free(p->labels[i]);
		free(p->groups[i]);
		free(p->want[i]);
	}
	free(p->want);
	free(p->want_group);
	free(p->labels);
	free(p->groups);
	free(p->pattern);
	buf_free(&p->text);
	free(p->row_off);
	free(p->row_len);
	free(p);
}

/* ---- laying out one event ---- */

/* Bytes of clean text s[0..len) that fit in width columns. */
static size_t
logs_fit(const char *s, size_t len, size_t width)
{
	size_t i = 0, used = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4, w;

		if (i + n > len)
			n = len - i;
		w = sanitize_width(s + i, n);
		if (used + w > width)
			break;
		used += w;
		i += n;
	}
	return i;
}

static int
logs_level_role(uint8_t level)
{
	switch (level) {
	case LOG_LEVEL_ERROR:
	case LOG_LEVEL_FATAL:
		return ROLE_LOG_ERROR;
	case LOG_LEVEL_WARN:
		return ROLE_LOG_WARN;
	case LOG_LEVEL_INFO:
		return ROLE_LOG_INFO;
	case LOG_LEVEL_DEBUG:
	case LOG_LEVEL_TRACE:
		return ROLE_LOG_DEBUG;
	default:
		return ROLE_NORMAL;
	}
}

/* One invocation in a line, from its REPORT. */
static void
logs_report_line(struct buf *out, const char *msg, size_t len, int *role)
{
	struct lambda_report r;

	memset(&r, 0, sizeof r);
	logparse_report(msg, len, &r);
	/* What on-call reads first comes first: a narrow view keeps it. */
	buf_printf(out, "▸ %.2f ms (billed %.0f ms)", r.duration_ms, r.billed_ms);
	if (r.timed_out)
		buf_puts(out, " TIMED OUT");
	if (r.errored)
		buf_puts(out, " ERROR");
	buf_printf(out, "  mem %ld/%ld MB", r.max_memory_mb, r.memory_mb);
	if (r.has_init)
		buf_printf(out, "  cold start, init %.2f ms", r.init_ms);
	buf_printf(out, "  %.8s", r.request_id);
	*role = r.timed_out || r.errored ? ROLE_LOG_ERROR : ROLE_DIM;
}

/* Appends the row text[off, off + len) to the event's rows. */
static void
logs_row_push(struct pane_logs *p, size_t off, size_t len, size_t *n)
{
	if (*n >= LOGS_MAX_ROWS)
		return;
	if (*n >= p->row_cap) {
		p->row_cap = p->row_cap == 0 ? 256 : p->row_cap * 2;
		p->row_off = xreallocarray(p->row_off, p->row_cap, sizeof *p->row_off);
		p->row_len = xreallocarray(p->row_len, p->row_cap, sizeof *p->row_len);
	}
	p->row_off[*n] = off;
	p->row_len[*n] = len;
	(*n)++;
}

/* Adds one source line as rows (wrapped, or cut to width). */
static void
logs_add_line(struct pane_logs *p, const char *s, size_t len, size_t width, size_t *n)
{
	size_t start = p->text.len, off = 0, clean;

	sanitize_append(&p->text, s, len, SANITIZE_TAB_AS_SPACE);
	clean = p->text.len - start;
	do {
		size_t take = logs_fit(p->text.data + start + off, clean - off, width);

		if (take == 0 && off < clean)
			take = 1;	/* a glyph wider than the view: skip it rather than loop */
		logs_row_push(p, start + off, take, n);
		off += take;
	} while (p->wrap && off < clean && *n < LOGS_MAX_ROWS);
}

/*
 * Lambda's "TIME\tID\tLEVEL\tbody" repeats the event's own time: while lines
 * are folded, show "LEVEL id8 body" instead. 1 when out holds the shorter form.
 */
static int
logs_compact(struct pane_logs *p, const char *msg, size_t len, struct buf *out)
{
	struct logparse_prefix pre;
	const char *lvl;

	buf_reset(out);
	if (!logview_fold(p->lv) || !logparse_lambda_prefix(msg, len, &pre)) {
		buf_append(out, msg, len);
		return 0;
	}
	lvl = logparse_level_name(pre.level);
	buf_printf(out, "%-5s %.*s ", *lvl != '\0' ? lvl : "-",
	    (int)(pre.id_len < 8 ? pre.id_len : 8), msg + pre.id_start);
	buf_append(out, msg + pre.body, len - pre.body);
	return 1;
}

/* Lays out the message of event i in width columns into p->text/p->row_*. */
static struct logs_rows
logs_layout(struct pane_logs *p, size_t i, size_t width)
{
	const struct logring *ring = logview_ring(p->lv);
	const struct log_event *ev = logring_at(ring, i);
	uint8_t f = logring_flags(ring, i);
	struct logs_rows r = { 0, ROLE_NORMAL };
	size_t *starts, *lens, nl, k, len;
	char *pretty = NULL;
	const char *msg;
	struct buf tmp;

	buf_reset(&p->text);
	if (width < 1)
		width = 1;
	if (ev == NULL)
		return r;
	msg = ev->message;
	len = ev->message_len;
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		len--;
	if (f & LOG_EVENT_GAP) {
		r.role = ROLE_WARN;
		logs_add_line(p, msg, len, width, &r.n);
		return r;
	}
	if ((f & LOG_EVENT_REPORT) && logview_fold(p->lv)) {
		buf_init(&tmp, 0);
		logs_report_line(&tmp, msg, len, &r.role);
		logs_add_line(p, tmp.data, tmp.len, width, &r.n);
		buf_free(&tmp);
		return r;
	}
	r.role = logs_level_role(ev->level);
	buf_init(&tmp, 0);
	if ((f & LOG_EVENT_JSON) && (p->json_all || (f & LOG_EVENT_EXPANDED)) &&
	    (pretty = logparse_json_pretty(msg, len)) != NULL) {
		ssize_t at = logparse_json_start(msg, len);

		/* The text before the JSON (Lambda's prefix) stays on the first row. */
		if (at > 0) {
			logs_compact(p, msg, (size_t)at, &tmp);
			logs_add_line(p, tmp.data, tmp.len, width, &r.n);
		}
		msg = pretty;
		len = strlen(pretty);
	} else if (logs_compact(p, msg, len, &tmp)) {
		msg = tmp.data;
		len = tmp.len;
	}
	/* Every line of the message, however many: a tall event is scrolled through, not cut. */
	nl = logparse_split_lines(msg, len, NULL, NULL, 0);
	if (nl > LOGS_MAX_ROWS)
		nl = LOGS_MAX_ROWS;
	starts = xreallocarray(NULL, nl > 0 ? nl : 1, sizeof *starts);
	lens = xreallocarray(NULL, nl > 0 ? nl : 1, sizeof *lens);
	nl = logparse_split_lines(msg, len, starts, lens, nl);
	if (nl > LOGS_MAX_ROWS)
		nl = LOGS_MAX_ROWS;
	for (k = 0; k < nl && r.n < LOGS_MAX_ROWS; k++)
		logs_add_line(p, msg + starts[k], lens[k], width, &r.n);
	free(starts);
	free(lens);
	free(pretty);
	buf_free(&tmp);
	return r;
}

/* The prefix of an event's first row: time, function tag, stream. */
static size_t
logs_prefix_width(struct pane_logs *p)
{
	size_t w = 0;

	switch (p->time_mode) {
	case LOGS_TIME_UTC: w += p->narrow ? 13 : 25; break;
	case LOGS_TIME_LOCAL: w += p->narrow ? 13 : 30; break;
	case LOGS_TIME_RELATIVE: w += 10; break;
	case LOGS_TIME_NONE: break;
	}
	if (p->n > 1) {
		size_t i, longest = 0;

		for (i = 0; i < p->n; i++)
			if (strlen(p->labels[i]) > longest)
				longest = strlen(p->labels[i]);
		w += (longest < (p->narrow ? 12u : 24u) ? longest : (p->narrow ? 12 : 24)) + 1;
	}
	if (p->streams)
		w += 21;
	return w;
}

/* Rows event i takes at the last draw's width (logscroll's callback), remembered. */
static size_t
logs_event_rows(void *arg, size_t i)
{
	struct pane_logs *p = arg;
	uint64_t version = logring_version(logview_ring(p->lv));
	uint8_t flags = logring_flags(logview_ring(p->lv), i);
	uint8_t mode = (uint8_t)((p->wrap ? 1 : 0) | (p->json_all ? 2 : 0) | (logview_fold(p->lv) ? 4 : 0));
	size_t k = i % LOGS_ROWS_CACHE;
	struct logs_rows r;

	if (p->rows_cache[k].version == version && p->rows_cache[k].i == i &&
	    p->rows_cache[k].width == p->width && p->rows_cache[k].flags == flags &&
	    p->rows_cache[k].mode == mode && p->rows_cache[k].rows > 0)
		return p->rows_cache[k].rows;
	r = logs_layout(p, i, p->width);
	p->rows_cache[k].version = version;
	p->rows_cache[k].i = i;
	p->rows_cache[k].width = p->width;
	p->rows_cache[k].flags = flags;
	p->rows_cache[k].mode = mode;
	p->rows_cache[k].rows = r.n > 0 ? r.n : 1;
	return p->rows_cache[k].rows;
}

static void
logs_time_text(struct pane_logs *p, int64_t ms, char *buf, size_t len)
{
	time_t now = timeutil_now();

	buf[0] = '\0';
	if (p->time_mode == LOGS_TIME_UTC || p->time_mode == LOGS_TIME_LOCAL)
		timerange_format(ms, p->time_mode == LOGS_TIME_UTC, buf, len);
	else if (p->time_mode == LOGS_TIME_RELATIVE)
		timeutil_format_relative((time_t)(ms / 1000), now, buf, len);
}

/* A stream name without its date: "[$LATEST]3f9c…" is what tells streams apart. */
static const char *
logs_stream_short(const char *s)
{
	const char *b = s != NULL ? strchr(s, '[') : NULL;

	return b != NULL ? b : (s != NULL ? s : "");
}

/* Clean text with the search's matches highlighted. */
static void
logs_draw_clean(struct pane_logs *p, WINDOW *win, int y, int x, const char *s, size_t len, int role)
{
	size_t st[LOGS_MAX_MATCHES], en[LOGS_MAX_MATCHES], n, k, at = 0;

	n = logview_find(p->lv, s, len, st, en, LOGS_MAX_MATCHES);
	wmove(win, y, x);
	for (k = 0; k <= n; k++) {
		size_t upto = k < n ? st[k] : len;

		if (upto > at) {
			wattrset(win, colors_attr((enum theme_role)role));
			draw_addn(win, s + at, upto - at);
		}
		if (k < n) {
			wattrset(win, colors_attr(ROLE_MATCH));
			draw_addn(win, s + st[k], en[k] - st[k]);
			at = en[k];
		}
	}
	wattrset(win, A_NORMAL);
}

/*
 * Draws event i from row y on, its first `skip` rows left out (they are
 * above the screen); returns the rows it took (at most rows_left).
 */
static int
logs_draw_event(struct pane_logs *p, WINDOW *win, int y, int rows_left, int cols, size_t i,
    size_t skip)
{
	const struct log_event *ev = logring_at(logview_ring(p->lv), i);
	size_t pw = logs_prefix_width(p), k;
	int selected = i == logview_cursor(p->lv);
	int x = 0, role;
	struct logs_rows r;
	char when[64];

	if (ev == NULL)
		return 0;
	if (pw + 8 > (size_t)cols)
		pw = 0;		/* too narrow for a prefix: the message comes first */
	r = logs_layout(p, i, (size_t)cols - pw);
	if (r.n == 0)
		logs_row_push(p, 0, 0, &r.n);
	if (skip >= r.n)
		skip = r.n - 1;
	for (k = skip; k < r.n && (int)(k - skip) < rows_left; k++)
		draw_fill(win, y + (int)(k - skip), selected ? ROLE_SELECTED : ROLE_NORMAL);
	/* The time, tag and stream stand on the event's first row only. */
	if (pw > 0 && skip == 0) {
		if (p->time_mode != LOGS_TIME_NONE) {
			int tw = p->time_mode == LOGS_TIME_RELATIVE ? 10 : p->narrow ? 13 :
			    p->time_mode == LOGS_TIME_UTC ? 25 : 30;
			const char *t = when;

			logs_time_text(p, ev->timestamp, when, sizeof when);
			/* Narrow: the time of day is what tells lines apart. */
			if (p->narrow && p->time_mode != LOGS_TIME_RELATIVE && strchr(when, 'T') != NULL)
				t = strchr(when, 'T') + 1;
			draw_text(win, y, x, tw - 1, t, selected ? ROLE_SELECTED : ROLE_DIM, 0);
			x += tw;
		}
		if (p->n > 1) {
			size_t tw = pw - (size_t)x - (p->streams ? 21 : 0);
			const char *label = ev->source < p->n ? p->labels[ev->source] : "?";

			role = logs_tag_roles[ev->source % (sizeof logs_tag_roles / sizeof logs_tag_roles[0])];
			draw_id_text(win, y, x, (int)tw - 1, label, selected ? ROLE_SELECTED : role, 0);
			x += (int)tw;
		}
		if (p->streams) {
			draw_id_text(win, y, x, 20, logs_stream_short(ev->stream), selected ? ROLE_SELECTED : ROLE_DIM, 0);
			x += 21;
		}
	}
	for (k = skip; k < r.n && (int)(k - skip) < rows_left; k++) {
		logs_draw_clean(p, win, y + (int)(k - skip), (int)pw, p->text.data + p->row_off[k],
		    p->row_len[k], selected ? ROLE_SELECTED : r.role);
	}
	return (int)(k > skip ? k - skip : 1);
}

static void
pane_logs_status_line(struct pane_logs *p, char *buf, size_t len)
{
	struct logtail_stats st;
	const char *search = logview_search(p->lv);
	size_t off = 0;
	char range[80];
	int64_t now = (int64_t)time(NULL) * 1000;

	memset(&st, 0, sizeof st);
	if (p->tail != NULL)
		logtail_stats(p->tail, &st);
#define ADD(...) do { if (off < len) off += (size_t)snprintf(buf + off, len - off, __VA_ARGS__); } while (0)
	if (p->state == LOGTAIL_HISTORY)
		ADD("reading history…");
	else if (p->state == LOGTAIL_FAILED && p->retry_at != 0)
		ADD("FAILED (e: why) — retrying in %lld s (r: now)",
		    (long long)((p->retry_at - now + 999) / 1000));
	else if (p->state == LOGTAIL_FAILED)
		ADD("FAILED (e: why) — r: retry");
	else if (p->state == LOGTAIL_DONE)
		ADD("range read");	/* an until: nothing more comes */
	else if (st.missing == p->n)
		ADD("WAITING for the log group (r: ask now)");
	else if (logview_following(p->lv))
		ADD("following");
	else
		ADD("PAUSED");
	if (!logview_following(p->lv) && logview_unseen(p->lv) > 0)
		ADD(" — %llu new (F: follow)", (unsigned long long)logview_unseen(p->lv));
	if (st.missing > 0 && st.missing < p->n)
		ADD("  %zu log group%s not there yet", st.missing, st.missing == 1 ? "" : "s");
	if (st.outage_since_ms != 0) {
		/*
		 * Reads fail and are retried each poll: said next to the state,
		 * where a narrow view still shows it, counting.
		 */
		char when[16];
		long long secs = (now - st.outage_since_ms) / 1000;

		pane_logs_clock(st.outage_since_ms, when, sizeof when);
		if (p->outage_net)
			ADD("  DISCONNECTED %lld s, retrying (since %sZ)", secs, when);
		else
			ADD("  reads failing since %sZ (%lld s), retrying", when, secs);
	}
	logrange_describe(&p->range, (int64_t)time(NULL) * 1000, range, sizeof range);
	ADD("  %s", range);
	ADD("  %zu events", logview_count(p->lv));
	if (logring_dropped(logview_ring(p->lv)) > 0)
		ADD(", %llu oldest dropped", (unsigned long long)logring_dropped(logview_ring(p->lv)));
	if (search != NULL)
		ADD("  /%s/ %zu match%s%s", search, logview_match_count(p->lv),
		    logview_match_count(p->lv) == 1 ? "" : "es",
		    logview_hide_unmatched(p->lv) ? " (only matches)" : "");
	if (p->pattern != NULL)
		ADD("  pattern: %s", p->pattern);
	if (logview_request(p->lv) != NULL)
		ADD("  request %s", logview_request(p->lv));
	if (st.throttles > 0)
		ADD("  throttled %llu×", (unsigned long long)st.throttles);
	if (st.outage_since_ms == 0 && p->state == LOGTAIL_FOLLOWING && st.last_read_ms != 0) {
		/*
		 * How fresh the view is: the last answer read. The newest
		 * event's age (once "lag") read as a polling delay, and the
		 * lines carry their own times.
		 */
		ADD("  read %lld s ago", (long long)((now - st.last_read_ms) / 1000));
	}
	/* Its health, as USERS.md asks: what it costs AWS and how fast lines come. */
	ADD("  %llu calls  %.1f ev/s", (unsigned long long)st.api_calls, st.events_per_s);
#undef ADD
}

static void
pane_logs_draw(void *state, WINDOW *win, int rows, int cols)
{
	struct pane_logs *p = state;
	size_t pw = logs_prefix_width(p), width, i;
	char status[512], empty[160];
	int y;

	p->narrow = cols < 100;
	pane_logs_status_line(p, status, sizeof status);
	draw_fill(win, 0, ROLE_COLUMN_HEADER);
	draw_text(win, 0, 0, cols, status, ROLE_COLUMN_HEADER, 0);
	p->page = rows - 1;
	if (rows < 2)
		return;
	if (pw + 8 > (size_t)cols)
		pw = 0;
	width = (size_t)cols - pw;
	p->width = width;
	/* Following shows the end of the newest event, however tall (logscroll.h). */
	logscroll_place(&p->scroll, p->lv, (size_t)(rows - 1), logs_event_rows, p);
	if (p->scroll.top == LOGVIEW_NONE) {
		struct logtail_stats st;
		const char *why;

		memset(&st, 0, sizeof st);
		if (p->tail != NULL)
			logtail_stats(p->tail, &st);
		if (p->state == LOGTAIL_HISTORY)
			why = "reading history…";
		else if (p->state == LOGTAIL_FAILED)
			why = "nothing could be read: e shows why, r tries again";
		else if (st.missing == p->n)
			why = "no log group yet: the function has not run since it was created; "
			    "asked again every few seconds (r: now)";
		else if (logview_count(p->lv) > 0)
			why = "no lines shown: Esc clears the search or request";
		else {
			logs_range_empty(&p->range, p->state != LOGTAIL_DONE, empty, sizeof empty);
			why = empty;
		}
		draw_text(win, 1, 1, cols - 1, why, ROLE_DIM, 0);
		return;
	}
	for (y = 1, i = p->scroll.top; y < rows && i != LOGVIEW_NONE; i = logview_next_shown(p->lv, i))
		y += logs_draw_event(p, win, y, rows - y, cols, i, i == p->scroll.top ? p->scroll.top_row : 0);
}

/* ---- saving ---- */

static void
pane_logs_save(struct pane_logs *p, const char *path)
{
	struct dlc_err err;
	size_t n;

	dlc_err_clear(&err);
	if (logsave_write(p->lv, path, logsave_format_of(path), p->labels, p->groups, p->n,
	    &n, &err) != 0)
		ui_error(p->ui, &err);
	else
		ui_message(p->ui, 0, "saved %zu lines to %s", n, path);
}

/*
 * What a jump to a match did (logview_next_match's answer), in the status
 * line; dir 0 is the jump of a new search (Enter), which also counts.
 */
static void
pane_logs_search_went(struct pane_logs *p, int went, int dir)
{
	const char *re = logview_search(p->lv);
	char count[160] = "";

	if (dir == 0)
		snprintf(count, sizeof count, "%zu matches for /%s/ (n, N: next, previous; &: only matches)",
		    logview_match_count(p->lv), re);
	if (went < 0)
		ui_message(p->ui, 0, "no match for /%s/%s", re, logview_match_count(p->lv) > 0 ?
		    " among the lines shown" : "");
	else if (went > 0)
		ui_message(p->ui, 0, "search wrapped: continuing at the %s%s%s", dir < 0 ? "bottom" : "top",
		    dir == 0 ? "; " : "", count);
	else if (dir == 0)
		ui_message(p->ui, 0, "%s", count);
}

static void
pane_logs_prompt(void *state, const char *purpose, const char *text)
{
	struct pane_logs *p = state;
	struct dlc_err err;

	dlc_err_clear(&err);
	if (strcmp(purpose, "search") == 0) {
		if (logview_set_search(p->lv, text, &err) != 0)
			ui_error(p->ui, &err);
		else if (*text != '\0')
			pane_logs_search_went(p, logview_first_match(p->lv), 0);
	} else if (strcmp(purpose, "pattern") == 0) {
		if (strlen(text) > 1024) {
			ui_message(p->ui, 1, "the filter pattern is longer than CloudWatch accepts (1024)");
			return;
		}
		free(p->pattern);
		p->pattern = *text != '\0' ? xstrdup(text) : NULL;
		pane_logs_reread(p);
		ui_message(p->ui, 0, "filter pattern %s%s", *text != '\0' ? "set: " : "cleared", text);
	} else if (logs_range_prompt(p->ui, &p->range, p->lv, purpose, text) == LOGS_RANGE_REREAD) {
		pane_logs_reread(p);
	} else if (strcmp(purpose, "save") == 0 && *text != '\0') {
		pane_logs_save(p, text);
	}
}

/* ---- keys ---- */

static void
pane_logs_toggle_request(struct pane_logs *p)
{
	char rid[64];
	size_t cur = logview_cursor(p->lv);

	if (logview_request(p->lv) != NULL) {
		logview_set_request(p->lv, NULL);
		ui_message(p->ui, 0, "every request shown");
		return;
	}
	if (cur == LOGVIEW_NONE || logview_request_of(p->lv, cur, rid) != 0) {
		ui_message(p->ui, 1, "this line names no request id");
		return;
	}
	logview_set_request(p->lv, rid);
	ui_message(p->ui, 0, "only request %s (R again: all)", rid);
}

/* y: the selected line's message as AWS sent it; Y: its request id. */
static void
pane_logs_copy(struct pane_logs *p, int request)
{
	const struct logring *ring = logview_ring(p->lv);
	size_t cur = logview_cursor(p->lv), len;
	const char *msg;
	char rid[64], what[320];
	uint16_t source;

	if (cur == LOGVIEW_NONE || (logring_flags(ring, cur) & LOG_EVENT_GAP) ||
	    (msg = logring_message(ring, cur, &len)) == NULL) {
		ui_message(p->ui, 1, "no line to copy");
		return;
	}
	if (request) {
		if (logview_request_of(p->lv, cur, rid) != 0) {
			ui_message(p->ui, 1, "this line names no request id");
			return;
		}
		snprintf(what, sizeof what, "request id %s", rid);
		clipboard_copy(p->ui, rid, strlen(rid), what);
		return;
	}
	source = logring_at(ring, cur)->source;
	snprintf(what, sizeof what, "line of %s (%zu bytes)", source < p->n ? p->labels[source] : "?", len);
	clipboard_copy(p->ui, msg, len, what);
}

/* j/k and pages: by screen rows within an event taller than the screen, else by events. */
static void
pane_logs_move(struct pane_logs *p, long n)
{
	logscroll_move(&p->scroll, p->lv, n, p->page > 0 ? (size_t)p->page : 0, logs_event_rows, p);
}

static int
pane_logs_action(void *state, const char *action)
{
	struct pane_logs *p = state;
	long page = p->page > 1 ? p->page - 1 : 1;
	size_t cur = logview_cursor(p->lv);
	static const char *const time_names[] = { "UTC", "local", "relative", "hidden" };
	enum logs_range_result rr = logs_range_action(p->ui, &p->range, action);

	if (rr != LOGS_RANGE_NOT_MINE) {
		if (rr == LOGS_RANGE_REREAD)
			pane_logs_reread(p);
		return 1;
	}
	if (strcmp(action, "down") == 0)
		pane_logs_move(p, 1);
	else if (strcmp(action, "up") == 0)
		pane_logs_move(p, -1);
	else if (strcmp(action, "page-down") == 0)
		pane_logs_move(p, page);
	else if (strcmp(action, "page-up") == 0)
		pane_logs_move(p, -page);
	else if (strcmp(action, "half-page-down") == 0)
		pane_logs_move(p, page / 2 > 0 ? page / 2 : 1);
	else if (strcmp(action, "half-page-up") == 0)
		pane_logs_move(p, -(page / 2 > 0 ? page / 2 : 1));
	else if (strcmp(action, "top") == 0)
		logview_home(p->lv);
	else if (strcmp(action, "bottom") == 0 || strcmp(action, "follow") == 0)
		logview_set_following(p->lv, 1);
	else if (strcmp(action, "pause") == 0) {
		logview_set_following(p->lv, !logview_following(p->lv));
		ui_message(p->ui, 0, "%s", logview_following(p->lv) ? "following" :
		    "paused: new lines are collected and counted (Space or F: follow)");
	} else if (strcmp(action, "select") == 0) {
		if (cur == LOGVIEW_NONE || logview_toggle_expanded(p->lv, cur) != 0)
			ui_message(p->ui, 0, "this line holds no JSON");
	} else if (strcmp(action, "json-all") == 0) {
		p->json_all = !p->json_all;
		ui_message(p->ui, 0, "JSON %s", p->json_all ? "pretty-printed" : "collapsed");
	} else if (strcmp(action, "search") == 0) {
		ui_prompt_open(p->ui, "search", "search /", logview_search(p->lv));
	} else if (strcmp(action, "next-match") == 0 || strcmp(action, "prev-match") == 0) {
		if (logview_search(p->lv) == NULL)
			ui_message(p->ui, 0, "no search: / to search");
		else
			pane_logs_search_went(p, logview_next_match(p->lv, action[0] == 'n' ? 1 : -1),
			    action[0] == 'n' ? 1 : -1);
	} else if (strcmp(action, "hide-unmatched") == 0) {
		logview_set_hide_unmatched(p->lv, !logview_hide_unmatched(p->lv));
	} else if (strcmp(action, "filter-pattern") == 0) {
		ui_prompt_open(p->ui, "pattern", "filter pattern: ", p->pattern);
	} else if (strcmp(action, "request") == 0) {
		pane_logs_toggle_request(p);
	} else if (strcmp(action, "copy-line") == 0 || strcmp(action, "copy-request") == 0) {
		pane_logs_copy(p, strcmp(action, "copy-request") == 0);
	} else if (strcmp(action, "platform") == 0) {
		logview_set_fold(p->lv, !logview_fold(p->lv));
		ui_message(p->ui, 0, "%s", logview_fold(p->lv) ? "START/END folded into one line per invocation" :
		    "START/END/REPORT shown as they are");
	} else if (strcmp(action, "time-mode") == 0) {
		p->time_mode = (enum logs_time)((p->time_mode + 1) % 4);
		ui_message(p->ui, 0, "timestamps: %s", time_names[p->time_mode]);
	} else if (strcmp(action, "streams") == 0) {
		p->streams = !p->streams;
	} else if (strcmp(action, "wrap") == 0) {
		p->wrap = !p->wrap;
		ui_message(p->ui, 0, "wrap %s", p->wrap ? "on" : "off");
	} else if (strcmp(action, "save") == 0) {
		char path[128], stamp[32];
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
		snprintf(path, sizeof path, "dlc-logs-%s-%s.log", pane_logs_env(p)->conf->name, stamp);
		ui_prompt_open(p->ui, "save", "save shown lines to: ", path);
	} else if (strcmp(action, "back") == 0) {
		/* Esc peels off the search, then the request, before leaving. */
		if (logview_request(p->lv) != NULL)
			logview_set_request(p->lv, NULL);
		else if (logview_search(p->lv) != NULL)
			logview_set_search(p->lv, NULL, NULL);
		else
			return 0;
	} else if (strcmp(action, "refresh") == 0) {
		/* Now, not at the next poll: a missing group, an outage, a failure. */
		if (p->tail != NULL && logtail_retry_now(p->tail) == 0)
			ui_message(p->ui, 0, "reading from AWS now");
		else if (p->state == LOGTAIL_FAILED) {
			pane_logs_start(p);
			ui_message(p->ui, 0, "trying again");
		} else
			ui_message(p->ui, 0, "still finding the log groups");
	} else
		return 0;
	return 1;
}

static void
pane_logs_title(void *state, char *buf, size_t len)
{
	struct pane_logs *p = state;
	size_t i, off;

	off = (size_t)snprintf(buf, len, "logs (%s)", pane_logs_env(p)->conf->name);
	for (i = 0; i < p->n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i == 0 ? " " : ", ", p->labels[i]);
}

const struct pane_ops pane_logs_ops = {
	"logs", KEYCTX_LIST | KEYCTX_LOGS,
	pane_logs_init, pane_logs_free, pane_logs_draw, pane_logs_action,
	NULL, pane_logs_title, NULL, pane_logs_prompt
};
