/*
 * A function folder's commit (see git-head.h): two git children one after
 * the other, their output read through the loop.
 */
#include "git-head.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loop.h"
#include "proc.h"
#include "xmalloc.h"

extern char **environ;

#define GIT_HEAD_TIMEOUT_MS	10000

struct git_head {
	struct loop	*loop;
	char		*dir;
	char		**env;
	git_head_cb	 cb;
	void		*arg;
	struct proc	*proc;
	int		 stage;		/* 0: rev-parse, 1: status */
	char		 commit[64];
	int		 dirty;
	int		 bad;		/* unexpected output: no answer */
};

static void	git_head_line(struct proc *p, int stream, const char *line,
		    size_t len, int flags, void *arg);
static void	git_head_done(struct proc *p, const struct proc_result *r,
		    void *arg);

/*
 * dlc's environment, with git's optional locks off: a status that
 * refreshes the index takes index.lock, and two dlcs (or the user's own
 * git) must not trip over each other for a read.
 */
static char **
git_head_env(void)
{
	size_t n = 0, i, k = 0;
	char **env;

	while (environ[n] != NULL)
		n++;
	env = xcalloc(n + 2, sizeof(*env));
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "GIT_OPTIONAL_LOCKS=", 19) != 0)
			env[k++] = xstrdup(environ[i]);
	env[k] = xstrdup("GIT_OPTIONAL_LOCKS=0");
	return env;
}

static int
git_head_spawn(struct git_head *g, struct dlc_err *err)
{
	char *rev[] = { "git", "-C", g->dir, "rev-parse", "--short", "HEAD", NULL };
	char *status[] = { "git", "-C", g->dir, "status", "--porcelain", "--", ".", NULL };
	struct proc_spec spec;

	memset(&spec, 0, sizeof(spec));
	spec.argv = g->stage == 0 ? rev : status;
	spec.env = g->env;
	spec.timeout_ms = GIT_HEAD_TIMEOUT_MS;
	spec.output_limit = 1024 * 1024;
	g->proc = proc_spawn(g->loop, &spec, git_head_line, git_head_done, g, err);
	return g->proc != NULL ? 0 : -1;
}

static void
git_head_line(struct proc *p, int stream, const char *line, size_t len,
    int flags, void *arg)
{
	struct git_head *g = arg;
	size_t i;

	(void)p;
	(void)flags;
	if (stream != PROC_STDOUT)
		return;
	if (g->stage == 1) {
		if (len > 0)
			g->dirty = 1;
		return;
	}
	/* An abbreviated hash and nothing else, or no answer at all. */
	if (g->commit[0] != '\0' || len < 4 || len >= sizeof(g->commit)) {
		g->bad = 1;
		return;
	}
	for (i = 0; i < len; i++)
		if (strchr("0123456789abcdef", line[i]) == NULL || line[i] == '\0') {
			g->bad = 1;
			return;
		}
	memcpy(g->commit, line, len);
	g->commit[len] = '\0';
}

static void
git_head_finish(struct git_head *g, const char *commit)
{
	git_head_cb cb = g->cb;

	g->cb = NULL;
	/* Last: the caller may free g in cb. */
	if (cb != NULL)
		cb(commit, g->arg);
}

static void
git_head_done(struct proc *p, const struct proc_result *r, void *arg)
{
	struct git_head *g = arg;
	struct dlc_err err;
	char answer[80];
	int failed = r->exit_code != 0 || g->bad || g->commit[0] == '\0';

	proc_free(p);
	g->proc = NULL;
	if (failed) {
		git_head_finish(g, NULL);
		return;
	}
	if (g->stage == 0) {
		g->stage = 1;
		dlc_err_clear(&err);
		if (git_head_spawn(g, &err) != 0)
			git_head_finish(g, NULL);
		return;
	}
	snprintf(answer, sizeof(answer), "%s%s", g->commit,
	    g->dirty ? "+dirty" : "");
	git_head_finish(g, answer);
}

struct git_head *
git_head_start(struct loop *loop, const char *dir, git_head_cb cb, void *arg,
    struct dlc_err *err)
{
	struct git_head *g = xcalloc(1, sizeof(*g));

	g->loop = loop;
	g->dir = xstrdup(dir);
	g->env = git_head_env();
	g->cb = cb;
	g->arg = arg;
	if (git_head_spawn(g, err) != 0) {
		git_head_free(g);
		return NULL;
	}
	return g;
}

void
git_head_free(struct git_head *g)
{
	size_t i;

	if (g == NULL)
		return;
	proc_free(g->proc);
	for (i = 0; g->env[i] != NULL; i++)
		free(g->env[i]);
	free(g->env);
	free(g->dir);
	free(g);
}
