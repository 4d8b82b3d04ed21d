/*
 * A Python test server for the unit tests that talk HTTP (the small
 * http-test-server.py, or tests/fakeaws): started on a free port that it
 * writes to a port file, its stdin a pipe so it exits when the test dies,
 * its output in a log inside its own temporary directory.
 */
#ifndef DLC_TESTSERVER_H
#define DLC_TESTSERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct aws_config;

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

/*
 * Writes an AWS config file in the server's directory with
 * [profile PROFILE], region eu-west-1 and endpoint_url = the server, and
 * loads it (NULL on failure).
 */
struct aws_config *testserver_aws_config(const struct testserver *ts,
	    const char *profile);

/*
 * Appends to the AWS config file at path a section [profile PROFILE] with
 * region eu-west-1, endpoint_url = the server, and then extra (lines of
 * its own, or NULL). 0, or -1 if the file could not be written.
 */
int	testserver_config_add(const struct testserver *ts, const char *path,
	    const char *profile, const char *extra);

/*
 * The first key of the fakeaws seed account of environment env (NULL: the
 * first account): the demo keys live in tests/fakeaws/seed only.
 */
int	testserver_seed_key(const char *env, char *akid, char *secret,
	    size_t len);

/* Unsets every AWS_* variable, so the caller's shell cannot steer a test. */
void	testserver_clear_aws_env(void);

/* rm -rf dir (a test's temporary directory). */
void	testserver_rmtree(const char *dir);

/* The whole file, NUL-terminated (malloc'd), or NULL. */
char	*testserver_read_file(const char *path);

/* What a progress callback reported: each attempt must only move forward. */
struct test_progress {
	int		 calls;
	int		 restarts;	/* reports that went back: a new attempt */
	int		 stalls;	/* reports that repeated or passed the total */
	uint64_t	 last;
	uint64_t	 total;
};

void	test_progress_note(struct test_progress *p, uint64_t sent, uint64_t total);

#endif
