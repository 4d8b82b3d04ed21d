/*
 * --no-wait: dlc started again in a session of its own, reporting the
 * jobs it queued on a pipe (cli-detach.h says why exec and not fork).
 */
#include "cli-detach.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "jsonout.h"
#include "sanitize.h"
#include "statedir.h"
#include "xmalloc.h"

int
cli_detach_parse_fd(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 3 || n > INT_MAX)
		return -1;
	return (int)n;
}

void
cli_detach_report(int fd, const char *kind, const char *id, const char *text)
{
	char line[1024];
	int len;
	ssize_t w;

	if (fd < 0)
		return;
	len = snprintf(line, sizeof line, "%s %s%s%s\n", kind, id != NULL ?
	    id : "", id != NULL ? " " : "", text);
	if (len < 0)
		return;
	if ((size_t)len >= sizeof line) {
		len = (int)sizeof line - 1;
		line[len - 1] = '\n';
	}
	/* A pipe write of under PIPE_BUF bytes is whole; the parent may be gone. */
	do
		w = write(fd, line, (size_t)len);
	while (w < 0 && errno == EINTR);
}

void
cli_detach_done(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* The child's argv: this binary, ctx's global options, args, --report-fd N. */
static char **
cli_detach_argv(struct cli_ctx *ctx, const char *command, char *const *args,
    int fd)
{
	char self[PATH_MAX], num[32];
	char **argv;
	size_t n = 0, i, cap = 16;
	ssize_t len;

	for (i = 0; args[i] != NULL; i++)
		cap++;
	argv = xcalloc(cap, sizeof *argv);
	len = readlink("/proc/self/exe", self, sizeof self - 1);
	self[len > 0 ? len : 0] = '\0';
	argv[n++] = xstrdup(len > 0 ? self : "dlc");
	if (ctx->cfg.path != NULL) {
		argv[n++] = xstrdup("--config");
		argv[n++] = xstrdup(ctx->cfg.path);
	}
	if (ctx->verbose)
		argv[n++] = xstrdup("-v");
	if (ctx->connect_timeout_ms > 0) {
		snprintf(num, sizeof num, "%ld", ctx->connect_timeout_ms / 1000);
		argv[n++] = xstrdup("--connect-timeout");
		argv[n++] = xstrdup(num);
	}
	if (ctx->read_timeout_ms > 0) {
		snprintf(num, sizeof num, "%ld", ctx->read_timeout_ms / 1000);
		argv[n++] = xstrdup("--read-timeout");
		argv[n++] = xstrdup(num);
	}
	argv[n++] = xstrdup(command);
	snprintf(num, sizeof num, "--report-fd=%d", fd);
	argv[n++] = xstrdup(num);
	for (i = 0; args[i] != NULL; i++)
		argv[n++] = xstrdup(args[i]);
	argv[n] = NULL;
	return argv;
}

static void
cli_detach_argv_free(char **argv)
{
	size_t i;

	for (i = 0; argv != NULL && argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/* The log the detached dlc writes to; its fd (not close-on-exec), or -1. */
static int
cli_detach_log(char **path, struct dlc_err *err)
{
	char rel[96];
	int fd;

	snprintf(rel, sizeof rel, "jobs/nowait-%lld-%ld.log",
	    (long long)time(NULL), (long)getpid());
	*path = state_dir_path(rel);
	if (state_dir_make_parents(*path, err) != 0)
		return -1;
	fd = open(*path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd < 0)
		dlc_err_set(err, "NoLog", "cannot open %s: %s", *path,
		    strerror(errno));
	return fd;
}

int
cli_detach_run(struct cli_ctx *ctx, const char *command, char *const *args,
    FILE *out, struct dlc_err *err)
{
	char **argv = NULL, *log_path = NULL, *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int pfd[2] = { -1, -1 }, log_fd, null_fd = -1, queued = -1, errors = 0;
	pid_t pid;
	FILE *in;
	cJSON *root = NULL, *jobs = NULL;

	if ((log_fd = cli_detach_log(&log_path, err)) < 0)
		goto out;
	null_fd = open("/dev/null", O_RDONLY);
	if (null_fd < 0 || pipe(pfd) != 0) {
		dlc_err_set(err, "NoPipe", "cannot start the detached dlc: %s",
		    strerror(errno));
		goto out;
	}
	/* The read end must not reach the child: it would never see EOF. */
	fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
	argv = cli_detach_argv(ctx, command, args, pfd[1]);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		dlc_err_set(err, "NoFork", "cannot start the detached dlc: %s",
		    strerror(errno));
		goto out;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls until exec. */
		setsid();
		signal(SIGHUP, SIG_IGN);
		dup2(null_fd, 0);
		dup2(log_fd, 1);
		dup2(log_fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	pfd[1] = -1;
	if (ctx->json) {
		root = cJSON_CreateObject();
		jobs = cJSON_AddArrayToObject(root, "Jobs");
	}
	queued = 0;
	in = fdopen(pfd[0], "r");
	pfd[0] = -1;
	while (in != NULL && (len = getline(&line, &cap, in)) > 0) {
		char *sp, *clean;

		if (line[len - 1] == '\n')
			line[--len] = '\0';
		clean = sanitize_str(line);
		if (strncmp(clean, "job ", 4) == 0) {
			queued++;
			sp = strchr(clean + 4, ' ');
			if (sp != NULL)
				*sp++ = '\0';
			if (jobs != NULL) {
				cJSON *o = cJSON_CreateObject();

				cJSON_AddStringToObject(o, "Id", clean + 4);
				cJSON_AddStringToObject(o, "Name", sp != NULL ?
				    sp : "");
				cJSON_AddItemToArray(jobs, o);
			} else {
				fprintf(out, "%s %s\n", clean + 4, sp != NULL ?
				    sp : "");
			}
		} else if (strncmp(clean, "error ", 6) == 0) {
			errors++;
			fprintf(stderr, "dlc: %s\n", clean + 6);
		}
		free(clean);
	}
	if (in != NULL)
		fclose(in);
	if (root != NULL) {
		cJSON_AddNumberToObject(root, "Pid", (double)pid);
		cJSON_AddStringToObject(root, "Log", log_path);
		jsonout_write(out, root, 1);
	}
	fflush(out);
	if (queued > 0) {
		fprintf(stderr, "dlc: %d job%s queued, run by dlc process %ld "
		    "(log: %s); 'dlc queue' shows them\n", queued, queued == 1 ?
		    "" : "s", (long)pid, log_path);
	} else {
		dlc_err_set(err, "NothingQueued", "the detached dlc (process "
		    "%ld) queued no job%s", (long)pid, errors > 0 ?
		    " (its errors are above)" : "");
		dlc_err_fix(err, "its log says why: %s", log_path);
		queued = -1;
	}
out:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	if (null_fd >= 0)
		close(null_fd);
	if (log_fd >= 0)
		close(log_fd);
	cJSON_Delete(root);
	cli_detach_argv_free(argv);
	free(line);
	free(log_path);
	return queued;
}
