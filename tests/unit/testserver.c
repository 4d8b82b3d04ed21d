/* Starting and stopping the Python servers the network unit tests use. */
#include "testserver.h"
#include "awsconfig.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>

extern char **environ;

int
testserver_start(struct testserver *ts, const char *script,
    const char *const *args)
{
	const char *py = getenv("PYTHON3"), *src = getenv("DLC_SRCDIR");
	struct timespec ts20 = { 0, 20 * 1000000L };
	char path[1024], log[128], line[32];
	const char *argv[32];
	size_t n = 0, i;
	FILE *f;
	int p[2];

	memset(ts, 0, sizeof *ts);
	ts->pid = -1;
	ts->stdin_fd = -1;
	if (py == NULL || *py == '\0')
		py = "python3";
	snprintf(path, sizeof path, "%s/%s", src != NULL ? src : ".", script);
	snprintf(ts->dir, sizeof ts->dir, "/tmp/dlc-testserver.XXXXXX");
	if (mkdtemp(ts->dir) == NULL)
		return -1;
	snprintf(ts->port_file, sizeof ts->port_file, "%s/port", ts->dir);
	snprintf(log, sizeof log, "%s/server.log", ts->dir);
	argv[n++] = py;
	argv[n++] = path;
	for (i = 0; args != NULL && args[i] != NULL && n < 30; i++)
		argv[n++] = strcmp(args[i], "@PORTFILE@") == 0 ? ts->port_file : args[i];
	argv[n] = NULL;
	if (pipe(p) != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	ts->pid = fork();
	if (ts->pid < 0)
		return -1;
	if (ts->pid == 0) {
		/* Its stdin is our pipe: when this process dies, the server may exit. */
		dup2(p[0], 0);
		close(p[0]);
		close(p[1]);
		if (freopen(log, "w", stdout) == NULL || freopen(log, "a", stderr) == NULL)
			_exit(126);
		execvp(py, (char *const *)argv);
		_exit(127);
	}
	close(p[0]);
	ts->stdin_fd = p[1];
	fcntl(ts->stdin_fd, F_SETFD, FD_CLOEXEC);
	for (i = 0; i < 500; i++) {
		f = fopen(ts->port_file, "r");
		if (f != NULL) {
			if (fgets(line, sizeof line, f) != NULL)
				ts->port = (int)strtol(line, NULL, 10);
			fclose(f);
			break;
		}
		/* A server that died (a bad argument, no python3) says so at once. */
		if (waitpid(ts->pid, NULL, WNOHANG) == ts->pid) {
			ts->pid = -1;
			break;
		}
		nanosleep(&ts20, NULL);
	}
	if (ts->port <= 0) {
		fprintf(stderr, "test server did not start (%s %s, log in %s)\n", py, path, log);
		return -1;
	}
	snprintf(ts->url, sizeof ts->url, "http://127.0.0.1:%d", ts->port);
	return 0;
}

void
testserver_stop(struct testserver *ts)
{
	if (ts->pid > 0) {
		kill(ts->pid, SIGTERM);
		waitpid(ts->pid, NULL, 0);
		ts->pid = -1;
	}
	if (ts->stdin_fd >= 0)
		close(ts->stdin_fd);
	ts->stdin_fd = -1;
	if (ts->dir[0] == '\0')
		return;
	testserver_rmtree(ts->dir);
	ts->dir[0] = '\0';
}

void
testserver_rmtree(const char *dir)
{
	pid_t pid = fork();

	if (pid == 0) {
		execlp("rm", "rm", "-rf", dir, (char *)NULL);
		_exit(1);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

struct aws_config *
testserver_aws_config(const struct testserver *ts, const char *profile)
{
	struct dlc_err err;
	char path[256];

	snprintf(path, sizeof path, "%s/config", ts->dir);
	unlink(path);
	if (testserver_config_add(ts, path, profile, NULL) != 0)
		return NULL;
	dlc_err_clear(&err);
	return aws_config_load(path, "/nonexistent", &err);
}

int
testserver_config_add(const struct testserver *ts, const char *path,
    const char *profile, const char *extra)
{
	FILE *f = fopen(path, "a");

	if (f == NULL)
		return -1;
	fprintf(f, "[profile %s]\nregion = eu-west-1\nendpoint_url = %s\n%s\n",
	    profile, ts->url, extra != NULL ? extra : "");
	return fclose(f) == 0 ? 0 : -1;
}

int
testserver_seed_key(const char *env, char *akid, char *secret, size_t len)
{
	const char *src = getenv("DLC_SRCDIR");
	const cJSON *acct, *key = NULL, *id, *sk;
	char path[1024], *text;
	cJSON *root;

	snprintf(path, sizeof path, "%s/tests/fakeaws/seed/accounts.json",
	    src != NULL ? src : ".");
	if ((text = testserver_read_file(path)) == NULL)
		return -1;
	root = cJSON_Parse(text);
	free(text);
	cJSON_ArrayForEach(acct, cJSON_GetObjectItem(root, "accounts")) {
		const cJSON *e = cJSON_GetObjectItem(acct, "environment");

		if (env == NULL || (cJSON_IsString(e) && strcmp(e->valuestring, env) == 0)) {
			key = cJSON_GetArrayItem(cJSON_GetObjectItem(acct, "keys"), 0);
			break;
		}
	}
	id = cJSON_GetObjectItem(key, "access_key_id");
	sk = cJSON_GetObjectItem(key, "secret_access_key");
	if (!cJSON_IsString(id) || !cJSON_IsString(sk)) {
		cJSON_Delete(root);
		return -1;
	}
	snprintf(akid, len, "%s", id->valuestring);
	snprintf(secret, len, "%s", sk->valuestring);
	cJSON_Delete(root);
	return 0;
}

void
testserver_clear_aws_env(void)
{
	char **e, *name;

	/* Unsetting changes environ: start again from the top after each. */
	for (e = environ; *e != NULL; ) {
		if (strncmp(*e, "AWS_", 4) == 0) {
			name = strndup(*e, strcspn(*e, "="));
			if (name == NULL)
				return;
			unsetenv(name);
			free(name);
			e = environ;
		} else
			e++;
	}
}

char *
testserver_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	data = calloc(1, (size_t)n + 1);
	if (data != NULL && fread(data, 1, (size_t)n, f) != (size_t)n) {
		free(data);
		data = NULL;
	}
	fclose(f);
	return data;
}

void
test_progress_note(struct test_progress *p, uint64_t sent, uint64_t total)
{
	if (sent < p->last)
		p->restarts++;
	else if (sent == p->last || sent > total)
		p->stalls++;
	p->last = sent;
	p->total = total;
	p->calls++;
}
