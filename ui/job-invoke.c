/*
 * i: invoke the selected function once (lambda-invoke.h, LogType Tail)
 * with a payload picked from its folder's events/NAME.json ({} when there
 * are none), and show the status, the function error, the response
 * (pretty JSON when it is JSON) and the decoded log tail in the output
 * view. All of it is the function's own output: drawn sanitised.
 */
#include "ui.h"
#include "jobs.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws.h"
#include "buf.h"
#include "invoke-payload.h"
#include "jsonout.h"
#include "lambda-invoke.h"
#include "xmalloc.h"

/* cJSON indents with tabs: two spaces per level and one after a colon, so the view does not depend on tab stops. */
static void
job_invoke_json_lines(struct ui_job *j, const char *text)
{
	struct buf b;
	int lead = 1;

	buf_init(&b, 0);
	for (; *text != '\0'; text++) {
		if (*text == '\n')
			lead = 1;
		else if (*text != '\t')
			lead = 0;
		if (*text == '\t')
			buf_puts(&b, lead ? "  " : " ");
		else
			buf_putc(&b, *text);
	}
	jobs_line(j, ROLE_NORMAL, b.data != NULL ? b.data : "", b.len);
	buf_free(&b);
}

static void
job_invoke_got(struct aws_reply *reply, struct lambda_invoke_result *r, void *arg)
{
	struct ui_job *j = arg;
	char brief[64];
	cJSON *doc;
	size_t i;

	j->call = NULL;
	if (reply->ok != 0 || r == NULL) {
		jobs_line(j, ROLE_ERROR, reply->err.message, strlen(reply->err.message));
		jobs_finish(j, 0, reply->err.code, "invoke %s in %s failed: %s", j->remote, j->env, reply->err.code);
		ui_error(j->ui, &reply->err);
		return;
	}
	jobs_linef(j, ROLE_NORMAL, "status %ld, version %s", r->status,
	    r->executed_version != NULL ? r->executed_version : "-");
	if (r->function_error != NULL) {
		jobs_linef(j, ROLE_ERROR, "function error: %s", r->function_error);
		if (r->error_type != NULL || r->error_message != NULL)
			jobs_linef(j, ROLE_ERROR, "%s: %s", r->error_type != NULL ? r->error_type : "-",
			    r->error_message != NULL ? r->error_message : "");
		for (i = 0; i < r->n_stack_trace; i++)
			jobs_line(j, ROLE_WARN, r->stack_trace[i], strlen(r->stack_trace[i]));
	}
	jobs_line(j, ROLE_TITLE, "-- response", 11);
	if (r->payload != NULL && (doc = cJSON_ParseWithLength(r->payload, r->payload_len)) != NULL) {
		char *text = jsonout_print(doc, 1);

		job_invoke_json_lines(j, text);
		free(text);
		cJSON_Delete(doc);
	} else if (r->payload != NULL) {
		jobs_line(j, ROLE_NORMAL, r->payload, r->payload_len);
	}
	if (r->log_tail_bad)
		jobs_line(j, ROLE_WARN, "-- log tail: not base64, not shown", 34);
	else if (r->log_tail != NULL) {
		jobs_line(j, ROLE_TITLE, "-- log tail", 11);
		jobs_line(j, ROLE_DIM, r->log_tail, r->log_tail_len);
	}
	snprintf(brief, sizeof brief, "status %ld", r->status);
	if (r->function_error != NULL)
		jobs_finish(j, 0, "function error", "invoke %s in %s: function error %s", j->remote, j->env,
		    r->function_error);
	else
		jobs_finish(j, 1, brief, "invoke %s in %s: status %ld", j->remote, j->env, r->status);
}

/* Starts the invoke with payload (owned here) from what (an event's name, "{}"). */
static void
job_invoke_start(struct ui *ui, size_t env, struct model_function *mf, char *payload,
    size_t len, const char *what)
{
	struct model_env *me = model_env_at(ui->model, env);
	struct lambda_invoke_args a;
	struct ui_job *j;

	j = jobs_new(ui, UI_JOB_INVOKE, env, mf->local != NULL ? mf->local->name :
	    mf->fn.function_name, mf->fn.function_name);
	/* Invoking is not a deploy: the policy is named, not applied (as dlc invoke). */
	jobs_linef(j, ROLE_TITLE, "invoke %s in %s (deploy = %s) with %s", mf->fn.function_name,
	    me->conf->name, dlc_deploy_policy_name(me->conf->deploy), what);
	snprintf(j->progress, sizeof j->progress, "running");
	memset(&a, 0, sizeof a);
	a.function = mf->fn.function_name;
	a.payload = payload;
	a.payload_len = len;
	j->call = lambda_invoke(me->aenv, &a, job_invoke_got, j);
	free(payload);
	jobs_show(ui, j);
}

void
job_invoke_ask(struct ui *ui, size_t env, const char *id)
{
	struct model_function *mf = jobs_target(ui, env, id, JOBS_NEED_AWS);
	char label[256], **names;
	size_t n = 0, i, off;

	if (mf == NULL)
		return;
	names = mf->local != NULL ? invoke_payload_events(mf->local->dir, &n) : NULL;
	if (n == 0) {
		invoke_payload_names_free(names, n);
		job_invoke_start(ui, env, mf, xstrdup("{}"), 2, "{} (no events/*.json)");
		return;
	}
	snprintf(ui->pending, sizeof ui->pending, "%s", mf->fn.function_name);
	off = (size_t)snprintf(label, sizeof label, "invoke %.60s in %.30s with (", mf->fn.function_name,
	    model_env_at(ui->model, env)->conf->name);
	for (i = 0; i < n && off < sizeof label; i++)
		off += (size_t)snprintf(label + off, sizeof label - off, "%s%s", i > 0 ? " " : "", names[i]);
	if (off < sizeof label)
		snprintf(label + off, sizeof label - off, " | {}): ");
	ui_prompt_open(ui, "invoke", label, names[0]);
	invoke_payload_names_free(names, n);
}

void
job_invoke_answer(struct ui *ui, size_t env, const char *text)
{
	struct model_function *mf = jobs_target(ui, env, ui->pending, JOBS_NEED_AWS);
	struct dlc_err err;
	char *payload = NULL, what[300];
	size_t len = 0;
	int rc;

	if (mf == NULL)
		return;
	dlc_err_clear(&err);
	text += strspn(text, " ");
	if (*text == '\0') {
		payload = xstrdup("{}");
		len = 2;
		rc = 0;
		snprintf(what, sizeof what, "{}");
	} else if (*text == '{' || *text == '[' || *text == '"') {
		/* JSON typed at the prompt, checked before anything is sent. */
		rc = invoke_payload_check(text, strlen(text), "the payload typed", &err);
		if (rc == 0) {
			payload = xstrdup(text);
			len = strlen(text);
		}
		snprintf(what, sizeof what, "the payload typed");
	} else if (mf->local == NULL) {
		dlc_err_set(&err, "NoEvents", "%s has no folder under functions/, so no saved events",
		    mf->fn.function_name);
		rc = -1;
	} else {
		rc = invoke_payload_read_event(mf->local->dir, text, &payload, &len, &err);
		snprintf(what, sizeof what, "events/%.200s.json", text);
	}
	if (rc != 0) {
		ui_error(ui, &err);
		return;
	}
	job_invoke_start(ui, env, mf, payload, len, what);
}
