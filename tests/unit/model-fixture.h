/*
 * The model against a test server, for the model's unit tests (test-model,
 * test-model-alarms, -metrics, -audit): a temporary HOME with the AWS files
 * and dlc.ini each test writes, the loop, http and the model, opened and
 * freed one way, so each test keeps only its own server, config and checks.
 * A test's fixture struct starts with a struct model_fixture.
 */
#ifndef DLC_MODEL_FIXTURE_H
#define DLC_MODEL_FIXTURE_H

#include <stddef.h>

#include "aws.h"
#include "dlcconfig.h"
#include "manifest.h"
#include "model.h"
#include "testserver.h"

struct model_fixture {
	char			 dir[256];	/* HOME, the AWS files, dlc.ini */
	struct testserver	 server;	/* started by the test */
	struct aws_ctx		 aws;
	struct dlc_config	 cfg;
	struct local_function	*locals;
	size_t			 n_locals;
	struct model		*m;
};

/*
 * A zeroed test fixture of size bytes (malloc'd) whose first member is a
 * struct model_fixture, with dir made as $TMPDIR/NAME-XXXXXX and HOME set
 * to it: no AWS_* variable nor DLC_CONFIG of the caller's shell steers a
 * test. The server is not started.
 */
void	*model_fixture_new(size_t size, const char *name);

/* $DLC_SRCDIR, or ".": where tests/... and functions/ are. */
const char *model_fixture_srcdir(void);

/* Writes text to path, or fails the test. */
void	 model_fixture_write_file(const char *path, const char *text);

/*
 * Adds profile to dir/aws-config (the server's endpoint, then extra, or
 * NULL) and its key to dir/aws-credentials, and points AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE at them.
 */
void	 model_fixture_add_profile(struct model_fixture *mf,
	    const char *profile, const char *extra, const char *akid,
	    const char *secret);

/*
 * Writes ini as dir/dlc.ini, loads it, its functions and the AWS config,
 * and makes the loop, http and the model, which reports to cb(arg).
 */
void	 model_fixture_open(struct model_fixture *mf, const char *ini,
	    model_change_cb cb, void *arg);

/*
 * Runs the loop a turn at a time until done(arg, env) or deadline_ms;
 * returns done(arg, env).
 */
int	 model_fixture_run_until(struct model_fixture *mf,
	    int (*done)(void *, size_t), void *arg, size_t env,
	    int deadline_ms);

/*
 * cmocka teardown for a fixture from model_fixture_new in *state: frees
 * the model and what it borrowed, stops the server, removes dir.
 */
int	 model_fixture_teardown(void **state);

#endif
