/*
 * A Python test server for the unit tests that talk HTTP (the small
 * http-test-server.py, or tests/fakeaws): started on a free port that it
 * writes to a port file, its stdin a pipe so it exits when the test dies,
 * its output in a log inside its own temporary directory.
 */
#ifndef DLC_TESTSERVER_H
#define DLC_TESTSERVER_H

#include <sys/types.h>

struct testserver {
	pid_t	 pid;
	int	 port;
	int	 stdin_fd;
	char	 dir[64];
	char	 port_file[128];
	char	 url[64];	/* http://127.0.0.1:PORT */
};

/*
 * Runs python3 $DLC_SRCDIR/script with args (NULL-terminated), where an
 * argument "@PORTFILE@" is replaced by the port file's path. Returns 0
 * once the port is known, -1 if the server did not start within 10 s.
 */
int	testserver_start(struct testserver *ts, const char *script,
	    const char *const *args);
/* Stops it and removes its directory. */
void	testserver_stop(struct testserver *ts);

#endif
