/*
 * Unit tests for src/new-scaffold.c: Lambda's name rules (and an
 * environment's template making a name too long), the spec refusing an
 * existing folder and a missing flattenjson layer, aws-wrangler used only
 * when there, and the folder written whole, with nothing left behind on
 * a refusal.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <ftw.h>

#include "new-scaffold.h"
#include "xmalloc.h"

static char dir[] = "/tmp/dlc-test-new-XXXXXX";

static void
put(const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", dir, rel);
	FILE *f;

	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static void
sub(const char *rel)
{
	char *path = xasprintf("%s/%s", dir, rel);

	assert_int_equal(mkdir(path, 0777), 0);
	free(path);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static size_t
entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_names(void **state)
{
	struct dlc_env env = { .name = "alpha",
		.function_name = "datalake-alpha-{function}",
		.deploy = DEPLOY_ALLOW, .line = 1 };
	struct dlc_config cfg;
	struct dlc_err err;
	char name[80];

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(new_scaffold_check_name("orders-to-s3-raw", NULL, &err), 0);
	assert_int_equal(new_scaffold_check_name("Orders_2", NULL, &err), 0);
	assert_int_equal(new_scaffold_check_name("", NULL, &err), -1);
	assert_int_equal(new_scaffold_check_name("a.b", NULL, &err), -1);
	assert_string_equal(err.code, "BadName");
	assert_non_null(strstr(err.message, "'.' at 2"));
	assert_int_equal(new_scaffold_check_name("../x", NULL, &err), -1);
	assert_int_equal(new_scaffold_check_name("a b", NULL, &err), -1);
	assert_int_equal(new_scaffold_check_name("_hidden", NULL, &err), -1);
	memset(name, 'a', 64);
	name[64] = '\0';
	assert_int_equal(new_scaffold_check_name(name, NULL, &err), 0);
	name[64] = 'a';
	name[65] = '\0';
	assert_int_equal(new_scaffold_check_name(name, NULL, &err), -1);
	assert_non_null(strstr(err.message, "at most 64"));
	/* 60 is fine alone, not once "datalake-alpha-" is in front */
	name[60] = '\0';
	memset(&cfg, 0, sizeof cfg);
	cfg.envs = &env;
	cfg.n_envs = 1;
	assert_int_equal(new_scaffold_check_name(name, &cfg, &err), -1);
	assert_non_null(strstr(err.message, "in alpha"));
	assert_non_null(strstr(err.fix, "by 11"));
}

static void
test_spec_and_write(void **state)
{
	struct new_spec spec;
	struct dlc_err err;
	enum new_source src;
	char **files = NULL, *path;
	size_t n = 0, i;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	dlc_err_clear(&err);
	assert_int_equal(new_source_parse("kinesis", &src), 0);
	assert_int_equal(src, NEW_SOURCE_KINESIS);
	assert_int_equal(new_source_parse("sqs", &src), -1);

	/* no layers: refused, then a function (not a layer) named flattenjson */
	assert_int_equal(new_spec_init(&spec, dir, "orders-to-s3-raw", NEW_SOURCE_DYNAMODB, &err), -1);
	assert_string_equal(err.code, "NoLayer");
	assert_non_null(strstr(err.message, "/aws-wrangler is no layer folder"));
	sub("aws-wrangler");
	put("aws-wrangler/function.ini", "[function]\nkind = layer\n");
	sub("flattenjson");
	put("flattenjson/function.ini", "[function]\nkind = function\n");
	assert_int_equal(new_spec_init(&spec, dir, "orders-to-s3-raw", NEW_SOURCE_DYNAMODB, &err), -1);
	assert_non_null(strstr(err.message, "/flattenjson is no layer folder"));
	put("flattenjson/function.ini", "[function]\nkind = layer\n");
	assert_int_equal(new_spec_init(&spec, dir, "Orders-to-s3-raw", NEW_SOURCE_DYNAMODB, &err), 0);
	assert_string_equal(spec.table, "orders");
	new_spec_free(&spec);
	assert_int_equal(new_spec_init(&spec, dir, "orders-to-s3-raw", NEW_SOURCE_SCHEDULE, &err), 0);
	assert_int_equal(spec.n_layers, 2);
	assert_string_equal(spec.layers[0], "aws-wrangler");

	assert_int_equal(new_scaffold_write(&spec, &files, &n, &err), 0);
	for (i = 1; i < n; i++)
		assert_true(strcmp(files[i - 1], files[i]) < 0);
	path = xasprintf("%s/orders-to-s3-raw/src/checkpoint.py", dir);
	assert_int_equal(stat(path, &st), 0);
	free(path);
	path = xasprintf("%s/orders-to-s3-raw/src/records.py", dir);
	assert_int_not_equal(stat(path, &st), 0);	/* a dynamodb file, not a schedule's */
	free(path);
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	/* function.ini, aws-wrangler, flattenjson and the new folder: no hidden one left */
	assert_int_equal(entries(dir), 3);

	/* written once: a second time is refused, by the spec and by the writer */
	assert_int_equal(new_scaffold_write(&spec, &files, &n, &err), -1);
	assert_string_equal(err.code, "Exists");
	assert_null(files);
	assert_int_equal(entries(dir), 3);
	new_spec_free(&spec);
	assert_int_equal(new_spec_init(&spec, dir, "orders-to-s3-raw", NEW_SOURCE_KINESIS, &err), -1);
	assert_string_equal(err.code, "Exists");
	path = xasprintf("%s/missing", dir);
	assert_int_equal(new_spec_init(&spec, path, "x", NEW_SOURCE_KINESIS, &err), -1);
	assert_string_equal(err.code, "NoFunctionsDir");
	free(path);
	new_spec_free(NULL);
	assert_int_equal(nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_spec_and_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
