/*
 * credential_process: run the profile's command (split shell-style, never
 * through a shell) and read Version 1 JSON from its stdout, as botocore's
 * ProcessProvider does. The command runs to completion before the answer:
 * it is rare (once per expiry) and usually instant. A hung helper is
 * killed after 60 seconds.
 */
#include "creds.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "ini.h"
#include "timeutil.h"
#include "xmalloc.h"

#define PROCESS_OUTPUT_LIMIT (64 * 1024)
#define PROCESS_TIMEOUT_MS 60000

struct creds_process {
	char	*command;
	char	*profile;
};

/* Runs argv, collecting stdout and stderr; returns the exit status or -1. */
static int
creds_process_run(char **argv, struct buf *out, struct buf *errout, struct dlc_err *err)
{
	int po[2], pe[2], status = 0;
	pid_t pid;
	struct pollfd fds[2];
	int open_fds = 2, waited = 0;
	char chunk[4096];

	if (pipe(po) != 0 || pipe(pe) != 0)
		return dlc_err_set(err, "ProcessFailed", "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		return dlc_err_set(err, "ProcessFailed", "fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]); close(po[1]); close(pe[0]); close(pe[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	fds[0].fd = po[0];
	fds[1].fd = pe[0];
	fds[0].events = fds[1].events = POLLIN;
	while (open_fds > 0) {
		int i, rc = poll(fds, 2, PROCESS_TIMEOUT_MS - waited);

		if (rc == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			close(po[0]);
			close(pe[0]);
			return dlc_err_set(err, "ProcessTimeout", "credential_process did not finish within %d s", PROCESS_TIMEOUT_MS / 1000);
		}
		if (rc < 0 && errno == EINTR)
			continue;
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (fds[i].fd < 0 || fds[i].revents == 0)
				continue;
			n = read(fds[i].fd, chunk, sizeof chunk);
			if (n <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
				continue;
			}
			/* Beyond the ceiling the output is dropped, not the child. */
			buf_append(i == 0 ? out : errout, chunk, (size_t)n);
		}
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

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
	cJSON_Delete(root);
	return rc;
}

static void
creds_process_get(struct creds_provider *p, creds_cb cb, void *arg)
{
	struct creds_process *s = p->state;
	struct aws_credentials c;
	struct dlc_err err;
	struct buf out, errout;
	char **argv;
	size_t n_words = 0;
	int status;

	dlc_err_clear(&err);
	buf_init(&out, PROCESS_OUTPUT_LIMIT);
	buf_init(&errout, 4096);
	if (ini_split_words(s->command, &argv, &n_words, &err) != 0)
		argv = NULL;
	if (argv == NULL || n_words == 0) {
		if (!dlc_err_isset(&err))
			dlc_err_set(&err, "InvalidCommand", "credential_process is empty");
		goto fail;
	}
	status = creds_process_run(argv, &out, &errout, &err);
	if (status < 0)
		goto fail;
	if (status != 0) {
		while (errout.len > 0 && (errout.data[errout.len - 1] == '\n'))
			errout.data[--errout.len] = '\0';
		dlc_err_set(&err, "ProcessFailed", "credential_process exited with status %d%s%s",
		    status, errout.len > 0 ? ": " : "", errout.len > 0 ? errout.data : "");
		goto fail;
	}
	if (creds_process_parse(out.data != NULL ? out.data : "", &c, &err) != 0)
		goto fail;
	memset(out.data, 0, out.len);
	buf_free(&out);
	buf_free(&errout);
	ini_words_free(argv);
	cb(&c, NULL, arg);
	aws_credentials_clear(&c);
	return;
fail:
	dlc_err_what(&err, "credentials for profile '%s'", s->profile);
	if (err.fix[0] == '\0')
		dlc_err_fix(&err, "check credential_process in [profile %s]: run the command by hand to see what it prints", s->profile);
	if (out.data != NULL)
		memset(out.data, 0, out.len);
	buf_free(&out);
	buf_free(&errout);
	ini_words_free(argv);
	cb(NULL, &err, arg);
}

static void
creds_process_free(struct creds_provider *p)
{
	struct creds_process *s = p->state;

	free(s->command);
	free(s->profile);
	free(s);
	free(p);
}

struct creds_provider *
creds_process_new(const char *command, const char *profile)
{
	struct creds_provider *p = xcalloc(1, sizeof *p);
	struct creds_process *s = xcalloc(1, sizeof *s);

	s->command = xstrdup(command);
	s->profile = xstrdup(profile);
	p->kind = "process";
	p->get = creds_process_get;
	p->free = creds_process_free;
	p->state = s;
	return p;
}
