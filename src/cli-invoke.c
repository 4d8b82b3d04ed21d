/*
 * dlc invoke -e ENV FUNCTION: runs a function once (Invoke, RequestResponse,
 * LogType Tail) with a payload from a file, stdin, the command line or the
 * function's events/ folder, and shows what came back: the status, the
 * function error, the response (pretty when it is JSON; a reconciliation
 * result, functions/RECONCILIATION.md, as a table) and the log tail.
 * The response and the log are the function's output, untrusted: both go
 * through the sanitiser (JSON through jsonout, which escapes the same), a
 * pipe included, since most pipes end at a terminal; -o FILE is where the
 * exact bytes go.
 *
 * Invoking is not a deploy, so the environment's deploy policy does not
 * stop it; but a deny environment may be production, so the first line
 * names the environment and its policy before the function runs.
 *
 * Exit: 0 the function ran and succeeded, 1 it ran and failed (a function
 * error), 2 anything else (usage, payload, the call itself).
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "aws-op.h"
#include "invoke-payload.h"
#include "jsonout.h"
#include "lambda-invoke.h"
#include "manifest.h"
#include "push-tty.h"
#include "recon-table.h"
#include "sanitize.h"
#include "xmalloc.h"

enum { CLI_INVOKE_FUNCTION_ERROR = 1, CLI_INVOKE_FAILED = 2 };

struct cli_invoke {
	int			 pending;
	int			 ok;
	struct dlc_err		 err;
	struct lambda_invoke_result r;
	char			*function;	/* the remote name */
};

static void
cli_invoke_done(struct aws_reply *reply, struct lambda_invoke_result *out,
    void *arg)
{
	struct cli_invoke *c = arg;

	c->pending = 0;
	c->ok = reply->ok;
	if (reply->ok != 0) {
		c->err = reply->err;
		return;
	}
	c->r = *out;
	memset(out, 0, sizeof *out);
}

/* Untrusted text to stdout through the sanitiser, newlines kept. */
static void
cli_invoke_put_clean(const char *s, size_t len)
{
	struct buf b;

	buf_init(&b, 0);
	sanitize_append(&b, s, len, SANITIZE_KEEP_NEWLINE | SANITIZE_TAB_AS_SPACE);
	if (b.len > 0) {
		fwrite(b.data, 1, b.len, stdout);
		if (b.data[b.len - 1] != '\n')
			fputc('\n', stdout);
	}
	buf_free(&b);
}

static void
cli_invoke_print_response(const struct lambda_invoke_result *r)
{
	cJSON *doc = cJSON_ParseWithLength(r->payload, r->payload_len);
	char *text;

	if (doc != NULL && recon_table_is(doc)) {
		struct push_tty tty;
		struct buf b;

		/* functions/RECONCILIATION.md's document: read as a table, cut to a terminal's width. */
		push_tty_init(&tty, stdout);
		buf_init(&b, 0);
		recon_table_render(&b, doc, tty.is_tty ? (size_t)tty.width : 0);
		printf("-- response: a reconciliation result (--format json or -o FILE: the document)\n");
		fwrite(b.data, 1, b.len, stdout);
		buf_free(&b);
		cJSON_Delete(doc);
		return;
	}
	printf("-- response\n");
	if (doc != NULL) {
		/* jsonout escapes what a terminal would act on. */
		text = jsonout_print(doc, 1);
		printf("%s\n", text);
		free(text);
		cJSON_Delete(doc);
	} else {
		/* Also into a pipe, which ends at a terminal (less -R): -o FILE has the bytes. */
		cli_invoke_put_clean(r->payload, r->payload_len);
	}
}

static void
cli_invoke_print_text(const struct lambda_invoke_result *r, const char *out_file)
{
	size_t i;

	printf("status %ld, version %s\n", r->status,
	    r->executed_version != NULL ? r->executed_version : "-");
	if (r->function_error != NULL) {
		printf("function error: ");
		cli_invoke_put_clean(r->function_error, strlen(r->function_error));
		if (r->error_type != NULL || r->error_message != NULL) {
			struct buf b;

			buf_init(&b, 0);
			buf_printf(&b, "%s: %s", r->error_type != NULL ? r->error_type : "-",
			    r->error_message != NULL ? r->error_message : "");
			cli_invoke_put_clean(b.data, b.len);
			buf_free(&b);
		}
		for (i = 0; i < r->n_stack_trace; i++)
			cli_invoke_put_clean(r->stack_trace[i], strlen(r->stack_trace[i]));
	}
	if (out_file != NULL)
		printf("-- response: %zu bytes written to %s\n", r->payload_len, out_file);
	else
		cli_invoke_print_response(r);
	if (r->log_tail_bad) {
		printf("-- log tail: X-Amz-Log-Result is not base64, not shown\n");
	} else if (r->log_tail != NULL) {
		printf("-- log tail\n");
		cli_invoke_put_clean(r->log_tail, r->log_tail_len);
	}
}

/* AWS CLI's names (StatusCode, FunctionError, ExecutedVersion) where AWS has them. */
static void
cli_invoke_print_json(const struct dlc_env *env, const char *function,
    const struct lambda_invoke_result *r, const char *out_file)
{
	cJSON *root = cJSON_CreateObject(), *doc, *trace;
	struct buf log;
	size_t i;

	cJSON_AddStringToObject(root, "Environment", env->name);
	cJSON_AddStringToObject(root, "DeployPolicy", dlc_deploy_policy_name(env->deploy));
	cJSON_AddStringToObject(root, "FunctionName", function);
	cJSON_AddNumberToObject(root, "StatusCode", (double)r->status);
	cJSON_AddItemToObject(root, "ExecutedVersion", jsonout_string_or_null(r->executed_version));
	cJSON_AddItemToObject(root, "FunctionError", jsonout_string_or_null(r->function_error));
	if (r->function_error != NULL) {
		cJSON_AddItemToObject(root, "ErrorType", jsonout_string_or_null(r->error_type));
		cJSON_AddItemToObject(root, "ErrorMessage", jsonout_string_or_null(r->error_message));
		trace = cJSON_AddArrayToObject(root, "StackTrace");
		for (i = 0; i < r->n_stack_trace; i++)
			cJSON_AddItemToArray(trace, cJSON_CreateString(r->stack_trace[i]));
	}
	if (out_file != NULL) {
		cJSON_AddStringToObject(root, "OutputFile", out_file);
		cJSON_AddNumberToObject(root, "PayloadBytes", (double)r->payload_len);
	} else if ((doc = cJSON_ParseWithLength(r->payload, r->payload_len)) != NULL) {
		cJSON_AddItemToObject(root, "Payload", doc);
	} else {
		/* Not JSON: a string (invalid bytes become U+FFFD in the output). */
		cJSON_AddItemToObject(root, "Payload", cJSON_CreateString(r->payload));
	}
	/* The decoded tail, NULs and all, as a string jsonout makes safe. */
	buf_init(&log, 0);
	if (r->log_tail != NULL)
		for (i = 0; i < r->log_tail_len; i++)
			buf_putc(&log, r->log_tail[i] != '\0' ? r->log_tail[i] : ' ');
	cJSON_AddItemToObject(root, "LogTail", r->log_tail != NULL ?
	    cJSON_CreateString(log.data != NULL ? log.data : "") : cJSON_CreateNull());
	buf_free(&log);
	jsonout_write(stdout, root, 1);
	cJSON_Delete(root);
}

static int
cli_invoke_list_events(struct cli_ctx *ctx, const struct local_function *lf)
{
	char **names;
	size_t n, i;

	names = invoke_payload_events(lf->dir, &n);
	if (ctx->json) {
		cJSON *root = cJSON_CreateObject();
		cJSON *list = cJSON_AddArrayToObject(root, "Events");

		cJSON_AddStringToObject(root, "Function", lf->name);
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(list, cJSON_CreateString(names[i]));
		jsonout_write(stdout, root, 1);
		cJSON_Delete(root);
	} else if (n == 0) {
		printf("no saved events: put them in %s/events/NAME.json\n", lf->dir);
	} else {
		for (i = 0; i < n; i++)
			cli_invoke_put_clean(names[i], strlen(names[i]));
	}
	invoke_payload_names_free(names, n);
	return CLI_OK;
}

int
cli_invoke_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "payload", required_argument, NULL, 'p' },
		{ "event", required_argument, NULL, 'E' },
		{ "list-events", no_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = cli_command_find("invoke");
	const char *env_name = NULL, *payload_spec = NULL, *event = NULL,
	    *out_file = NULL, *name;
	struct local_function *locals = NULL;
	const struct local_function *lf = NULL;
	struct lambda_invoke_args a;
	const struct dlc_env *env;
	struct aws_env *aenv = NULL;
	struct cli_invoke c;
	size_t n_locals = 0, payload_len = 0;
	char *payload = NULL, *from = NULL;
	int ch, list = 0, rc = CLI_INVOKE_FAILED;

	while ((ch = getopt_long(argc, argv, "e:p:o:F:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			env_name = optarg;
			break;
		case 'p':
			payload_spec = optarg;
			break;
		case 'E':
			event = optarg;
			break;
		case 'l':
			list = 1;
			break;
		case 'o':
			out_file = optarg;
			break;
		case 'F':
			if (cli_parse_output(ctx, optarg) != 0) {
				fprintf(stderr, "dlc invoke: --format takes text or json\n");
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
	if (optind + 1 != argc) {
		fprintf(stderr, "dlc invoke: name one function (%s)\n",
		    optind < argc ? "more were given" : "none was given");
		return CLI_USAGE;
	}
	if (payload_spec != NULL && event != NULL) {
		fprintf(stderr, "dlc invoke: --payload and --event both name the payload: give one\n");
		return CLI_USAGE;
	}
	name = argv[optind];
	memset(&c, 0, sizeof c);
	dlc_err_clear(&c.err);
	if (cli_setup(ctx, &c.err) != 0)
		goto out;
	if ((env = cli_find_env(ctx, env_name, &c.err)) == NULL)
		goto out;
	/* The manifests matter only for events/; a broken one is said when needed. */
	if (manifest_load_dir(ctx->cfg.functions_dir, &locals, &n_locals, &c.err) != 0) {
		if (list || event != NULL)
			goto out;
		dlc_err_clear(&c.err);
		locals = NULL;
		n_locals = 0;
	}
	lf = manifest_find(locals, n_locals, name);
	if (lf == NULL)
		lf = manifest_find_remote(locals, n_locals, env, name);
	if ((list || event != NULL) && lf == NULL) {
		dlc_err_set(&c.err, "NoLocalFunction", "'%s' is no function folder under %s",
		    name, ctx->cfg.functions_dir);
		dlc_err_fix(&c.err, "saved events live in functions/NAME/events/*.json; "
		    "name the folder, or pass --payload");
		goto out;
	}
	if (list) {
		rc = cli_invoke_list_events(ctx, lf);
		goto out;
	}
	/* The payload is read and checked before anything leaves the machine. */
	if (event != NULL) {
		if (invoke_payload_read_event(lf->dir, event, &payload, &payload_len, &c.err) != 0)
			goto out;
		from = xasprintf("event %s", event);
	} else if (payload_spec != NULL) {
		if (invoke_payload_read(payload_spec, stdin, &payload, &payload_len, &c.err) != 0)
			goto out;
		from = xstrdup(strcmp(payload_spec, "-") == 0 ? "from stdin" :
		    invoke_payload_is_inline(payload_spec) ? "inline" : payload_spec);
	}
	if ((aenv = cli_open_env(ctx, env, &c.err)) == NULL)
		goto out;
	if (cli_check_account(ctx, aenv, env, &c.err) != 0)
		goto out;
	c.function = cli_resolve_function(ctx, aenv, env, locals, n_locals, name, &c.err);
	if (c.function == NULL)
		goto out;
	if (!ctx->json) {
		struct buf b;

		/* Said before it runs: it may run 15 minutes, and may be production. */
		buf_init(&b, 0);
		buf_printf(&b, "invoke %s in %s (deploy %s), payload %s\n", c.function,
		    env->name, dlc_deploy_policy_name(env->deploy),
		    from != NULL ? from : "{}");
		cli_invoke_put_clean(b.data, b.len);
		buf_free(&b);
		fflush(stdout);
	}
	memset(&a, 0, sizeof a);
	a.function = c.function;
	a.payload = payload;
	a.payload_len = payload_len;
	c.pending = 1;
	lambda_invoke(aenv, &a, cli_invoke_done, &c);
	aws_wait(&ctx->aws, &c.pending);
	if (c.ok != 0) {
		dlc_err_what(&c.err, "invoking %s in %s", c.function, env->name);
		goto out;
	}
	if (out_file != NULL &&
	    invoke_payload_write_atomic(out_file, c.r.payload, c.r.payload_len, &c.err) != 0)
		goto out;
	if (ctx->json)
		cli_invoke_print_json(env, c.function, &c.r, out_file);
	else
		cli_invoke_print_text(&c.r, out_file);
	rc = c.r.function_error != NULL ? CLI_INVOKE_FUNCTION_ERROR : CLI_OK;
out:
	if (rc == CLI_INVOKE_FAILED && dlc_err_isset(&c.err))
		cli_error(&c.err);
	lambda_invoke_result_clear(&c.r);
	free(c.function);
	free(payload);
	free(from);
	cli_close_env(aenv);
	manifest_free_all(locals, n_locals);
	cli_teardown(ctx);
	return rc;
}
