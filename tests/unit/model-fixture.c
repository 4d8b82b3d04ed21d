/* The model's test fixture: see model-fixture.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "awsconfig.h"
#include "http.h"
#include "loop.h"
#include "model-fixture.h"

void *
model_fixture_new(size_t size, const char *name)
{
	struct model_fixture *mf;

	assert_true(size >= sizeof *mf);
	mf = calloc(1, size);
	assert_non_null(mf);
	mf->server.pid = -1;
	mf->server.stdin_fd = -1;
	snprintf(mf->dir, sizeof mf->dir, "%s/%s-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp", name);
	assert_non_null(mkdtemp(mf->dir));
	testserver_clear_aws_env();
	unsetenv("DLC_CONFIG");
	setenv("HOME", mf->dir, 1);
	return mf;
}

const char *
model_fixture_srcdir(void)
{
	return getenv("DLC_SRCDIR") != NULL ? getenv("DLC_SRCDIR") : ".";
}

static void
write_mode(const char *path, const char *mode, const char *text)
{
	FILE *fp = fopen(path, mode);

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

void
model_fixture_write_file(const char *path, const char *text)
{
	write_mode(path, "w", text);
}

void
model_fixture_add_profile(struct model_fixture *mf, const char *profile,
    const char *extra, const char *akid, const char *secret)
{
	char path[512], text[1024];

	snprintf(path, sizeof path, "%s/aws-config", mf->dir);
	assert_int_equal(testserver_config_add(&mf->server, path, profile,
	    extra), 0);
	setenv("AWS_CONFIG_FILE", path, 1);
	snprintf(path, sizeof path, "%s/aws-credentials", mf->dir);
	snprintf(text, sizeof text, "[%s]\naws_access_key_id = %s\n"
	    "aws_secret_access_key = %s\n\n", profile, akid, secret);
	write_mode(path, "a", text);
	setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
}

void
model_fixture_open(struct model_fixture *mf, const char *ini,
    model_change_cb cb, void *arg)
{
	char path[512];
	struct dlc_err err;

	snprintf(path, sizeof path, "%s/dlc.ini", mf->dir);
	model_fixture_write_file(path, ini);
	dlc_err_clear(&err);
	assert_int_equal(dlc_config_load(&mf->cfg, path, &err), 0);
	assert_int_equal(manifest_load_dir(mf->cfg.functions_dir, &mf->locals,
	    &mf->n_locals, &err), 0);
	mf->aws.cfg = aws_config_load(NULL, NULL, &err);
	assert_non_null(mf->aws.cfg);
	mf->aws.loop = loop_new();
	mf->aws.http = http_new(mf->aws.loop);
	mf->m = model_new(&mf->aws, &mf->cfg, mf->locals, mf->n_locals, cb,
	    arg);
	assert_non_null(mf->m);
}

int
model_fixture_run_until(struct model_fixture *mf,
    int (*done)(void *, size_t), void *arg, size_t env, int deadline_ms)
{
	uint64_t end = loop_now_ms() + (uint64_t)deadline_ms;

	while (!done(arg, env) && loop_now_ms() < end)
		if (loop_run_once(mf->aws.loop) != 0)
			break;
	return done(arg, env);
}

int
model_fixture_teardown(void **state)
{
	struct model_fixture *mf = *state;

	if (mf == NULL)
		return 0;
	model_free(mf->m);
	if (mf->aws.http != NULL)
		http_free(mf->aws.http);
	if (mf->aws.loop != NULL)
		loop_free(mf->aws.loop);
	aws_config_free(mf->aws.cfg);
	manifest_free_all(mf->locals, mf->n_locals);
	dlc_config_free(&mf->cfg);
	testserver_stop(&mf->server);
	testserver_rmtree(mf->dir);
	free(mf);
	return 0;
}
