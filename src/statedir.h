/*
 * dlc's state folder: $XDG_STATE_HOME/dlc, else ~/.local/state/dlc (the
 * XDG base directory spec's place for state that should persist but is
 * not worth backing up). The console's remembered choices live there, and
 * the deploy queue's journal, machine lock, job logs and kept packages.
 * Tests give each "machine" or team member its own XDG_STATE_HOME.
 */
#ifndef DLC_STATEDIR_H
#define DLC_STATEDIR_H

#include "err.h"

/* The state folder (which may not exist yet). Allocated. */
char	*state_dir(void);
/* state_dir() + "/" + rel. Allocated. */
char	*state_dir_path(const char *rel);
/*
 * Creates the folders above path (not path itself), each 0700, the
 * spec's mode for state. Returns 0, or -1 with err naming the folder.
 */
int	 state_dir_make_parents(const char *path, struct dlc_err *err);

#endif
