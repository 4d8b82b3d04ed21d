/*
 * One special deploy at a time across every dlc on this machine: an
 * exclusive flock on $XDG_STATE_HOME/dlc/special.lock, tried with LOCK_NB
 * and again on a loop timer, never a blocking call. Once held, the
 * holder writes its job id, pid, function and environment into the file,
 * so a waiter can say what it waits for. The lock belongs to the open
 * file: released on machine_lock_free (close), and by the kernel when the
 * holder dies, even by SIGKILL.
 */
#ifndef DLC_MACHINE_LOCK_H
#define DLC_MACHINE_LOCK_H

#include "err.h"

struct loop;
struct machine_lock;

#define MACHINE_LOCK_RETRY_MS	200

/* Who holds it (or wants it). Strings may be NULL; read ones are untrusted. */
struct machine_lock_info {
	char	*job;
	long	 pid;
	char	*function;
	char	*env;
};

void	machine_lock_info_clear(struct machine_lock_info *info);

enum machine_lock_event {
	MACHINE_LOCK_ACQUIRED,	/* held: the file names this process */
	MACHINE_LOCK_WAITING	/* busy; the holder (machine_lock_holder) is new */
};

typedef void (*machine_lock_cb)(struct machine_lock *ml,
	    enum machine_lock_event ev, void *arg);

/*
 * Opens path (NULL: state_dir_path("special.lock"), its folders made)
 * and starts trying to lock it; me describes this holder (copied; pid 0:
 * getpid()). cb runs from the loop, never inside this call: WAITING when
 * busy (and again when the holder changes), ACQUIRED once. NULL with err
 * when the file cannot be opened.
 */
struct machine_lock *machine_lock_acquire(struct loop *loop, const char *path,
	    const struct machine_lock_info *me, machine_lock_cb cb, void *arg,
	    struct dlc_err *err);
int	machine_lock_held(const struct machine_lock *ml);
/* The holder the file last named while waiting (members NULL if unknown). */
const struct machine_lock_info *machine_lock_holder(const struct machine_lock *ml);
/* "machine lock held by job ID (pid N)" into buf; untrusted: sanitise. */
void	machine_lock_waiting_text(const struct machine_lock *ml, char *buf,
	    size_t len);
/* Releases (when held) and frees. A no-op on NULL; cb may call it. */
void	machine_lock_free(struct machine_lock *ml);

/*
 * Reads the holder a lock file names into out (cleared first). Returns 1
 * when the file names one, 0 when it is empty, missing or unparsable.
 */
int	machine_lock_read(const char *path, struct machine_lock_info *out);

#endif
