/*
 * Real files for the unit tests that build, stage, hash and pack: one
 * temporary folder per test binary, paths under it, small files written
 * with a mode, and the folder removed at the end.
 */
#ifndef DLC_TESTFS_H
#define DLC_TESTFS_H

#include <sys/types.h>

/* Makes the folder (/tmp/dlc-test-NAME-XXXXXX); 0, or -1 when it cannot. */
int	 testfs_init(const char *name);
/* The folder itself. */
const char *testfs_root(void);
/* ROOT/REL, REL formatted; one of 8 rotating buffers, valid a while. */
char	*testfs_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes text into path (created or truncated), then sets mode; fails the test if it cannot. */
void	 testfs_put(const char *path, const char *text, mode_t mode);
/* Removes the folder and all under it; 0 when it went. */
int	 testfs_cleanup(void);

#endif
