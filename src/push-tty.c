/*
 * A deploy job's progress on stderr (see push-tty.h). Everything the job
 * says may quote AWS or a build's output: it goes through sanitize.
 */
#include "push-tty.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "buf.h"
#include "sanitize.h"
#include "xmalloc.h"

void
push_tty_init(struct push_tty *t, FILE *out)
{
	struct winsize ws;

	memset(t, 0, sizeof *t);
	t->out = out;
	t->is_tty = isatty(fileno(out));
	t->width = 80;
	if (t->is_tty && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 10)
		t->width = ws.ws_col;
	t->last_step = PUSH_STEP_COUNT;
}

void
push_tty_callbacks(struct push_callbacks *cbs)
{
	memset(cbs, 0, sizeof *cbs);
	cbs->step = push_tty_step;
	cbs->progress = push_tty_progress;
	cbs->line = push_tty_line;
}

void
push_tty_clear(struct push_tty *t)
{
	if (t->drawn) {
		fputs("\r\033[K", t->out);
		fflush(t->out);
		t->drawn = 0;
	}
}

/* "LABEL STEP: detail", sanitised; on a terminal cut to one line. */
static void
push_tty_say(struct push_tty *t, const struct push_job *job,
    enum push_step step, int redraw)
{
	const struct push_step_info *si = push_job_step(job, step);
	struct buf text, out;

	buf_init(&text, 0);
	buf_printf(&text, "%s %s: %s%s%s", t->label != NULL ? t->label :
	    push_job_function(job)->name, push_step_name(step),
	    push_state_name(si->state), si->detail[0] != '\0' ? ", " : "",
	    si->detail);
	if (si->total > 0 && si->state == PUSH_RUNNING && step !=
	    PUSH_STEP_WAIT)
		buf_printf(&text, " (%llu%%)", (unsigned long long)(si->done *
		    100 / si->total));
	buf_init(&out, 0);
	if (t->is_tty && redraw) {
		sanitize_fit(&out, text.data, (size_t)t->width - 1, 0);
		fprintf(t->out, "\r%s", out.data != NULL ? out.data : "");
		t->drawn = 1;
	} else {
		push_tty_clear(t);
		sanitize_append(&out, text.data, text.len, 0);
		fprintf(t->out, "%s\n", out.data != NULL ? out.data : "");
	}
	fflush(t->out);
	buf_free(&out);
	buf_free(&text);
}

void
push_tty_step(struct push_job *job, enum push_step step, void *arg)
{
	struct push_tty *t = arg;
	const struct push_step_info *si = push_job_step(job, step);

	t->last_quarter = 0;
	t->last_step = step;
	/* A running step is a progress line; an ended one stays on record. */
	push_tty_say(t, job, step, si->state == PUSH_RUNNING);
}

void
push_tty_progress(struct push_job *job, enum push_step step, void *arg)
{
	struct push_tty *t = arg;
	const struct push_step_info *si = push_job_step(job, step);
	int quarter;

	if (t->is_tty) {
		push_tty_say(t, job, step, 1);
		return;
	}
	/* A pipe gets every poll and conflict, but bytes by the quarter. */
	if (step == PUSH_STEP_PACKAGE || (step == PUSH_STEP_UPLOAD &&
	    si->total > 0 && si->done > 0)) {
		quarter = si->total > 0 ? (int)(si->done * 4 / si->total) : 0;
		if (quarter <= t->last_quarter)
			return;
		t->last_quarter = quarter;
	}
	push_tty_say(t, job, step, 0);
}

void
push_tty_line(struct push_job *job, const char *text, size_t len, void *arg)
{
	struct push_tty *t = arg;
	struct buf out;

	push_tty_clear(t);
	buf_init(&out, 0);
	sanitize_append(&out, text, len, 0);
	fprintf(t->out, "%s | %s\n", push_job_function(job)->name,
	    out.data != NULL ? out.data : "");
	buf_free(&out);
}

char *
push_tty_ask(const char *prompt)
{
	char line[256];
	size_t n = 0;
	ssize_t r;
	char c;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (write(fd, prompt, strlen(prompt)) < 0) {
		close(fd);
		return NULL;
	}
	/* Byte by byte: nothing past the newline is taken from the terminal. */
	while ((r = read(fd, &c, 1)) == 1 && c != '\n') {
		if (n + 1 < sizeof line)
			line[n++] = c;
	}
	close(fd);
	if (r < 0)
		return NULL;
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
		n--;
	line[n] = '\0';
	return xstrdup(line);
}

int
push_tty_available(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}
