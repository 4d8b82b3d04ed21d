/*
 * Unit tests for src/sso-cache.c: the profile's SSO settings and the token
 * cache file shared with the AWS CLI (name, format, atomic 0600 writes).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "awsconfig.h"
#include "sso-cache.h"
#include "xmalloc.h"
#include "testserver.h"

static char home[] = "/tmp/dlc-test-sso-XXXXXX";

static char *
write_config(const char *text)
{
	char *path = xasprintf("%s/config", home);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_cache_file_name_is_the_cli_one(void **state)
{
	char *p = sso_cache_path("datalake");
	char *want = xasprintf("%s/.aws/sso/cache/9408be54cf5cc8dc5b91571242405e5041c27053.json", home);

	assert_string_equal(p, want);
	free(p);
	free(want);
	p = sso_cache_path("https://datalake-demo.awsapps.com/start");
	assert_non_null(strstr(p, "762f051c04527f046eab3c20f461d936afe9f527.json"));
	free(p);
}

static void
test_write_then_read_roundtrip(void **state)
{
	struct sso_cache_token t, back;
	struct dlc_err err;
	struct stat st;
	char *path;
	FILE *f;
	char text[2048];
	size_t n;

	memset(&t, 0, sizeof t);
	t.start_url = "https://datalake-demo.awsapps.com/start";
	t.region = "eu-west-1";
	t.access_token = "access-token-value";
	t.refresh_token = "refresh-token-value";
	t.client_id = "client-id";
	t.client_secret = "client-secret";
	t.expires_at = 1893553445;
	t.registration_expires_at = 1893553445 + 86400;
	dlc_err_clear(&err);
	assert_int_equal(sso_cache_write("datalake", &t, &err), 0);

	path = sso_cache_path("datalake");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	f = fopen(path, "r");
	n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	/* The CLI's field names and time format. */
	assert_non_null(strstr(text, "\"accessToken\""));
	assert_non_null(strstr(text, "\"expiresAt\":\t\"2030-01-02T03:04:05Z\""));
	assert_non_null(strstr(text, "\"registrationExpiresAt\""));
	assert_non_null(strstr(text, "\"refreshToken\""));

	assert_int_equal(sso_cache_read("datalake", &back, &err), 0);
	assert_string_equal(back.access_token, "access-token-value");
	assert_string_equal(back.refresh_token, "refresh-token-value");
	assert_string_equal(back.client_secret, "client-secret");
	assert_string_equal(back.start_url, t.start_url);
	assert_int_equal(back.expires_at, t.expires_at);
	assert_int_equal(back.registration_expires_at, t.registration_expires_at);
	sso_cache_token_clear(&back);
	free(path);
}

static void
test_read_missing_and_invalid(void **state)
{
	struct sso_cache_token t;
	struct dlc_err err;
	char *path;
	FILE *f;

	dlc_err_clear(&err);
	assert_int_equal(sso_cache_read("never-logged-in", &t, &err), -1);
	assert_string_equal(err.code, "ENOENT");

	path = sso_cache_path("broken");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"accessToken\": \"x\"}", f);	/* no expiresAt: not a login */
	fclose(f);
	dlc_err_clear(&err);
	assert_int_equal(sso_cache_read("broken", &t, &err), -1);
	assert_string_equal(err.code, "InvalidCache");
	f = fopen(path, "w");
	fputs("{\"accessToken\": \"x\", \"expiresAt\": ", f);
	fclose(f);
	assert_int_equal(sso_cache_read("broken", &t, &err), -1);
	assert_string_equal(err.code, "InvalidCache");
	free(path);
}

/* A cache file as another tool wrote it, read back for its expiresAt. */
static time_t
read_expiry_written_as(const char *expires_at)
{
	struct sso_cache_token t;
	struct dlc_err err;
	char *path = sso_cache_path("other-writer");
	FILE *f = fopen(path, "w");
	time_t when;

	assert_non_null(f);
	fprintf(f, "{\"accessToken\": \"x\", \"expiresAt\": \"%s\"}", expires_at);
	fclose(f);
	free(path);
	dlc_err_clear(&err);
	if (sso_cache_read("other-writer", &t, &err) != 0)
		return 0;
	when = t.expires_at;
	sso_cache_token_clear(&t);
	return when;
}

static void
test_expiry_in_every_writers_form(void **state)
{
	const time_t want = 1796119200;	/* 2026-12-01T10:00:00Z */

	assert_int_equal(read_expiry_written_as("2026-12-01T10:00:00Z"), want);
	/* The aws CLI v1 writes a UTC suffix; this read as "no login" before. */
	assert_int_equal(read_expiry_written_as("2026-12-01T10:00:00UTC"), want);
	assert_int_equal(read_expiry_written_as("2026-12-01T10:00:00 UTC"), want);
	assert_int_equal(read_expiry_written_as("2026-12-01 10:00:00Z"), want);
	assert_int_equal(read_expiry_written_as("2026-12-01 10:00:00 UTC"), want);
	assert_int_equal(read_expiry_written_as("2026-12-01T10:00:00.250Z"), want);
	assert_int_equal(read_expiry_written_as("2026-12-01T11:00:00+01:00"), want);
	/* Still refused: what no writer produces. */
	assert_int_equal(read_expiry_written_as("2026-12-01T10:00:00GMT"), 0);
	assert_int_equal(read_expiry_written_as("UTC"), 0);
	assert_int_equal(read_expiry_written_as("2026-12-01  10:00:00Z"), 0);
	assert_int_equal(read_expiry_written_as(""), 0);
}

/* Without HOME nothing is read or written, and nothing lands in the current folder. */
static void
test_refused_without_home(void **state)
{
	struct sso_cache_token t;
	struct dlc_err err;
	struct stat st;
	char cwd[4096], *path;

	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(home), 0);
	memset(&t, 0, sizeof t);
	t.access_token = "must-not-land-in-the-current-folder";
	t.expires_at = 1893553445;
	unsetenv("HOME");
	dlc_err_clear(&err);
	assert_int_equal(sso_cache_write("nohome", &t, &err), -1);
	assert_string_equal(err.code, "NoHome");
	assert_non_null(strstr(err.message, "set HOME"));
	dlc_err_clear(&err);
	assert_int_equal(sso_cache_read("nohome", &t, &err), -1);
	assert_string_equal(err.code, "NoHome");
	setenv("HOME", "", 1);
	dlc_err_clear(&err);
	assert_int_equal(sso_cache_write("nohome", &t, &err), -1);
	assert_string_equal(err.code, "NoHome");
	assert_null(sso_cache_path("nohome"));
	setenv("HOME", home, 1);
	/* The current folder is home, so ./.aws/sso/cache, where the write
	 * used to go without HOME, is the cache folder itself. */
	path = sso_cache_path("nohome");
	assert_int_equal(stat(path, &st), -1);
	free(path);
	assert_int_equal(chdir(cwd), 0);
}

static void
test_profile_settings(void **state)
{
	char *config = write_config(
	    "[profile new]\nsso_session = datalake\nsso_account_id = 111111111111\nsso_role_name = Dev\n"
	    "[sso-session datalake]\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-west-1\n"
	    "sso_registration_scopes = sso:account:access\n"
	    "[profile legacy]\nsso_start_url = https://y.awsapps.com/start\nsso_region = us-east-1\n"
	    "sso_account_id = 2\nsso_role_name = R\n"
	    "[profile clash]\nsso_session = datalake\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n"
	    "[profile norole]\nsso_session = datalake\n"
	    "[profile dangling]\nsso_session = nowhere\nsso_account_id = 1\nsso_role_name = R\n");
	struct aws_config *cfg;
	struct sso_cache_profile p;
	struct dlc_err err;

	dlc_err_clear(&err);
	cfg = aws_config_load(config, "/nonexistent/credentials", &err);
	assert_non_null(cfg);

	assert_int_equal(sso_cache_profile_load(cfg, "new", 1, &p, &err), 0);
	assert_string_equal(p.start_url, "https://x.awsapps.com/start");
	assert_string_equal(p.region, "eu-west-1");
	assert_string_equal(p.cache_key, "datalake");
	assert_string_equal(p.scopes, "sso:account:access");
	assert_string_equal(p.account_id, "111111111111");
	sso_cache_profile_clear(&p);

	assert_int_equal(sso_cache_profile_load(cfg, "legacy", 1, &p, &err), 0);
	assert_string_equal(p.cache_key, "https://y.awsapps.com/start");
	assert_null(p.session_name);
	sso_cache_profile_clear(&p);

	dlc_err_clear(&err);
	assert_int_equal(sso_cache_profile_load(cfg, "clash", 1, &p, &err), -1);
	assert_non_null(strstr(err.message, "disagree"));

	dlc_err_clear(&err);
	assert_int_equal(sso_cache_profile_load(cfg, "norole", 1, &p, &err), -1);
	assert_non_null(strstr(err.message, "sso_role_name"));
	assert_int_equal(sso_cache_profile_load(cfg, "norole", 0, &p, &err), 0);
	sso_cache_profile_clear(&p);

	dlc_err_clear(&err);
	assert_int_equal(sso_cache_profile_load(cfg, "dangling", 1, &p, &err), -1);
	assert_non_null(strstr(err.message, "nowhere"));

	aws_config_free(cfg);
	free(config);
}

static int
setup(void **state)
{
	if (mkdtemp(home) == NULL)
		return -1;
	setenv("HOME", home, 1);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	testserver_rmtree(home);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_file_name_is_the_cli_one),
		cmocka_unit_test(test_write_then_read_roundtrip),
		cmocka_unit_test(test_read_missing_and_invalid),
		cmocka_unit_test(test_expiry_in_every_writers_form),
		cmocka_unit_test(test_refused_without_home),
		cmocka_unit_test(test_profile_settings),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
