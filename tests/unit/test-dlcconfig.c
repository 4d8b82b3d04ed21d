/* Unit tests for src/dlcconfig.c: dlc.ini and the naming template. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "dlcconfig.h"

static char tmpdir[] = "/tmp/dlc-test-dlcconfig-XXXXXX";
static char path[512];

static int
setup(void **state)
{
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/dlc.ini", tmpdir);
	return 0;
}

static int
teardown(void **state)
{
	unlink(path);
	rmdir(tmpdir);
	return 0;
}

static int
load_text(struct dlc_config *cfg, const char *text, struct dlc_err *err)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	dlc_err_clear(err);
	return dlc_config_load(cfg, path, err);
}

static void
test_repository_dlc_ini(void **state)
{
	struct dlc_config cfg;
	struct dlc_err err;
	const struct dlc_env *e;
	char p[4096];

	snprintf(p, sizeof p, "%s/dlc.ini", getenv("DLC_SRCDIR"));
	assert_int_equal(dlc_config_load(&cfg, p, &err), 0);
	assert_string_equal(cfg.path, p);
	assert_int_equal(cfg.n_envs, 2);
	assert_string_equal(cfg.theme, "default");
	assert_int_equal(cfg.refresh_seconds, 30);
	assert_int_equal(cfg.log_buffer_events, 1000000);
	snprintf(p, sizeof p, "%s/functions", getenv("DLC_SRCDIR"));
	assert_string_equal(cfg.functions_dir, p);
	e = &cfg.envs[0];
	assert_string_equal(e->name, "alpha");
	assert_string_equal(e->profile, "dlc-demo-alpha");
	assert_string_equal(e->region, "eu-west-1");
	assert_string_equal(e->function_name, "datalake-alpha-{function}");
	assert_int_equal(e->deploy, DEPLOY_ALLOW);
	e = dlc_config_env(&cfg, "sandbox");
	assert_ptr_equal(e, &cfg.envs[1]);
	assert_string_equal(e->profile, "dlc-demo-sandbox");
	assert_string_equal(e->function_name, "datalake-sandbox-{function}");
	assert_int_equal(e->deploy, DEPLOY_CONFIRM);
	assert_null(dlc_config_env(&cfg, "prod"));
	dlc_config_free(&cfg);
}

static void
test_defaults_and_order(void **state)
{
	struct dlc_config cfg;
	struct dlc_err err;
	char want[600];

	assert_int_equal(load_text(&cfg,
	    "[env zeta]\n"
	    "[env alpha]\n"
	    "region = \"us-east-2\"\n"
	    "account = 123456789012\n"
	    "artifacts-bucket = datalake-alpha.artifacts-1\n"
	    "[env \"with space\"]\n"
	    "deploy = deny\n", &err), 0);
	snprintf(want, sizeof want, "%s/functions", tmpdir);
	assert_string_equal(cfg.functions_dir, want);
	assert_string_equal(cfg.dir, tmpdir);
	assert_string_equal(cfg.theme, "default");
	assert_int_equal(cfg.refresh_seconds, 30);
	snprintf(want, sizeof want, "%s/.dlc/build", tmpdir);
	assert_string_equal(cfg.build_dir, want);
	assert_int_equal(cfg.n_envs, 3);
	/* File order, not sorted. */
	assert_string_equal(cfg.envs[0].name, "zeta");
	assert_null(cfg.envs[0].profile);
	assert_null(cfg.envs[0].region);
	assert_null(cfg.envs[0].account);
	assert_null(cfg.envs[0].artifacts_bucket);
	assert_string_equal(cfg.envs[0].function_name, "{function}");
	assert_int_equal(cfg.envs[0].deploy, DEPLOY_CONFIRM);
	assert_int_equal(cfg.envs[0].line, 1);
	assert_string_equal(cfg.envs[1].region, "us-east-2");
	assert_string_equal(cfg.envs[1].account, "123456789012");
	assert_string_equal(cfg.envs[1].artifacts_bucket,
	    "datalake-alpha.artifacts-1");
	assert_string_equal(cfg.envs[2].name, "with space");
	assert_int_equal(cfg.envs[2].deploy, DEPLOY_DENY);
	dlc_config_free(&cfg);
	dlc_config_free(&cfg);
}

static void
test_dlc_section(void **state)
{
	struct dlc_config cfg;
	struct dlc_err err;

	assert_int_equal(load_text(&cfg, "[dlc]\nfunctions = /srv/fns\n"
	    "theme = \"mono\"\nrefresh: 5\nlog-buffer = 2000\n"
	    "connect-timeout = 3\nread-timeout = 45\n", &err), 0);
	assert_int_equal(cfg.connect_timeout_ms, 3000);
	assert_int_equal(cfg.read_timeout_ms, 45000);
	assert_string_equal(cfg.functions_dir, "/srv/fns");
	assert_string_equal(cfg.theme, "mono");
	assert_int_equal(cfg.refresh_seconds, 5);
	assert_int_equal(cfg.log_buffer_events, 2000);
	assert_int_equal(cfg.n_envs, 0);
	dlc_config_free(&cfg);
	assert_int_equal(load_text(&cfg, "[dlc]\nbuild-dir = /var/tmp/zips\n", &err), 0);
	assert_string_equal(cfg.build_dir, "/var/tmp/zips");
	dlc_config_free(&cfg);
	assert_int_equal(load_text(&cfg, "[dlc]\nbuild-dir = out/zips\n", &err), 0);
	assert_int_equal(strncmp(cfg.build_dir, tmpdir, strlen(tmpdir)), 0);
	assert_string_equal(cfg.build_dir + strlen(tmpdir), "/out/zips");
	dlc_config_free(&cfg);
	assert_int_equal(load_text(&cfg, "[dlc]\nbuild-dir =\n", &err), -1);
	assert_non_null(strstr(err.message, "'build-dir' is empty"));
	assert_int_equal(load_text(&cfg, "[dlc]\nfunctions = lambdas\n", &err),
	    0);
	assert_non_null(strstr(cfg.functions_dir, "/lambdas"));
	assert_int_equal(strncmp(cfg.functions_dir, tmpdir, strlen(tmpdir)), 0);
	dlc_config_free(&cfg);
}

static void
expect_error(const char *text, const char *line, const char *what)
{
	struct dlc_config cfg;
	struct dlc_err err;

	assert_int_equal(load_text(&cfg, text, &err), -1);
	if (strstr(err.message, line) == NULL ||
	    strstr(err.message, what) == NULL ||
	    strstr(err.message, path) == NULL)
		fail_msg("wanted '%s' and '%s' in: %s", line, what, err.message);
	assert_true(err.fix[0] != '\0');
	/* A failed load leaves nothing to free. */
	assert_null(cfg.envs);
	assert_null(cfg.path);
}

static void
test_errors_name_file_and_line(void **state)
{
	expect_error("[env alpha]\nregion = eu-west-1\ndeploy = alow\n",
	    "line 3", "deploy 'alow'");
	expect_error("[env alpha]\ndeploy = Allow\n", "line 2", "deploy");
	expect_error("[env alpha]\nprofle = x\n", "line 2",
	    "unknown key 'profle' in [env alpha]");
	expect_error("[dlc]\nthemes = x\n", "line 2", "unknown key 'themes'");
	expect_error("[dlc]\n[enviroment alpha]\n", "line 2",
	    "unknown section [enviroment alpha]");
	expect_error("[env]\n", "line 1", "unknown section [env]");
	expect_error("[env a b]\n", "line 1", "unknown section");
	expect_error("[env 'a]\n", "line 1", "unclosed quote");
	expect_error("[dlc]\nrefresh = soon\n", "line 2", "refresh 'soon'");
	expect_error("[dlc]\nlog-buffer = 10\n", "line 2", "log-buffer '10'");
	expect_error("[dlc]\nrefresh = 0\n", "line 2", "refresh");
	expect_error("[dlc]\nrefresh = 90000\n", "line 2", "refresh");
	expect_error("[dlc]\nread-timeout = 0\n", "line 2", "read-timeout '0'");
	expect_error("[dlc]\nconnect-timeout = 10s\n", "line 2", "connect-timeout '10s'");
	expect_error("[dlc]\nread-timeout = 601\n", "line 2", "between 1 and 600");
	expect_error("[dlc]\ntheme =\n", "line 2", "'theme' is empty");
	expect_error("[env a]\nfunction-name = datalake-a\n", "line 2",
	    "{function} exactly once");
	expect_error("[env a]\nfunction-name = {function}-{function}\n",
	    "line 2", "{function} exactly once");
	expect_error("[env a]\naccount = 1234\n", "line 2", "account '1234'");
	expect_error("[env a]\nprofile =\n", "line 2", "'profile' is empty");
	expect_error("[env a]\nartifacts-bucket = My_Bucket\n", "line 2",
	    "artifacts-bucket 'My_Bucket' is not an S3 bucket name");
	expect_error("[env a]\nartifacts-bucket = ab\n", "line 2",
	    "artifacts-bucket 'ab'");
	expect_error("[env a]\nartifacts-bucket = -abc\n", "line 2",
	    "artifacts-bucket '-abc'");
	expect_error("\n\nnot ini\n", "line 3", "[section]");
}

/*
 * A second [env alpha] used to be merged, so its deploy = allow overrode
 * the first one's deny. Now both are refused, naming both lines.
 */
static void
test_repeats_refused(void **state)
{
	struct dlc_config cfg;
	struct dlc_err err;
	char want[1024];

	assert_int_equal(load_text(&cfg, "[env alpha]\ndeploy = deny\n\n"
	    "[env sandbox]\nregion = eu-west-1\n\n[env alpha]\n"
	    "deploy = allow\n", &err), -1);
	snprintf(want, sizeof want, "%s line 7: section [env alpha] again "
	    "(first at line 1)", path);
	assert_string_equal(err.message, want);
	assert_null(cfg.envs);

	assert_int_equal(load_text(&cfg, "[env alpha]\ndeploy = deny\n"
	    "region = eu-west-1\ndeploy = allow\n", &err), -1);
	snprintf(want, sizeof want, "%s line 4: 'deploy' set again in "
	    "[env alpha] (first at line 2)", path);
	assert_string_equal(err.message, want);

	assert_int_equal(load_text(&cfg, "[dlc]\nrefresh = 10\n[dlc]\n",
	    &err), -1);
	snprintf(want, sizeof want, "%s line 3: section [dlc] again (first at "
	    "line 1)", path);
	assert_string_equal(err.message, want);

	/* The same environment spelled two ways is still one environment. */
	assert_int_equal(load_text(&cfg, "[env alpha]\ndeploy = deny\n"
	    "[env \"alpha\"]\ndeploy = allow\n", &err), -1);
	snprintf(want, sizeof want, "%s line 3: environment 'alpha' again "
	    "(first at line 1)", path);
	assert_string_equal(err.message, want);
	assert_non_null(strstr(err.fix, "one [env alpha] section"));
}

static void
test_check_account(void **state)
{
	struct dlc_env env;
	struct dlc_err err;

	memset(&env, 0, sizeof env);
	env.name = "alpha";
	env.profile = "dlc-alpha";
	dlc_err_clear(&err);
	/* No account = : nothing to check. */
	assert_int_equal(dlc_env_check_account(&env, "222222222222", &err), 0);
	env.account = "111111111111";
	assert_int_equal(dlc_env_check_account(&env, "111111111111", &err), 0);
	assert_false(dlc_err_isset(&err));
	assert_int_equal(dlc_env_check_account(&env, "222222222222", &err), -1);
	assert_string_equal(err.code, "WrongAccount");
	assert_string_equal(err.message, "profile 'dlc-alpha' reaches account "
	    "222222222222 but dlc.ini says 111111111111 for env alpha");
	assert_string_equal(err.fix, "fix the profile or account = in [env "
	    "alpha] of dlc.ini, or log in to account 111111111111");
	env.profile = NULL;
	dlc_err_clear(&err);
	assert_int_equal(dlc_env_check_account(&env, "222222222222", &err), -1);
	assert_non_null(strstr(err.message, "the default credential chain "
	    "reaches account 222222222222"));
}

static void
test_missing_file(void **state)
{
	struct dlc_config cfg;
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_int_equal(dlc_config_load(&cfg, "/nonexistent/dlc.ini", &err),
	    -1);
	assert_string_equal(err.code, "ENOENT");
	assert_non_null(strstr(err.fix, "--config"));
}

static void
test_template_both_ways(void **state)
{
	struct dlc_env env = { 0 };
	char *s;

	env.function_name = "datalake-alpha-{function}";
	s = dlc_env_remote_name(&env, "mambu-to-s3-raw");
	assert_string_equal(s, "datalake-alpha-mambu-to-s3-raw");
	free(s);
	s = dlc_env_local_name(&env, "datalake-alpha-mambu-to-s3-raw");
	assert_string_equal(s, "mambu-to-s3-raw");
	free(s);
	assert_null(dlc_env_local_name(&env, "datalake-sandbox-x"));
	assert_null(dlc_env_local_name(&env, "datalake-alpha-"));
	assert_null(dlc_env_local_name(&env, "other"));

	env.function_name = "{function}-prod";
	s = dlc_env_remote_name(&env, "x");
	assert_string_equal(s, "x-prod");
	free(s);
	s = dlc_env_local_name(&env, "a-b-prod");
	assert_string_equal(s, "a-b");
	free(s);
	assert_null(dlc_env_local_name(&env, "a-b-pro"));

	env.function_name = "dl-{function}-v2";
	s = dlc_env_local_name(&env, "dl-x-v2");
	assert_string_equal(s, "x");
	free(s);
	assert_null(dlc_env_local_name(&env, "dl-v2"));

	env.function_name = "{function}";
	s = dlc_env_local_name(&env, "anything");
	assert_string_equal(s, "anything");
	free(s);
}

static void
test_policy_names_and_default_path(void **state)
{
	char *p, cwd[1024];

	assert_string_equal(dlc_deploy_policy_name(DEPLOY_ALLOW), "allow");
	assert_string_equal(dlc_deploy_policy_name(DEPLOY_CONFIRM), "confirm");
	assert_string_equal(dlc_deploy_policy_name(DEPLOY_DENY), "deny");

	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(tmpdir), 0);
	unlink(path);
	setenv("DLC_CONFIG", "/env/dlc.ini", 1);
	p = dlc_config_default_path("/given.ini");
	assert_string_equal(p, "/given.ini");
	free(p);
	p = dlc_config_default_path(NULL);
	assert_string_equal(p, "/env/dlc.ini");
	free(p);
	unsetenv("DLC_CONFIG");
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	p = dlc_config_default_path(NULL);
	assert_string_equal(p, "/xdg/dlc/dlc.ini");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/ann", 1);
	p = dlc_config_default_path(NULL);
	assert_string_equal(p, "/home/ann/.config/dlc/dlc.ini");
	free(p);
	/* ./dlc.ini, once it exists, beats the user's file. */
	fclose(fopen(path, "w"));
	p = dlc_config_default_path("");
	assert_string_equal(p, "./dlc.ini");
	free(p);
	assert_int_equal(chdir(cwd), 0);
}

/* queue-parallel: 0 (the queue's default 4) unless given, 1..64. */
static void
test_queue_parallel(void **state)
{
	struct dlc_config cfg;
	struct dlc_err err;

	(void)state;
	assert_int_equal(load_text(&cfg, "[dlc]\n", &err), 0);
	assert_int_equal(cfg.queue_parallel, 0);
	dlc_config_free(&cfg);
	assert_int_equal(load_text(&cfg, "[dlc]\nqueue-parallel = 2\n", &err),
	    0);
	assert_int_equal(cfg.queue_parallel, 2);
	dlc_config_free(&cfg);
	expect_error("[dlc]\nqueue-parallel = 0\n", "line 2",
	    "queue-parallel '0'");
	expect_error("[dlc]\n\nqueue-parallel = 4x\n", "line 3",
	    "queue-parallel '4x'");
}

/* keep-packages: how many deployments per function keep their zip (default 5). */
static void
test_keep_packages(void **state)
{
	struct dlc_config cfg;
	struct dlc_err err;

	(void)state;
	assert_int_equal(load_text(&cfg, "[dlc]\nrefresh = 5\n", &err), 0);
	assert_int_equal(dlc_config_keep_packages(&cfg), 5);
	dlc_config_free(&cfg);
	assert_int_equal(load_text(&cfg, "[dlc]\nkeep-packages = 12\n", &err), 0);
	assert_int_equal(dlc_config_keep_packages(&cfg), 12);
	dlc_config_free(&cfg);
	expect_error("[dlc]\nkeep-packages = 0\n", "line 2", "keep-packages '0'");
	expect_error("[dlc]\n\nkeep-packages = many\n", "line 3", "from 1 to 1000");
	expect_error("[dlc]\nkeep-package = 3\n", "line 2", "unknown key 'keep-package'");
}

/* The team lock's keys, a block of their own at the end of the parser. */
static void
test_lock_keys(void **state)
{
	struct dlc_config cfg;
	struct dlc_err err;

	(void)state;
	assert_int_equal(load_text(&cfg, "[env a]\nlock-table = dlc-locks\n"
	    "lock-lease = 2.5\n[env b]\n", &err), 0);
	assert_string_equal(cfg.envs[0].lock_table, "dlc-locks");
	assert_int_equal(cfg.envs[0].lock_lease_ms, 2500);
	/* No key, no team lock; no lease, the default. */
	assert_null(cfg.envs[1].lock_table);
	assert_int_equal(cfg.envs[1].lock_lease_ms, 0);
	dlc_config_free(&cfg);
	expect_error("[env a]\nlock-lease = 0.5\n", "line 2",
	    "lock-lease '0.5' is not a number of seconds from 1 to 3600");
	expect_error("[env a]\nlock-lease = 20s\n", "line 2", "lock-lease '20s'");
	expect_error("[env a]\nlock-lease = nan\n", "line 2", "lock-lease 'nan'");
	expect_error("[env a]\nlock-table = a b\n", "line 2",
	    "lock-table 'a b' is not a DynamoDB table name");
	expect_error("[env a]\nlock-table = ab\n", "line 2", "lock-table 'ab'");
	expect_error("[env a]\nlock-tabel = x\n", "line 2",
	    "unknown key 'lock-tabel'");
}

/* alarm-bell = yes|no: off unless asked; any other word is an error naming the line. */
static void
test_alarm_bell(void **state)
{
	struct dlc_config cfg;
	struct dlc_err err;

	(void)state;
	assert_int_equal(load_text(&cfg, "[dlc]\n", &err), 0);
	assert_int_equal(cfg.alarm_bell, 0);
	dlc_config_free(&cfg);
	assert_int_equal(load_text(&cfg, "[dlc]\nalarm-bell = yes\n", &err), 0);
	assert_int_equal(cfg.alarm_bell, 1);
	dlc_config_free(&cfg);
	assert_int_equal(load_text(&cfg, "[dlc]\nalarm-bell = no\n", &err), 0);
	assert_int_equal(cfg.alarm_bell, 0);
	dlc_config_free(&cfg);
	expect_error("[dlc]\n\nalarm-bell = loud\n", "line 3", "alarm-bell 'loud'");
	expect_error("[dlc]\nalarm-bells = yes\n", "line 2", "unknown key 'alarm-bells'");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repository_dlc_ini),
		cmocka_unit_test(test_defaults_and_order),
		cmocka_unit_test(test_dlc_section),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_repeats_refused),
		cmocka_unit_test(test_check_account),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_template_both_ways),
		cmocka_unit_test(test_policy_names_and_default_path),
		cmocka_unit_test(test_queue_parallel),
		cmocka_unit_test(test_keep_packages),
		cmocka_unit_test(test_lock_keys),
		cmocka_unit_test(test_alarm_bell),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
