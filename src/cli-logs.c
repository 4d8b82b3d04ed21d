/*
 * dlc logs -e ENV FUNCTION...: the CloudWatch logs of one or many
 * functions, history between --since and --until, and with -f followed
 * live, each event exactly once (src/logtail.c). Plain lines when stdout
 * is not a terminal, NDJSON with AWS's field names for --format json.
 * Every message goes through the sanitiser before it reaches the terminal.
 */
#include "cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "jsonout.h"
#include "logevent.h"
#include "loggroup.h"
#include "logparse.h"
#include "logtail.h"
#include "loop.h"
#include "manifest.h"
#include "regexp.h"
#include "sanitize.h"
#include "timerange.h"
#include "xmalloc.h"

enum cli_logs_format { LOGS_SHORT, LOGS_DETAILED, LOGS_JSON, LOGS_MESSAGE };

/* One source of the merged output; its strings are the resolver's. */
struct cli_logs_fn {
	const char	*label;		/* what the user typed: the tag in merged output */
	const char	*group;		/* its log group */
	int		 waiting;	/* said that its group does not exist yet */
};

struct cli_logs {
	struct cli_ctx		*ctx;
	struct aws_env		*aenv;
	struct cli_logs_fn	*fns;
	struct loggroup_resolver *resolver;
	size_t			 n_fns;
	int			 pending;
	enum cli_logs_format	 format;
	int			 color;
	int			 utc;
	pcre2_code		*grep;
	pcre2_match_data	*grep_md;
	const char		*request_id;
	long			 idle_exit_s;
	struct loop_timer	*idle;
	struct loop_signal	*sig_int;
	struct loop_signal	*sig_term;
	struct logtail		*tail;
	int			 running;
	int			 failed;
	struct dlc_err		 err;
	uint64_t		 printed;
	uint64_t		 flushed;	/* printed when stdout was last flushed */
	struct buf		 line;		/* what is printed, until the next cli_logs_out */
};

static const char *const cli_logs_palette[] = { "36", "35", "34", "32", "33", "96", "95", "94" };

static void
cli_logs_resolved(struct loggroup_target *t, size_t n, void *arg)
{
	struct cli_logs *l = arg;

	(void)t;
	(void)n;
	l->pending = 0;
}

/* Finds each name's log group (src/loggroup.c): one call each, at once. */
static int
cli_logs_resolve(struct cli_logs *l, const struct dlc_env *env,
    const struct local_function *locals, size_t n_locals,
    const char *const *names, const int *is_group)
{
	struct loggroup_target *t;
	size_t i, n;

	l->pending = 1;
	l->resolver = loggroup_resolve(l->ctx->aws.loop, l->aenv, env, locals,
	    n_locals, names, is_group, l->n_fns, cli_logs_resolved, l);
	aws_wait(&l->ctx->aws, &l->pending);
	t = loggroup_targets(l->resolver, &n);
	for (i = 0; i < n; i++) {
		if (dlc_err_isset(&t[i].err)) {
			l->err = t[i].err;
			return -1;
		}
		l->fns[i].label = t[i].label;
		l->fns[i].group = t[i].group;
	}
	return 0;
}

static int
cli_logs_wanted(struct cli_logs *l, const struct log_event *ev)
{
	char rid[64];

	if (l->request_id != NULL &&
	    (logparse_request_id(ev->message, ev->message_len, rid) != 0 || strcmp(rid, l->request_id) != 0))
		return 0;
	if (l->grep != NULL && pcre2_match(l->grep, (PCRE2_SPTR)ev->message, ev->message_len, 0, 0,
	    l->grep_md, NULL) < 0)
		return 0;
	return 1;
}

/* Output leaves in batches this large at most, and after every loop turn. */
#define CLI_LOGS_BATCH	(256u * 1024)

/* Writes out what was printed: one write for a whole batch of lines. */
static void
cli_logs_out(struct cli_logs *l)
{
	if (l->line.len > 0)
		fwrite(l->line.data, 1, l->line.len, stdout);
	buf_reset(&l->line);
	fflush(stdout);
}

/* NDJSON with AWS's field names; written by hand so a NUL in a message survives. */
static void
cli_logs_print_json(struct cli_logs *l, const struct log_event *ev)
{
	jsonout_log_event(&l->line, ev, l->fns[ev->source].group);
}

static const char *
cli_logs_level_color(uint8_t level)
{
	switch (level) {
	case LOG_LEVEL_ERROR:
	case LOG_LEVEL_FATAL:
		return "31";
	case LOG_LEVEL_WARN:
		return "33";
	case LOG_LEVEL_DEBUG:
	case LOG_LEVEL_TRACE:
		return "2";
	default:
		return NULL;
	}
}

static void
cli_logs_print(struct cli_logs *l, const struct log_event *ev)
{
	char when[48];
	const char *lc;
	size_t len = ev->message_len;

	if (l->format == LOGS_JSON) {
		cli_logs_print_json(l, ev);
		return;
	}
	/* Lambda's messages end in a newline; the line adds its own. */
	while (len > 0 && (ev->message[len - 1] == '\n' || ev->message[len - 1] == '\r'))
		len--;
	if (l->format != LOGS_MESSAGE) {
		int n = timerange_format(ev->timestamp, l->utc, when, sizeof when);

		if (l->color)
			buf_puts(&l->line, "\033[32m");
		buf_append(&l->line, when, n > 0 ? (size_t)n : 0);
		buf_puts(&l->line, l->color ? "\033[0m " : " ");
		if (l->n_fns > 1) {
			if (l->color)
				buf_printf(&l->line, "\033[%sm", cli_logs_palette[ev->source % 8]);
			sanitize_append(&l->line, l->fns[ev->source].label, strlen(l->fns[ev->source].label),
			    SANITIZE_IDENTIFIER);
			buf_puts(&l->line, l->color ? "\033[0m " : " ");
		}
		if (l->format == LOGS_DETAILED && ev->stream != NULL) {
			if (l->color)
				buf_puts(&l->line, "\033[36m");
			sanitize_append(&l->line, ev->stream, strlen(ev->stream), SANITIZE_IDENTIFIER);
			buf_puts(&l->line, l->color ? "\033[0m " : " ");
		}
	}
	/* The engine leaves ev->level unset: only a coloured line needs it. */
	lc = l->color ? cli_logs_level_color((uint8_t)logparse_level(ev->message, len)) : NULL;
	if (lc != NULL)
		buf_printf(&l->line, "\033[%sm", lc);
	/* Newlines inside a message stay line breaks; every other control is inert. */
	sanitize_append(&l->line, ev->message, len, SANITIZE_KEEP_NEWLINE | SANITIZE_TAB_AS_SPACE);
	if (lc != NULL)
		buf_puts(&l->line, "\033[0m");
	buf_putc(&l->line, '\n');
}

static void
cli_logs_event(const struct log_event *ev, void *arg)
{
	struct cli_logs *l = arg;

	if (!cli_logs_wanted(l, ev))
		return;
	cli_logs_print(l, ev);
	l->printed++;
	if (l->line.len >= CLI_LOGS_BATCH)
		cli_logs_out(l);
	if (l->idle != NULL)
		loop_timer_start(l->idle, l->idle_exit_s * 1000);
}

static void
cli_logs_state(enum logtail_state st, const struct dlc_err *err, void *arg)
{
	struct cli_logs *l = arg;

	if (st == LOGTAIL_FAILED) {
		if (err != NULL)
			l->err = *err;
		l->failed = 1;
		l->running = 0;
		return;
	}
	if (st == LOGTAIL_DONE) {
		l->running = 0;
		return;
	}
	/* A gap or a recovered error: say it on stderr, keep going. */
	if (err != NULL && dlc_err_isset(err))
		cli_error(err);
	cli_logs_out(l);
}

/*
 * Following, an outage is said on stderr when it starts and when it ends;
 * meanwhile the tail asks again each poll and loses nothing.
 */
static void
cli_logs_outage(int64_t since_ms, const struct dlc_err *err, void *arg)
{
	struct cli_logs *l = arg;
	time_t t = (time_t)(since_ms / 1000);
	struct tm tm;
	char when[16], text[sizeof err->what + sizeof err->code + sizeof err->message + 8];
	struct buf clean;

	cli_logs_out(l);
	if (err == NULL) {
		int64_t s = ((int64_t)time(NULL) * 1000 - since_ms + 500) / 1000;

		fprintf(stderr, "dlc: reads back after %lld s\n", (long long)(s > 0 ? s : 0));
		return;
	}
	if (l->utc)
		gmtime_r(&t, &tm);
	else
		localtime_r(&t, &tm);
	strftime(when, sizeof when, "%H:%M:%S", &tm);
	snprintf(text, sizeof text, "%s: %s%s%s", err->what, err->code,
	    err->code[0] != '\0' ? ": " : "", err->message);
	/* AWS's message is untrusted. */
	buf_init(&clean, 0);
	sanitize_append(&clean, text, strlen(text), 0);
	fprintf(stderr, "dlc: reads failing since %s: %s; retrying\n", when,
	    clean.data != NULL ? clean.data : "");
	buf_free(&clean);
}

/* A note on stderr naming a log group (from the network: sanitised). */
static void
cli_logs_group_note(const char *group, const char *before, const char *after)
{
	struct buf clean;

	buf_init(&clean, 0);
	sanitize_append(&clean, group, strlen(group), 0);
	fprintf(stderr, "dlc: %s%s%s\n", before,
	    clean.data != NULL ? clean.data : "", after);
	buf_free(&clean);
}

/*
 * Following a function that has never run: its log group does not exist
 * yet, and the tail waits for it instead of failing. Say so when the wait
 * starts and when it ends, once each.
 */
static void
cli_logs_waiting(struct cli_logs *l)
{
	size_t i;
	int missing;

	for (i = 0; i < l->n_fns; i++) {
		missing = logtail_group_missing(l->tail, i);
		if (missing == l->fns[i].waiting)
			continue;
		l->fns[i].waiting = missing;
		cli_logs_out(l);
		if (missing)
			cli_logs_group_note(l->fns[i].group, "waiting for log group ",
			    ": it does not exist yet (the function has not run"
			    " since it was created); its events show once it runs");
		else
			cli_logs_group_note(l->fns[i].group, "log group ",
			    " is there");
	}
}

/* After each loop turn: what this turn printed leaves now, in one write. */
static void
cli_logs_flush(void *arg)
{
	struct cli_logs *l = arg;

	if (l->tail != NULL)
		cli_logs_waiting(l);

	if (l->printed != l->flushed) {
		cli_logs_out(l);
		l->flushed = l->printed;
	}
}

static void
cli_logs_stop(void *arg)
{
	struct cli_logs *l = arg;

	l->running = 0;
}

static void
cli_logs_signal(int signo, void *arg)
{
	cli_logs_stop(arg);
}

static int
cli_logs_compile_grep(struct cli_logs *l, const char *re)
{
	l->grep = regexp_compile(re, "InvalidRegex", "--grep", &l->err);
	if (l->grep == NULL)
		return -1;
	l->grep_md = pcre2_match_data_create_from_pattern(l->grep, NULL);
	return 0;
}

static int
cli_logs_main(struct cli_ctx *ctx, int argc, char **argv, const char **names,
    int *is_group)
{
	static const struct option longopts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "follow", no_argument, NULL, 'f' },
		{ "filter-pattern", required_argument, NULL, 'p' },
		{ "grep", required_argument, NULL, 'g' },
		{ "format", required_argument, NULL, 'F' },
		{ "request-id", required_argument, NULL, 'r' },
		{ "idle-exit", required_argument, NULL, 'I' },
		{ "utc", no_argument, NULL, 'U' },
		{ "local", no_argument, NULL, 'L' },
		{ "color", required_argument, NULL, 'C' },
		{ "group", required_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = &cli_commands[3];
	struct cli_logs l;
	struct logtail_opts opts;
	const struct dlc_env *env;
	struct local_function *locals = NULL;
	size_t n_locals = 0, i;
	const char *env_name = NULL, *since = "10m", *until = NULL, *color = "auto", *grep = NULL;
	const char **groups = NULL;
	size_t n_names = 0;
	int64_t now_ms = (int64_t)time(NULL) * 1000;
	int ch, rc = CLI_FAIL;

	memset(&l, 0, sizeof l);
	memset(&opts, 0, sizeof opts);
	l.ctx = ctx;
	l.utc = 1;
	buf_init(&l.line, 0);
	while ((ch = getopt_long(argc, argv, "e:s:u:fp:g:F:r:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e': env_name = optarg; break;
		case 's': since = optarg; break;
		case 'u': until = optarg; break;
		case 'f': opts.follow = 1; break;
		case 'p': opts.filter_pattern = optarg; break;
		case 'g': grep = optarg; break;
		case 'r': l.request_id = optarg; break;
		case 'U': l.utc = 1; break;
		case 'L': l.utc = 0; break;
		case 'C': color = optarg; break;
		case 'G':
			/* Log groups come first in the output's sources, then functions. */
			names[n_names] = optarg;
			is_group[n_names++] = 1;
			break;
		case 'I':
			l.idle_exit_s = strtol(optarg, NULL, 10);
			if (l.idle_exit_s <= 0) {
				fprintf(stderr, "dlc logs: --idle-exit takes a number of seconds\n");
				return CLI_USAGE;
			}
			break;
		case 'F':
			if (strcmp(optarg, "short") == 0)
				l.format = LOGS_SHORT;
			else if (strcmp(optarg, "detailed") == 0)
				l.format = LOGS_DETAILED;
			else if (strcmp(optarg, "json") == 0)
				l.format = LOGS_JSON;
			else if (strcmp(optarg, "message") == 0)
				l.format = LOGS_MESSAGE;
			else {
				fprintf(stderr, "dlc logs: --format takes short, detailed, json or message\n");
				return CLI_USAGE;
			}
			break;
		case 'h':
			cli_command_help(cmd, stdout);
			return CLI_OK;
		default:
			cli_command_help(cmd, stderr);
			return CLI_USAGE;
		}
	}
	if (optind >= argc && n_names == 0) {
		fprintf(stderr, "dlc logs: name one or more functions (local or AWS names) or --group LOG-GROUP\n");
		cli_command_help(cmd, stderr);
		return CLI_USAGE;
	}
	for (; optind < argc; optind++) {
		names[n_names] = argv[optind];
		is_group[n_names++] = 0;
	}
	l.color = strcmp(color, "always") == 0 ||
	    (strcmp(color, "auto") == 0 && isatty(STDOUT_FILENO) &&
	    (getenv("NO_COLOR") == NULL || *getenv("NO_COLOR") == '\0'));
	if (timerange_parse(since, now_ms, &opts.since_ms, &l.err) != 0) {
		dlc_err_what(&l.err, "--since");
		cli_error(&l.err);
		return CLI_USAGE;
	}
	opts.until_ms = -1;
	if (until != NULL && timerange_parse(until, now_ms, &opts.until_ms, &l.err) != 0) {
		dlc_err_what(&l.err, "--until");
		cli_error(&l.err);
		return CLI_USAGE;
	}
	if (grep != NULL && cli_logs_compile_grep(&l, grep) != 0) {
		cli_error(&l.err);
		return CLI_USAGE;
	}
	/*
	 * In a pipe, events must leave at once (tail -f | grep must not
	 * wait), but a write per line costs more than the rest of dlc logs:
	 * the lines a loop turn prints gather in l.line and leave in one
	 * write after the turn (cli_logs_flush), so each batch
	 * FilterLogEvents brings is one write. stdio only passes them on.
	 */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);

	if (cli_setup(ctx, &l.err) != 0)
		goto out;
	if ((env = cli_find_env(ctx, env_name, &l.err)) == NULL) {
		rc = env_name == NULL ? CLI_USAGE : CLI_FAIL;
		goto out;
	}
	if (manifest_load_dir(ctx->cfg.functions_dir, &locals, &n_locals, &l.err) != 0) {
		dlc_err_clear(&l.err);
		locals = NULL;
		n_locals = 0;
	}
	if ((l.aenv = cli_open_env(ctx, env, &l.err)) == NULL ||
	    cli_check_account(ctx, l.aenv, env, &l.err) != 0)
		goto out;
	l.n_fns = n_names;
	l.fns = xcalloc(l.n_fns, sizeof *l.fns);
	if (cli_logs_resolve(&l, env, locals, n_locals, names, is_group) != 0)
		goto out;
	groups = xcalloc(l.n_fns, sizeof *groups);
	for (i = 0; i < l.n_fns; i++)
		groups[i] = l.fns[i].group;

	l.sig_int = loop_signal_new(ctx->aws.loop, SIGINT, cli_logs_signal, &l);
	l.sig_term = loop_signal_new(ctx->aws.loop, SIGTERM, cli_logs_signal, &l);
	if (l.idle_exit_s > 0 && opts.follow) {
		l.idle = loop_timer_new(ctx->aws.loop, cli_logs_stop, &l);
		loop_timer_start(l.idle, l.idle_exit_s * 1000);
	}
	opts.loop = ctx->aws.loop;
	opts.on_outage = cli_logs_outage;
	/* As the console's log view: asked again after 5 s, then every 10 s. */
	opts.missing_retry_ms = 5000;
	l.tail = logtail_new(l.aenv, groups, l.n_fns, &opts, cli_logs_event, cli_logs_state, &l);
	l.running = 1;
	loop_set_step(ctx->aws.loop, cli_logs_flush, &l);
	logtail_start(l.tail);
	while (l.running)
		if (loop_run_once(ctx->aws.loop) != 0)
			break;
	loop_set_step(ctx->aws.loop, NULL, NULL);
	cli_logs_out(&l);
	if (!l.failed)
		rc = CLI_OK;
out:
	if (rc != CLI_OK && dlc_err_isset(&l.err))
		cli_error(&l.err);
	logtail_free(l.tail);
	loop_timer_free(l.idle);
	loop_signal_free(l.sig_int);
	loop_signal_free(l.sig_term);
	free(l.fns);
	loggroup_resolver_free(l.resolver);
	free(groups);
	pcre2_match_data_free(l.grep_md);
	pcre2_code_free(l.grep);
	buf_free(&l.line);
	manifest_free_all(locals, n_locals);
	cli_close_env(l.aenv);
	cli_teardown(ctx);
	return rc;
}

int
cli_logs_run(struct cli_ctx *ctx, int argc, char **argv)
{
	/* Every argument may be a name or a --group: room for all of them. */
	const char **names = xcalloc((size_t)argc + 1, sizeof *names);
	int *is_group = xcalloc((size_t)argc + 1, sizeof *is_group);
	int rc = cli_logs_main(ctx, argc, argv, names, is_group);

	free(names);
	free(is_group);
	return rc;
}
