/*
 * Following the journal (see journal.h): every 250 ms, read what was
 * appended to yesterday's and today's files since the offsets reached so
 * far. Yesterday's stays watched after midnight, because a writer whose
 * clock is a little behind, or that stamped a record just before the day
 * changed, still appends there. Bytes after the last newline are kept
 * until the rest of their line arrives.
 */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "loop.h"
#include "xmalloc.h"

#define JOURNAL_FOLLOW_TICK_MS	250
/* Read at most this much per file per tick, so a huge backlog cannot stall the loop. */
#define JOURNAL_FOLLOW_CHUNK	(4 * 1024 * 1024)

struct journal_follow_file {
	int64_t		day;
	off_t		off;
	struct buf	partial;	/* the start of a line whose newline has not come */
	int		skipping;	/* a line past JOURNAL_LINE_MAX: drop to its end */
};

struct journal_follow {
	struct loop			*loop;
	struct loop_timer		*timer;
	journal_each_cb			 each;
	void				*arg;
	struct journal_follow_file	 f[2];	/* [0] the day before [1] */
};

static char *
journal_follow_path(int64_t day)
{
	return journal_day_path(day * 86400);
}

static off_t
journal_follow_size(int64_t day)
{
	char *path = journal_follow_path(day);
	struct stat st;
	off_t size = 0;

	if (stat(path, &st) == 0)
		size = st.st_size;
	free(path);
	return size;
}

static void
journal_follow_line(struct journal_follow *jf, const char *line, size_t len)
{
	const char *why;
	int torn;
	cJSON *rec = journal_parse_line(line, len, &why, &torn);

	if (rec == NULL)
		return;
	jf->each(rec, jf->arg);
	cJSON_Delete(rec);
}

static void
journal_follow_bytes(struct journal_follow *jf, struct journal_follow_file *ff,
    const char *p, size_t n)
{
	const char *nl;
	size_t len;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		len = nl != NULL ? (size_t)(nl - p) : n;
		if (ff->skipping) {
			;
		} else if (buf_append(&ff->partial, p, len) != 0) {
			ff->skipping = 1;
			buf_reset(&ff->partial);
		}
		if (nl == NULL)
			return;
		if (!ff->skipping && ff->partial.len > 0)
			journal_follow_line(jf, ff->partial.data, ff->partial.len);
		buf_reset(&ff->partial);
		ff->skipping = 0;
		p = nl + 1;
		n -= len + 1;
	}
}

static void
journal_follow_read(struct journal_follow *jf, struct journal_follow_file *ff)
{
	char *path = journal_follow_path(ff->day);
	char *chunk;
	struct stat st;
	off_t end;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return;
	if (fstat(fd, &st) != 0 || st.st_size <= ff->off) {
		if (st.st_size < ff->off)
			ff->off = st.st_size;	/* replaced by someone: start at its end */
		close(fd);
		return;
	}
	end = st.st_size;
	if (end - ff->off > JOURNAL_FOLLOW_CHUNK)
		end = ff->off + JOURNAL_FOLLOW_CHUNK;
	chunk = xmalloc((size_t)(end - ff->off));
	n = pread(fd, chunk, (size_t)(end - ff->off), ff->off);
	close(fd);
	if (n > 0) {
		ff->off += n;
		journal_follow_bytes(jf, ff, chunk, (size_t)n);
	}
	free(chunk);
}

static void
journal_follow_file_init(struct journal_follow_file *ff, int64_t day, off_t off)
{
	buf_free(&ff->partial);
	buf_init(&ff->partial, JOURNAL_LINE_MAX);
	ff->day = day;
	ff->off = off;
	ff->skipping = 0;
}

void
journal_follow_poll(struct journal_follow *jf)
{
	int64_t today = journal_now_ms() / 86400000;

	journal_follow_read(jf, &jf->f[0]);
	journal_follow_read(jf, &jf->f[1]);
	if (today > jf->f[1].day) {
		/* Midnight: today becomes yesterday, still watched. */
		buf_free(&jf->f[0].partial);
		jf->f[0] = jf->f[1];
		memset(&jf->f[1], 0, sizeof(jf->f[1]));
		journal_follow_file_init(&jf->f[1], today, 0);
		if (jf->f[0].day != today - 1) {
			/* Asleep over more than a day: nothing to follow there. */
			journal_follow_file_init(&jf->f[0], today - 1,
			    journal_follow_size(today - 1));
		}
		journal_follow_read(jf, &jf->f[1]);
	}
}

static void
journal_follow_tick(void *arg)
{
	struct journal_follow *jf = arg;

	journal_follow_poll(jf);
	loop_timer_start(jf->timer, JOURNAL_FOLLOW_TICK_MS);
}

struct journal_follow *
journal_follow_start(struct loop *loop, journal_each_cb each, void *arg)
{
	struct journal_follow *jf = xcalloc(1, sizeof(*jf));
	int64_t today = journal_now_ms() / 86400000;

	jf->loop = loop;
	jf->each = each;
	jf->arg = arg;
	journal_follow_file_init(&jf->f[0], today - 1,
	    journal_follow_size(today - 1));
	journal_follow_file_init(&jf->f[1], today, journal_follow_size(today));
	jf->timer = loop_timer_new(loop, journal_follow_tick, jf);
	loop_timer_start(jf->timer, JOURNAL_FOLLOW_TICK_MS);
	return jf;
}

void
journal_follow_free(struct journal_follow *jf)
{
	if (jf == NULL)
		return;
	loop_timer_free(jf->timer);
	buf_free(&jf->f[0].partial);
	buf_free(&jf->f[1].partial);
	free(jf);
}
