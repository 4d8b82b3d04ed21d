/*
 * Child processes on the loop. Every child is in one list until it is
 * reaped; one SIGCHLD watcher, alive while the list is not empty, asks
 * each with waitpid(WNOHANG). A proc is freed only when it is both reaped
 * and released by its owner (proc_free), and never from inside one of its
 * own callbacks: the hold count defers that to the callback's end.
 */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "loop.h"
#include "xmalloc.h"

#define PROC_GRACE_MS		2000
#define PROC_OUTPUT_LIMIT	(16 * 1024 * 1024)
/* Reads per wakeup, so a chatty child cannot starve keypresses. */
#define PROC_READS_PER_TURN	16

struct proc_pipe {
	struct proc	*p;
	int		 stream;
	int		 fd;		/* -1 once closed */
	struct loop_fd	*watch;
	struct buf	 line;
};

struct proc {
	struct loop		*loop;
	pid_t			 pid;
	int			 reaped;
	int			 status;
	struct proc_pipe	 out;
	struct proc_pipe	 err;
	struct loop_timer	*timeout;
	struct loop_timer	*grace;
	long			 grace_ms;
	size_t			 limit;
	size_t			 kept;
	struct proc_result	 result;
	proc_line_cb		 line;
	proc_done_cb		 done;
	void			*arg;
	int			 finished;	/* done has been decided */
	int			 released;	/* proc_free was called */
	int			 hold;		/* callbacks under way */
	struct proc		*next;		/* in the list of unreaped children */
};

static struct {
	struct loop		*loop;
	struct loop_signal	*sigchld;
	struct proc		*list;
	size_t			 count;
} procs;

static void
proc_destroy(struct proc *p)
{
	loop_timer_free(p->timeout);
	loop_timer_free(p->grace);
	buf_free(&p->out.line);
	buf_free(&p->err.line);
	free(p);
}

/* Frees p if nothing needs it any more. */
static void
proc_release_check(struct proc *p)
{
	if (p->released && p->reaped && p->hold == 0)
		proc_destroy(p);
}

static void
proc_pipe_close(struct proc_pipe *pp)
{
	if (pp->fd < 0)
		return;
	loop_fd_free(pp->watch);
	pp->watch = NULL;
	close(pp->fd);
	pp->fd = -1;
}

static void
proc_signal_group(struct proc *p, int signo)
{
	/* The group, so that a shell's children go with it. */
	if (kill(-p->pid, signo) != 0 && !p->reaped)
		kill(p->pid, signo);
}

static void
proc_check_done(struct proc *p)
{
	if (p->finished || !p->reaped || p->out.fd >= 0 || p->err.fd >= 0)
		return;
	p->finished = 1;
	loop_timer_stop(p->timeout);
	loop_timer_stop(p->grace);
	if (WIFEXITED(p->status)) {
		p->result.exit_code = WEXITSTATUS(p->status);
	} else {
		p->result.exit_code = -1;
		p->result.signo = WIFSIGNALED(p->status) ? WTERMSIG(p->status) : 0;
	}
	if (p->released || p->done == NULL)
		return;
	p->hold++;
	p->done(p, &p->result, p->arg);
	p->hold--;
}

/* Hands the line gathered so far to the owner; -1 when it let go of p. */
static int
proc_pipe_deliver(struct proc_pipe *pp, int flags)
{
	struct proc *p = pp->p;

	if (p->line != NULL && !p->released)
		p->line(p, pp->stream, pp->line.data != NULL ? pp->line.data : "",
		    pp->line.len, flags, p->arg);
	buf_reset(&pp->line);
	return p->released ? -1 : 0;
}

static int
proc_pipe_take(struct proc_pipe *pp, const char *data, size_t n)
{
	struct proc *p = pp->p;
	size_t keep = p->limit - p->kept;

	if (keep > n)
		keep = n;
	p->kept += keep;
	p->result.dropped += n - keep;
	while (keep > 0) {
		const char *nl = memchr(data, '\n', keep);
		size_t piece = nl != NULL ? (size_t)(nl - data) : keep;
		size_t room = PROC_LINE_MAX - pp->line.len;

		if (piece > room || (piece == room && nl == NULL)) {
			buf_append(&pp->line, data, room);
			data += room;
			keep -= room;
			if (proc_pipe_deliver(pp, PROC_LINE_PARTIAL) != 0)
				return -1;
			continue;
		}
		buf_append(&pp->line, data, piece);
		if (nl == NULL)
			return 0;
		data += piece + 1;
		keep -= piece + 1;
		if (proc_pipe_deliver(pp, 0) != 0)
			return -1;
	}
	return 0;
}

static void
proc_pipe_eof(struct proc_pipe *pp)
{
	if (pp->line.len > 0 && proc_pipe_deliver(pp, 0) != 0)
		return;
	proc_pipe_close(pp);
	proc_check_done(pp->p);
}

static void
proc_pipe_readable(int fd, int events, void *arg)
{
	struct proc_pipe *pp = arg;
	struct proc *p = pp->p;
	char chunk[16384];
	int i;

	(void)events;
	p->hold++;
	for (i = 0; i < PROC_READS_PER_TURN; i++) {
		ssize_t n = read(fd, chunk, sizeof chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			proc_pipe_eof(pp);
			break;
		}
		if (proc_pipe_take(pp, chunk, (size_t)n) != 0)
			break;
	}
	p->hold--;
	proc_release_check(p);
}

static void
proc_unlink(struct proc *p)
{
	struct proc **pp;

	for (pp = &procs.list; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			procs.count--;
			return;
		}
	}
}

static void
proc_watch_stop(void)
{
	loop_signal_free(procs.sigchld);
	procs.sigchld = NULL;
	procs.loop = NULL;
}

static void
proc_sigchld(int signo, void *arg)
{
	struct proc *p;
	int again = 1;

	(void)signo;
	(void)arg;
	/* Signals merge: ask every child. A callback may change the list, so start over after one. */
	while (again) {
		again = 0;
		for (p = procs.list; p != NULL; p = p->next) {
			int status;
			pid_t rc = waitpid(p->pid, &status, WNOHANG);

			if (rc == 0 || (rc < 0 && errno == EINTR))
				continue;
			/* ECHILD: someone else reaped it; treat as killed. */
			p->status = rc == p->pid ? status : SIGKILL;
			p->reaped = 1;
			proc_unlink(p);
			p->hold++;
			proc_check_done(p);
			p->hold--;
			proc_release_check(p);
			again = 1;
			break;
		}
	}
	if (procs.count == 0)
		proc_watch_stop();
}

/* SIGTERM, then SIGKILL after the grace period; 0 if already under way. */
static int
proc_terminate(struct proc *p)
{
	if (p->finished || loop_timer_pending(p->grace))
		return 0;
	proc_signal_group(p, SIGTERM);
	loop_timer_start(p->grace, p->grace_ms);
	return 1;
}

static void
proc_timeout_fire(void *arg)
{
	struct proc *p = arg;

	if (proc_terminate(p))
		p->result.timed_out = 1;
}

static void
proc_grace_fire(void *arg)
{
	proc_signal_group(arg, SIGKILL);
}

/* In the child: only async-signal-safe calls from here to exec. */
static void
proc_child(const struct proc_spec *spec, int in, int out, int err,
    const char *run_msg, const char *cwd_msg)
{
	struct sigaction sa;
	sigset_t none;
	int fds[3], i, e;

	setpgid(0, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (i = 1; i < NSIG; i++)
		sigaction(i, &sa, NULL);	/* dlc ignores SIGPIPE; a child must not */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Above 2 first, so no dup2 below overwrites a descriptor still needed. */
	fds[0] = fcntl(in, F_DUPFD, 3);
	fds[1] = fcntl(out, F_DUPFD, 3);
	fds[2] = fcntl(err, F_DUPFD, 3);
	for (i = 0; i < 3; i++)
		if (fds[i] < 0 || dup2(fds[i], i) < 0)
			_exit(127);
	close_range(3, ~0U, 0);
	if (spec->cwd != NULL && chdir(spec->cwd) != 0) {
		e = errno;
		if (write(2, cwd_msg, strlen(cwd_msg)) > 0)
			(void)!write(2, strerror(e), strlen(strerror(e)));
		_exit(127);
	}
	if (spec->env != NULL)
		execvpe(spec->argv[0], spec->argv, spec->env);
	else
		execvp(spec->argv[0], spec->argv);
	e = errno;
	if (write(2, run_msg, strlen(run_msg)) > 0)
		(void)!write(2, strerror(e), strlen(strerror(e)));
	_exit(127);
}

static void
proc_pipe_init(struct proc *p, struct proc_pipe *pp, int stream, int fd)
{
	pp->p = p;
	pp->stream = stream;
	pp->fd = fd;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	buf_init(&pp->line, PROC_LINE_MAX);
	pp->watch = loop_fd_new(p->loop, fd, LOOP_READ, proc_pipe_readable, pp);
}

struct proc *
proc_spawn(struct loop *loop, const struct proc_spec *spec, proc_line_cb line,
    proc_done_cb done, void *arg, struct dlc_err *err)
{
	const char *in_path = spec->stdin_path != NULL ? spec->stdin_path : "/dev/null";
	char run_msg[512], cwd_msg[512];
	int out[2] = { -1, -1 }, errp[2] = { -1, -1 }, in;
	struct proc *p;
	pid_t pid;

	if (spec->argv == NULL || spec->argv[0] == NULL || spec->argv[0][0] == '\0') {
		dlc_err_set(err, "InvalidCommand", "no command to run");
		return NULL;
	}
	if (procs.sigchld != NULL && procs.loop != loop)
		fatal("child processes on two event loops at once");
	in = open(in_path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		dlc_err_set(err, "ProcessFailed", "cannot open %s for the command's input: %s", in_path, strerror(errno));
		return NULL;
	}
	if (pipe2(out, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
		dlc_err_set(err, "ProcessFailed", "cannot make a pipe for '%s': %s", spec->argv[0], strerror(errno));
		goto fail;
	}
	snprintf(run_msg, sizeof run_msg, "dlc: cannot run %s: ", spec->argv[0]);
	snprintf(cwd_msg, sizeof cwd_msg, "dlc: cannot enter %s: ", spec->cwd != NULL ? spec->cwd : "");
	/* Watch before the fork: a child that exits at once must not be missed. */
	if (procs.sigchld == NULL) {
		procs.loop = loop;
		procs.sigchld = loop_signal_new(loop, SIGCHLD, proc_sigchld, NULL);
	}
	pid = fork();
	if (pid < 0) {
		dlc_err_set(err, "ProcessFailed", "cannot start '%s' (fork): %s", spec->argv[0], strerror(errno));
		if (procs.count == 0)
			proc_watch_stop();
		goto fail;
	}
	if (pid == 0)
		proc_child(spec, in, out[1], errp[1], run_msg, cwd_msg);
	setpgid(pid, pid);	/* also here: whichever runs first wins the race */
	close(in);
	close(out[1]);
	close(errp[1]);

	p = xcalloc(1, sizeof *p);
	p->loop = loop;
	p->pid = pid;
	p->line = line;
	p->done = done;
	p->arg = arg;
	p->grace_ms = spec->grace_ms > 0 ? spec->grace_ms : PROC_GRACE_MS;
	p->limit = spec->output_limit > 0 ? spec->output_limit : PROC_OUTPUT_LIMIT;
	p->timeout = loop_timer_new(loop, proc_timeout_fire, p);
	p->grace = loop_timer_new(loop, proc_grace_fire, p);
	if (spec->timeout_ms > 0)
		loop_timer_start(p->timeout, spec->timeout_ms);
	proc_pipe_init(p, &p->out, PROC_STDOUT, out[0]);
	proc_pipe_init(p, &p->err, PROC_STDERR, errp[0]);
	p->next = procs.list;
	procs.list = p;
	procs.count++;
	return p;
fail:
	close(in);
	if (out[0] >= 0) {
		close(out[0]);
		close(out[1]);
	}
	if (errp[0] >= 0) {
		close(errp[0]);
		close(errp[1]);
	}
	return NULL;
}

void
proc_cancel(struct proc *p)
{
	if (p != NULL && proc_terminate(p))
		p->result.cancelled = 1;
}

void
proc_free(struct proc *p)
{
	if (p == NULL || p->released)
		return;
	p->released = 1;
	loop_timer_stop(p->timeout);
	loop_timer_stop(p->grace);
	if (!p->finished)
		proc_signal_group(p, SIGKILL);
	proc_pipe_close(&p->out);
	proc_pipe_close(&p->err);
	proc_release_check(p);
}

pid_t
proc_pid(const struct proc *p)
{
	return p->pid;
}

size_t
proc_live_count(void)
{
	return procs.count;
}

void
proc_shutdown(void)
{
	struct proc *p;

	while ((p = procs.list) != NULL) {
		procs.list = p->next;
		if (!p->released)
			proc_free(p);
		proc_destroy(p);
	}
	procs.count = 0;
	proc_watch_stop();
}
