/* The machine lock: flock(LOCK_NB) retried on a timer (see machine-lock.h). */
#include "machine-lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "loop.h"
#include "statedir.h"
#include "xmalloc.h"

#define MACHINE_LOCK_MAX_FILE	4096

struct machine_lock {
	int			 fd;
	char			*path;
	struct machine_lock_info me;
	struct machine_lock_info holder;
	int			 held;
	int			 told_waiting;
	struct loop_timer	*timer;
	machine_lock_cb		 cb;
	void			*arg;
	int			 in_cb, freed;
};

void
machine_lock_info_clear(struct machine_lock_info *info)
{
	if (info == NULL)
		return;
	free(info->job);
	free(info->function);
	free(info->env);
	memset(info, 0, sizeof *info);
}

static char *
machine_lock_str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

/* Parses a lock file's text; 1 when it names a holder. */
static int
machine_lock_parse(const char *text, struct machine_lock_info *out)
{
	cJSON *o = cJSON_Parse(text);
	const cJSON *pid;
	int named;

	machine_lock_info_clear(out);
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return 0;
	}
	out->job = machine_lock_str(o, "job");
	out->function = machine_lock_str(o, "function");
	out->env = machine_lock_str(o, "env");
	pid = cJSON_GetObjectItemCaseSensitive(o, "pid");
	if (cJSON_IsNumber(pid) && pid->valuedouble > 0 &&
	    pid->valuedouble < 1e9)
		out->pid = (long)pid->valuedouble;
	named = out->job != NULL || out->pid > 0;
	cJSON_Delete(o);
	return named;
}

static int
machine_lock_read_fd(int fd, struct machine_lock_info *out)
{
	char buf[MACHINE_LOCK_MAX_FILE + 1];
	ssize_t n = pread(fd, buf, MACHINE_LOCK_MAX_FILE, 0);

	if (n <= 0) {
		machine_lock_info_clear(out);
		return 0;
	}
	buf[n] = '\0';
	return machine_lock_parse(buf, out);
}

int
machine_lock_read(const char *path, struct machine_lock_info *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	machine_lock_info_clear(out);
	if (fd < 0)
		return 0;
	rc = machine_lock_read_fd(fd, out);
	close(fd);
	return rc;
}

/* Names this process in the file; a failure only loses the display. */
static void
machine_lock_write_me(struct machine_lock *ml)
{
	cJSON *o = cJSON_CreateObject();
	char *text;
	size_t len;

	if (o == NULL)
		fatal("out of memory writing the machine lock");
	if (ml->me.job != NULL)
		cJSON_AddStringToObject(o, "job", ml->me.job);
	cJSON_AddNumberToObject(o, "pid", (double)ml->me.pid);
	if (ml->me.function != NULL)
		cJSON_AddStringToObject(o, "function", ml->me.function);
	if (ml->me.env != NULL)
		cJSON_AddStringToObject(o, "env", ml->me.env);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL)
		fatal("out of memory writing the machine lock");
	len = strlen(text);
	if (ftruncate(ml->fd, 0) == 0 &&
	    pwrite(ml->fd, text, len, 0) == (ssize_t)len)
		(void)pwrite(ml->fd, "\n", 1, (off_t)len);
	cJSON_free(text);
}

static int
machine_lock_same(const struct machine_lock_info *a,
    const struct machine_lock_info *b)
{
	return a->pid == b->pid &&
	    (a->job == NULL) == (b->job == NULL) &&
	    (a->job == NULL || strcmp(a->job, b->job) == 0);
}

static void
machine_lock_really_free(struct machine_lock *ml)
{
	if (ml->fd >= 0) {
		/* The next holder must not show us while it writes itself. */
		if (ml->held && ftruncate(ml->fd, 0) != 0)
			ml->held = 0;
		close(ml->fd);	/* releases the flock */
	}
	loop_timer_free(ml->timer);
	machine_lock_info_clear(&ml->me);
	machine_lock_info_clear(&ml->holder);
	free(ml->path);
	free(ml);
}

static void
machine_lock_emit(struct machine_lock *ml, enum machine_lock_event ev)
{
	ml->in_cb++;
	ml->cb(ml, ev, ml->arg);
	if (--ml->in_cb == 0 && ml->freed)
		machine_lock_really_free(ml);
}

static void
machine_lock_try(void *arg)
{
	struct machine_lock *ml = arg;
	struct machine_lock_info now;

	if (flock(ml->fd, LOCK_EX | LOCK_NB) == 0) {
		ml->held = 1;
		machine_lock_info_clear(&ml->holder);
		machine_lock_write_me(ml);
		machine_lock_emit(ml, MACHINE_LOCK_ACQUIRED);
		return;
	}
	loop_timer_start(ml->timer, MACHINE_LOCK_RETRY_MS);
	memset(&now, 0, sizeof now);
	(void)machine_lock_read_fd(ml->fd, &now);
	if (ml->told_waiting && machine_lock_same(&now, &ml->holder)) {
		machine_lock_info_clear(&now);
		return;
	}
	machine_lock_info_clear(&ml->holder);
	ml->holder = now;
	ml->told_waiting = 1;
	machine_lock_emit(ml, MACHINE_LOCK_WAITING);
}

static void
machine_lock_dup_info(struct machine_lock_info *dst,
    const struct machine_lock_info *src)
{
	dst->job = src->job != NULL ? xstrdup(src->job) : NULL;
	dst->function = src->function != NULL ? xstrdup(src->function) : NULL;
	dst->env = src->env != NULL ? xstrdup(src->env) : NULL;
	dst->pid = src->pid > 0 ? src->pid : (long)getpid();
}

struct machine_lock *
machine_lock_acquire(struct loop *loop, const char *path,
    const struct machine_lock_info *me, machine_lock_cb cb, void *arg,
    struct dlc_err *err)
{
	struct machine_lock *ml;
	char *p = path != NULL ? xstrdup(path) : state_dir_path("special.lock");
	int fd;

	if (state_dir_make_parents(p, err) != 0) {
		free(p);
		return NULL;
	}
	fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		dlc_err_set(err, "StateWriteFailed", "opening the machine lock "
		    "%s: %s", p, strerror(errno));
		dlc_err_fix(err, "check that HOME or XDG_STATE_HOME names a "
		    "folder you can write");
		free(p);
		return NULL;
	}
	ml = xcalloc(1, sizeof *ml);
	ml->fd = fd;
	ml->path = p;
	machine_lock_dup_info(&ml->me, me);
	ml->cb = cb;
	ml->arg = arg;
	ml->timer = loop_timer_new(loop, machine_lock_try, ml);
	loop_timer_start(ml->timer, 0);	/* the first try, from the loop */
	return ml;
}

int
machine_lock_held(const struct machine_lock *ml)
{
	return ml != NULL && ml->held;
}

const struct machine_lock_info *
machine_lock_holder(const struct machine_lock *ml)
{
	return &ml->holder;
}

void
machine_lock_waiting_text(const struct machine_lock *ml, char *buf,
    size_t len)
{
	const struct machine_lock_info *h = &ml->holder;

	if (h->job != NULL)
		snprintf(buf, len, "machine lock held by job %s (pid %ld)",
		    h->job, h->pid);
	else if (h->pid > 0)
		snprintf(buf, len, "machine lock held by pid %ld", h->pid);
	else
		snprintf(buf, len, "machine lock held by another dlc");
}

void
machine_lock_free(struct machine_lock *ml)
{
	if (ml == NULL)
		return;
	if (ml->in_cb > 0) {
		ml->freed = 1;
		return;
	}
	machine_lock_really_free(ml);
}
