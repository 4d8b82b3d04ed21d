/*
 * What the console remembers between runs (the functions view's columns),
 * in $XDG_STATE_HOME/dlc/console.ini (~/.local/state/dlc/console.ini),
 * one "key = value" per line under [console].
 *
 * Not in dlc.ini, by design: dlc.ini is usually checked in and shared by
 * a team, read strictly because it holds deploy policies, and may be open
 * in an editor; one person's view preference written there would dirty
 * the checkout or race the editor. This file is the console's own, so it
 * is rewritten whole (to a temporary file, then renamed over).
 */
#ifndef DLC_CONSOLE_STATE_H
#define DLC_CONSOLE_STATE_H

#include "err.h"

/* Returns the allocated path of the state file (which may not exist). */
char	*console_state_path(void);
/* Returns an allocated copy of key's value, or NULL when the file or the key is absent or unreadable. */
char	*console_state_get(const char *path, const char *key);
/*
 * Sets key to value, keeping the file's other keys, creating the file and
 * its folders (0700) when missing. value must be one line. Returns 0, or
 * -1 with err.
 */
int	 console_state_set(const char *path, const char *key, const char *value,
	    struct dlc_err *err);

#endif
