/*
 * credential_process: run the profile's command (split shell-style, never
 * through a shell) as a child on the loop and read Version 1 JSON from its
 * stdout, as botocore's ProcessProvider does. Nothing waits for it: two
 * environments' helpers run side by side and the console keeps drawing.
 * A helper that has not finished within 60 s in all is stopped.
 */
#include "creds.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "ini.h"
#include "proc.h"
#include "proto-json.h"
#include "timeutil.h"
#include "wipe.h"
#include "xmalloc.h"

#define PROCESS_OUTPUT_LIMIT (64 * 1024)
#define PROCESS_STDERR_LIMIT 4096
#define PROCESS_TIMEOUT_MS 60000

struct creds_process_waiter {
	creds_cb			 cb;
	void				*arg;
	struct creds_process_waiter	*next;
};

struct creds_process {
	struct loop			*loop;
	char				*command;
	char				*profile;
	struct proc			*proc;		/* the helper while it runs */
	struct buf			 out;
	struct buf			 errout;
	struct creds_process_waiter	*waiters;	/* calls that wait for it */
	struct creds_provider		*self;
	int				 answering;	/* inside the waiters' callbacks */
	int				 released;	/* freed meanwhile: finish after them */
};

static void creds_process_destroy(struct creds_process *s);

static int
creds_process_parse(const char *json, struct aws_credentials *c, struct dlc_err *err)
{
	cJSON *root = cJSON_Parse(json);
	const cJSON *v;
	int rc = -1;

	memset(c, 0, sizeof *c);
	if (root == NULL || !cJSON_IsObject(root)) {
		dlc_err_set(err, "InvalidProcessOutput", "credential_process did not print a JSON object");
		goto out;
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "Version");
	if (!cJSON_IsNumber(v) || v->valuedouble != 1) {
		dlc_err_set(err, "InvalidProcessOutput", "credential_process output has no \"Version\": 1");
		goto out;
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "AccessKeyId");
	if (!cJSON_IsString(v) || *v->valuestring == '\0') {
		dlc_err_set(err, "InvalidProcessOutput", "credential_process output lacks AccessKeyId");
		goto out;
	}
	c->access_key_id = xstrdup(v->valuestring);
	v = cJSON_GetObjectItemCaseSensitive(root, "SecretAccessKey");
	if (!cJSON_IsString(v) || *v->valuestring == '\0') {
		dlc_err_set(err, "InvalidProcessOutput", "credential_process output lacks SecretAccessKey");
		goto out;
	}
	c->secret_access_key = xstrdup(v->valuestring);
	v = cJSON_GetObjectItemCaseSensitive(root, "SessionToken");
	if (cJSON_IsString(v))
		c->session_token = xstrdup(v->valuestring);
	v = cJSON_GetObjectItemCaseSensitive(root, "AccountId");
	if (cJSON_IsString(v))
		c->account_id = xstrdup(v->valuestring);
	v = cJSON_GetObjectItemCaseSensitive(root, "Expiration");
	if (cJSON_IsString(v) && timeutil_parse_iso8601(v->valuestring, &c->expiration, NULL) != 0) {
		dlc_err_set(err, "InvalidProcessOutput", "credential_process Expiration is not an ISO 8601 time");
		goto out;
	}
	c->source = "process";
	rc = 0;
out:
	if (rc != 0)
		aws_credentials_clear(c);
	proto_json_delete_wiped(root);	/* it holds the secret key */
	return rc;
}

/* Output is kept up to its ceiling; beyond that it is dropped, not the helper. */
static void
creds_process_line(struct proc *proc, int stream, const char *line, size_t len,
    int flags, void *arg)
{
	struct creds_process *s = arg;
	struct buf *b = stream == PROC_STDOUT ? &s->out : &s->errout;

	(void)proc;
	if (b == &s->errout && b->len > 0 && buf_putc(b, ' ') != 0)
		return;
	if (buf_append(b, line, len) == 0 && b == &s->out && !(flags & PROC_LINE_PARTIAL))
		buf_putc(b, '\n');
}

/* Forgets the run's output, wiping what may hold keys. */
static void
creds_process_reset(struct creds_process *s)
{
	wipe_buf_free(&s->out);
	buf_free(&s->errout);
}

/* Answers every waiting call; the provider may be freed by any of them. */
static void
creds_process_answer(struct creds_process *s, const struct aws_credentials *c,
    struct dlc_err *err)
{
	struct creds_process_waiter *w, *list = s->waiters;

	if (err != NULL) {
		dlc_err_what(err, "credentials for profile '%s'", s->profile);
		if (err->fix[0] == '\0')
			dlc_err_fix(err, "check credential_process in [profile %s]: run the command by hand to see what it prints", s->profile);
	}
	s->waiters = NULL;
	s->answering++;
	while (list != NULL) {
		w = list;
		list = w->next;
		if (!s->released)
			w->cb(c, err, w->arg);
		free(w);
	}
	if (--s->answering == 0 && s->released)
		creds_process_destroy(s);
}

static void
creds_process_done(struct proc *proc, const struct proc_result *r, void *arg)
{
	struct creds_process *s = arg;
	struct aws_credentials c;
	struct dlc_err err;
	int ok = 0;

	dlc_err_clear(&err);
	while (s->errout.len > 0 && s->errout.data[s->errout.len - 1] == ' ')
		s->errout.data[--s->errout.len] = '\0';
	if (r->timed_out)
		dlc_err_set(&err, "ProcessTimeout", "credential_process did not finish within %d s", PROCESS_TIMEOUT_MS / 1000);
	else if (r->exit_code < 0)
		dlc_err_set(&err, "ProcessFailed", "credential_process was killed by signal %d", r->signo);
	else if (r->exit_code != 0)
		dlc_err_set(&err, "ProcessFailed", "credential_process exited with status %d%s%s",
		    r->exit_code, s->errout.len > 0 ? ": " : "", s->errout.len > 0 ? s->errout.data : "");
	else
		ok = creds_process_parse(s->out.data != NULL ? s->out.data : "", &c, &err) == 0;
	proc_free(proc);
	s->proc = NULL;
	creds_process_reset(s);
	creds_process_answer(s, ok ? &c : NULL, ok ? NULL : &err);
	if (ok)
		aws_credentials_clear(&c);
}

static void
creds_process_get(struct creds_provider *p, creds_cb cb, void *arg)
{
	struct creds_process *s = p->state;
	struct creds_process_waiter *w, **tail;
	struct proc_spec spec = { .timeout_ms = PROCESS_TIMEOUT_MS,
	    .output_limit = PROCESS_OUTPUT_LIMIT + PROCESS_STDERR_LIMIT };
	struct dlc_err err;
	char **argv = NULL;
	size_t n_words = 0;

	w = xcalloc(1, sizeof *w);
	w->cb = cb;
	w->arg = arg;
	for (tail = &s->waiters; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = w;
	if (s->proc != NULL)
		return;
	dlc_err_clear(&err);
	if (ini_split_words(s->command, &argv, &n_words, &err) != 0 || n_words == 0) {
		if (!dlc_err_isset(&err))
			dlc_err_set(&err, "InvalidCommand", "credential_process is empty");
		ini_words_free(argv);
		creds_process_answer(s, NULL, &err);
		return;
	}
	buf_init(&s->out, PROCESS_OUTPUT_LIMIT);
	buf_init(&s->errout, PROCESS_STDERR_LIMIT);
	spec.argv = argv;
	s->proc = proc_spawn(s->loop, &spec, creds_process_line, creds_process_done, s, &err);
	ini_words_free(argv);
	if (s->proc == NULL) {
		creds_process_reset(s);
		creds_process_answer(s, NULL, &err);
	}
}

static void
creds_process_destroy(struct creds_process *s)
{
	struct creds_process_waiter *w;

	proc_free(s->proc);		/* no answer comes after this */
	creds_process_reset(s);
	while ((w = s->waiters) != NULL) {
		s->waiters = w->next;
		free(w);
	}
	free(s->command);
	free(s->profile);
	free(s->self);
	free(s);
}

static void
creds_process_free(struct creds_provider *p)
{
	struct creds_process *s = p->state;

	s->released = 1;
	if (s->answering == 0)
		creds_process_destroy(s);
}

struct creds_provider *
creds_process_new(struct loop *loop, const char *command, const char *profile)
{
	struct creds_provider *p = xcalloc(1, sizeof *p);
	struct creds_process *s = xcalloc(1, sizeof *s);

	s->loop = loop;
	s->command = xstrdup(command);
	s->profile = xstrdup(profile);
	p->kind = "process";
	p->get = creds_process_get;
	p->free = creds_process_free;
	p->state = s;
	s->self = p;
	return p;
}
