/*
 * The console's side of the deploy queue (queue.h): one queue, made with
 * the console and fed by the journal, through which p, P and R go; the
 * jobs this dlc queued (whose ends it reports on the status line); the
 * interrupted jobs found at start, said once; and the queue keys (pause,
 * step mode, n, s, c, r, v, reorder) on a job. The strip (queue-strip.c)
 * and the queue views (pane-queue.c, pane-queue-job.c) draw from it.
 */
#ifndef DLC_UI_QUEUE_CONSOLE_H
#define DLC_UI_QUEUE_CONSOLE_H

#include <stddef.h>

#include "err.h"
#include "push.h"

struct ui;
struct model_function;

/* Opens the journal and the queue; on failure the console pushes without one, and says why. */
void	queue_console_open(struct ui *ui);
/* Says, once, on the status line, the interrupted jobs the journal holds (after the first view opens). */
void	queue_console_interrupted(struct ui *ui);
void	queue_console_close(struct ui *ui);
/* 1 when this dlc queued job id. */
int	queue_console_owns(struct ui *ui, const char *id);
/* The last line of the build log of our job id (read at most once a second); "" if none. */
const char *queue_console_last_line(struct ui *ui, const char *id);
/*
 * Queues mf's push (kind) in env; confirmed is the environment's name as
 * typed back (confirm), or NULL. Returns 0, or -1 with err (the policy
 * refused it, or the queue did).
 */
int	queue_console_push(struct ui *ui, size_t env, struct model_function *mf,
	    enum push_kind kind, const char *confirmed, struct dlc_err *err);
/* The same for a rollback: package (a kept zip) of job rollback_of sent again. */
int	queue_console_rollback(struct ui *ui, size_t env, struct model_function *mf,
	    const char *package, const char *rollback_of, const char *confirmed,
	    struct dlc_err *err);
/*
 * A queue key (keys.c's "queue-pause", "step-mode", "step-next",
 * "step-skip", "job-cancel", "job-retry", "job-verify", "move-up",
 * "move-down") on job id (NULL: none selected); says what it did on the
 * status line. Returns 1 when action is a queue key.
 */
int	queue_console_action(struct ui *ui, const char *id, const char *action);
/* The first job that is not over (else the newest), for the strip's keys; NULL. */
const char *queue_console_current(struct ui *ui);
/* A key while the strip has focus: the queue keys act on the current job; Enter is refused. */
int	queue_console_strip_action(struct ui *ui, const char *action);
/* job-verify.c's call ended: it is forgotten (its context freed there). */
void	queue_console_verify_done(struct ui *ui);
/* Q: the queue view, or back from it (and from a job opened in it). */
void	queue_console_toggle_view(struct ui *ui);

#endif
