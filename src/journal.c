/*
 * The journal (see journal.h). The loop thread writes each line at once
 * (one write() on an O_APPEND fd: the page cache takes it without waiting
 * on the disk) and hands an entry to the worker thread, which fdatasyncs
 * the files of every entry it has been given (one sync covers a batch)
 * and moves them to the finished list; a byte on a pipe wakes the loop,
 * which calls the done callbacks in order. A file stays open while an
 * entry still refers to it, so the worker never syncs a closed fd.
 */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "redact.h"
#include "sanitize.h"
#include "statedir.h"
#include "whoami.h"
#include "xmalloc.h"

struct journal_file {
	int	 fd;
	int64_t	 day;		/* days since the epoch (UTC) */
	int	 refs;		/* the journal's current file, and entries */
	int	 created;	/* made by us: the worker syncs its folder once */
	char	*path;
};

struct journal_entry {
	struct journal_file	*file;
	int			 sync;		/* 0: progress, or the write failed */
	int			 sync_errno;	/* set by the worker */
	struct dlc_err		 err;		/* a write failure, set before queueing */
	journal_done_cb		 done;
	void			*arg;
	struct journal_entry	*next;
};

struct journal {
	struct loop		*loop;
	struct journal_file	*cur;
	char			*host;
	char			*user;
	long long		 pstart;
	int			 pipe_r, pipe_w;
	struct loop_fd		*wake;
	size_t			 pending;
	journal_each_cb		 observer;
	void			*observer_arg;
	struct dlc_err		 error;
	int			 has_error;

	/* Shared with the worker, under mu. */
	pthread_t		 worker;
	int			 worker_started;
	pthread_mutex_t		 mu;
	pthread_cond_t		 work;
	struct journal_entry	*todo, *todo_tail;	/* to sync */
	struct journal_entry	*fin, *fin_tail;	/* synced, for the loop */
	int			 stop;
};

static int64_t journal_test_now_ms;

void
journal_set_now_for_tests(int64_t ms)
{
	journal_test_now_ms = ms;
}

int64_t
journal_now_ms(void)
{
	struct timespec ts;

	if (journal_test_now_ms != 0)
		return journal_test_now_ms;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
journal_day_of(int64_t ms)
{
	int64_t d = ms / 86400000;

	return ms < 0 && ms % 86400000 != 0 ? d - 1 : d;
}

static char *
journal_path_of_day(int64_t day)
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;
	char rel[64];

	gmtime_r(&t, &tm);
	snprintf(rel, sizeof(rel), "journal/%04d-%02d-%02d.jsonl",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return state_dir_path(rel);
}

char *
journal_day_path(int64_t t)
{
	return journal_path_of_day(journal_day_of(t * 1000));
}

long long
journal_pid_start(pid_t pid)
{
	char path[64], buf[1024], *p, *end;
	ssize_t n;
	int fd, field;
	long long v;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The command name is in parentheses and may hold spaces: skip past the last ')'. */
	p = strrchr(buf, ')');
	if (p == NULL)
		return -1;
	p++;
	/*
	 * A zombie (Z) or dead (X) process is gone: killed, it stays a zombie
	 * until its parent reaps it, and an orphan's parent (a container's
	 * pid 1) may never do so.
	 */
	while (*p == ' ')
		p++;
	if (*p == 'Z' || *p == 'X')
		return -1;
	/* After ')' come field 3 (state) .. field 22 (starttime). */
	for (field = 3; field < 22; field++) {
		while (*p == ' ')
			p++;
		while (*p != ' ' && *p != '\0')
			p++;
		if (*p == '\0')
			return -1;
	}
	errno = 0;
	v = strtoll(p, &end, 10);
	if (errno != 0 || end == p || v < 0)
		return -1;
	return v;
}

void
journal_new_id(char out[JOURNAL_ID_LEN + 1])
{
	unsigned char r[JOURNAL_ID_LEN / 2];
	size_t i;

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		/* Early boot without entropy: time and pid still make a collision unlikely. */
		uint64_t x = (uint64_t)journal_now_ms() * 2654435761u ^ (uint64_t)getpid();

		for (i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)(x >> (8 * i));
	}
	for (i = 0; i < sizeof(r); i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
	out[JOURNAL_ID_LEN] = '\0';
}

/* ---- the worker ---- */

static void
journal_sync_dir(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd;

	if (slash != NULL)
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

static void *
journal_worker(void *arg)
{
	struct journal *j = arg;
	struct journal_entry *batch, *e, *f, *tail;
	int e_no;

	pthread_mutex_lock(&j->mu);
	for (;;) {
		while (j->todo == NULL && !j->stop)
			pthread_cond_wait(&j->work, &j->mu);
		if (j->todo == NULL)
			break;
		batch = j->todo;
		j->todo = j->todo_tail = NULL;
		pthread_mutex_unlock(&j->mu);

		/* One sync per file covers every line of the batch written to it. */
		for (e = batch; e != NULL; e = e->next) {
			if (!e->sync)
				continue;
			for (f = batch; f != e; f = f->next)
				if (f->sync && f->file == e->file)
					break;
			if (f != e) {
				e->sync_errno = f->sync_errno;
				continue;
			}
			e_no = 0;
			if (e->file->created) {
				e->file->created = 0;
				journal_sync_dir(e->file->path);
			}
			while (fdatasync(e->file->fd) != 0) {
				if (errno != EINTR) {
					e_no = errno;
					break;
				}
			}
			e->sync_errno = e_no;
		}

		pthread_mutex_lock(&j->mu);
		for (tail = batch; tail->next != NULL; tail = tail->next)
			;
		if (j->fin_tail != NULL)
			j->fin_tail->next = batch;
		else
			j->fin = batch;
		j->fin_tail = tail;
		/* A full pipe already has the loop's attention. */
		(void)write(j->pipe_w, "x", 1);
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

/* ---- the loop side ---- */

static void
journal_file_unref(struct journal_file *f)
{
	if (f == NULL || --f->refs > 0)
		return;
	if (f->fd >= 0)
		close(f->fd);
	free(f->path);
	free(f);
}

static void
journal_set_error(struct journal *j, const struct dlc_err *err)
{
	j->error = *err;
	j->has_error = 1;
}

static void
journal_wake(int fd, int events, void *arg)
{
	struct journal *j = arg;
	struct journal_entry *list, *e;
	char drain[64];

	(void)events;
	while (read(fd, drain, sizeof(drain)) > 0)
		;
	pthread_mutex_lock(&j->mu);
	list = j->fin;
	j->fin = j->fin_tail = NULL;
	pthread_mutex_unlock(&j->mu);
	while ((e = list) != NULL) {
		list = e->next;
		if (e->sync && e->sync_errno != 0) {
			dlc_err_set(&e->err, "JournalSyncFailed",
			    "syncing %s: %s", e->file->path,
			    strerror(e->sync_errno));
			dlc_err_fix(&e->err, "check the disk under the "
			    "state folder (space, errors)");
			journal_set_error(j, &e->err);
		}
		j->pending--;
		if (e->done != NULL)
			e->done(dlc_err_isset(&e->err) ? &e->err : NULL, e->arg);
		journal_file_unref(e->file);
		free(e);
	}
}

struct journal *
journal_open(struct loop *loop, struct dlc_err *err)
{
	struct journal *j = xcalloc(1, sizeof(*j));
	int fds[2];

	j->loop = loop;
	j->pipe_r = j->pipe_w = -1;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->work, NULL);
	j->host = whoami_host();
	j->user = whoami_user();
	j->pstart = journal_pid_start(getpid());
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
		dlc_err_set(err, "JournalOpenFailed", "making a pipe: %s",
		    strerror(errno));
		goto fail;
	}
	j->pipe_r = fds[0];
	j->pipe_w = fds[1];
	j->wake = loop_fd_new(loop, j->pipe_r, LOOP_READ, journal_wake, j);
	if (pthread_create(&j->worker, NULL, journal_worker, j) != 0) {
		dlc_err_set(err, "JournalOpenFailed", "starting the journal's "
		    "sync thread: %s", strerror(errno));
		goto fail;
	}
	j->worker_started = 1;
	return j;
fail:
	dlc_err_fix(err, "free some processes or memory and start dlc again");
	journal_free(j);
	return NULL;
}

static void
journal_free_list(struct journal_entry *e)
{
	struct journal_entry *next;

	for (; e != NULL; e = next) {
		next = e->next;
		journal_file_unref(e->file);
		free(e);
	}
}

void
journal_free(struct journal *j)
{
	if (j == NULL)
		return;
	if (j->worker_started) {
		pthread_mutex_lock(&j->mu);
		j->stop = 1;
		pthread_cond_signal(&j->work);
		pthread_mutex_unlock(&j->mu);
		/* Teardown only: at most the sync in progress. */
		pthread_join(j->worker, NULL);
	}
	journal_free_list(j->todo);
	journal_free_list(j->fin);
	journal_file_unref(j->cur);
	loop_fd_free(j->wake);
	if (j->pipe_r >= 0)
		close(j->pipe_r);
	if (j->pipe_w >= 0)
		close(j->pipe_w);
	pthread_mutex_destroy(&j->mu);
	pthread_cond_destroy(&j->work);
	free(j->host);
	free(j->user);
	free(j);
}

void
journal_set_observer(struct journal *j, journal_each_cb cb, void *arg)
{
	j->observer = cb;
	j->observer_arg = arg;
}

const char *
journal_host(const struct journal *j)
{
	return j->host;
}

const struct dlc_err *
journal_error(const struct journal *j)
{
	return j->has_error ? &j->error : NULL;
}

size_t
journal_pending(const struct journal *j)
{
	return j->pending;
}

/*
 * A kill mid-write leaves a line without its newline; the next line
 * appended would be glued to it. Ending it first keeps the next record
 * whole (a reader also resynchronises, should two writers race here).
 */
static void
journal_end_torn_line(int fd)
{
	struct stat st;
	char last;

	if (fstat(fd, &st) != 0 || st.st_size == 0)
		return;
	if (pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
		(void)write(fd, "\n", 1);
}

static struct journal_file *
journal_file_open(int64_t day, struct dlc_err *err)
{
	struct journal_file *f;
	char *path = journal_path_of_day(day);
	int fd, created = 0;

	if (state_dir_make_parents(path, err) != 0) {
		free(path);
		return NULL;
	}
	fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		created = fd >= 0;
	}
	if (fd < 0) {
		dlc_err_set(err, "JournalWriteFailed", "opening %s: %s", path,
		    strerror(errno));
		dlc_err_fix(err, "check that the state folder is yours and "
		    "writable (XDG_STATE_HOME)");
		free(path);
		return NULL;
	}
	journal_end_torn_line(fd);
	f = xcalloc(1, sizeof(*f));
	f->fd = fd;
	f->day = day;
	f->refs = 1;
	f->created = created;
	f->path = path;
	return f;
}

/* Every string: secrets redacted, then made inert for any terminal. */
static void
journal_clean(cJSON *item)
{
	cJSON *c;
	char *tmp, *clean;
	size_t len;

	for (c = item->child; c != NULL; c = c->next) {
		if (cJSON_IsString(c) && c->valuestring != NULL) {
			len = strlen(c->valuestring);
			tmp = xmalloc(2 * len + 64);
			snprintf(tmp, 2 * len + 64, "%s", c->valuestring);
			redact_message(tmp, 2 * len + 64);
			clean = sanitize_str(tmp);
			free(tmp);
			if (strcmp(clean, c->valuestring) != 0) {
				free(c->valuestring);
				c->valuestring = clean;
			} else
				free(clean);
		} else if (cJSON_IsObject(c) || cJSON_IsArray(c))
			journal_clean(c);
	}
}

static int
journal_is_stamp_key(const char *k)
{
	return k != NULL && (strcmp(k, "t") == 0 || strcmp(k, "host") == 0 ||
	    strcmp(k, "user") == 0 || strcmp(k, "pid") == 0 ||
	    strcmp(k, "pstart") == 0);
}

/* "t" first: a reader resynchronises on '{"t":"' after a torn line. */
static cJSON *
journal_stamp(struct journal *j, cJSON *rec, int64_t now)
{
	cJSON *out = cJSON_CreateObject(), *c;
	time_t sec = (time_t)(now / 1000);
	struct tm tm;
	char t[96];

	gmtime_r(&sec, &tm);
	snprintf(t, sizeof(t), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(now % 1000));
	cJSON_AddStringToObject(out, "t", t);
	cJSON_AddStringToObject(out, "host", j->host);
	cJSON_AddStringToObject(out, "user", j->user);
	cJSON_AddNumberToObject(out, "pid", (double)getpid());
	cJSON_AddNumberToObject(out, "pstart", (double)j->pstart);
	while (rec != NULL && (c = rec->child) != NULL) {
		cJSON_DetachItemViaPointer(rec, c);
		if (journal_is_stamp_key(c->string))
			cJSON_Delete(c);
		else
			cJSON_AddItemToObject(out, c->string, c);
	}
	cJSON_Delete(rec);
	journal_clean(out);
	return out;
}

static int
journal_write_line(struct journal *j, int64_t now, const char *line,
    size_t len, struct dlc_err *err)
{
	int64_t day = journal_day_of(now);
	struct journal_file *f;
	ssize_t n;

	if (j->cur == NULL || j->cur->day != day) {
		f = journal_file_open(day, err);
		if (f == NULL)
			return -1;
		journal_file_unref(j->cur);
		j->cur = f;
	}
	/* One write: O_APPEND makes it land whole after every other writer's. */
	do
		n = write(j->cur->fd, line, len);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)len)
		return 0;
	dlc_err_set(err, "JournalWriteFailed", "appending to %s: %s",
	    j->cur->path, n < 0 ? strerror(errno) : "short write (disk full?)");
	dlc_err_fix(err, "free space under the state folder; the journal "
	    "skips the torn line when read");
	return -1;
}

int
journal_append(struct journal *j, cJSON *rec, journal_done_cb done, void *arg)
{
	struct journal_entry *e = xcalloc(1, sizeof(*e));
	int64_t now = journal_now_ms();
	const cJSON *ev;
	cJSON *out;
	char *text;
	size_t len;
	int rc = 0;

	e->done = done;
	e->arg = arg;
	ev = cJSON_GetObjectItemCaseSensitive(rec, "ev");
	e->sync = !(cJSON_IsString(ev) && strcmp(ev->valuestring, "progress") == 0);
	out = journal_stamp(j, rec, now);
	text = cJSON_PrintUnformatted(out);
	if (text == NULL)
		fatal("out of memory printing a journal record");
	len = strlen(text);
	if (len + 1 > JOURNAL_LINE_MAX) {
		dlc_err_set(&e->err, "JournalRecordTooLong", "a journal record "
		    "of %zu bytes (at most %d)", len, JOURNAL_LINE_MAX);
		rc = -1;
	} else {
		text = xrealloc(text, len + 2);
		text[len] = '\n';
		text[len + 1] = '\0';
		rc = journal_write_line(j, now, text, len + 1, &e->err);
	}
	free(text);
	if (rc == 0 && j->observer != NULL)
		j->observer(out, j->observer_arg);
	cJSON_Delete(out);
	if (rc != 0) {
		journal_set_error(j, &e->err);
		e->sync = 0;
	}
	if (j->cur != NULL) {
		e->file = j->cur;
		j->cur->refs++;
	} else {
		/* Nothing was ever opened: a file the worker never touches. */
		e->file = xcalloc(1, sizeof(*e->file));
		e->file->fd = -1;
		e->file->refs = 1;
	}
	j->pending++;
	pthread_mutex_lock(&j->mu);
	if (j->todo_tail != NULL)
		j->todo_tail->next = e;
	else
		j->todo = e;
	j->todo_tail = e;
	pthread_cond_signal(&j->work);
	pthread_mutex_unlock(&j->mu);
	return rc;
}
