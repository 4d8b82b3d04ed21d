/*
 * Unit tests for src/package-keep.c on real files: the kept path, a hard
 * link on the same file system, a copy across file systems (/dev/shm is
 * tmpfs), an already kept package, a failed copy, and pruning to the last
 * N deployments without touching a package a job still refers to.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "hash.h"
#include "jobstate.h"
#include "loop.h"
#include "package-keep.h"
#include "proc.h"
#include "testfs.h"
#include "xmalloc.h"

#define HEX_A	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

struct kept {
	int	done;
	char	path[1024];
	char	code[128];
};

static void
on_kept(const char *kept, const struct dlc_err *err, void *arg)
{
	struct kept *k = arg;

	k->done = 1;
	snprintf(k->path, sizeof(k->path), "%s", kept != NULL ? kept : "");
	snprintf(k->code, sizeof(k->code), "%s", err != NULL ? err->code : "");
}

static void
keep(const char *zip, const char *sha, struct kept *k)
{
	struct loop *loop = loop_new();
	struct package_keep *pk;
	struct dlc_err err;

	memset(k, 0, sizeof(*k));
	dlc_err_clear(&err);
	pk = package_keep_start(loop, "alpha", "f1", zip, sha, on_kept, k, &err);
	assert_non_null(pk);
	assert_int_equal(loop_run_until(loop, &k->done), 0);
	package_keep_free(pk);
	proc_shutdown();
	loop_free(loop);
}

/* The hex digest of n repeated, and its CodeSha256 (base64) form. */
static void
digest_of(int n, char hex[65], char **b64)
{
	unsigned char raw[32];

	memset(raw, n, sizeof(raw));
	hash_hex(raw, sizeof(raw), hex);
	*b64 = hash_base64_encode(raw, sizeof(raw));
}

/* Temporary files left in alpha/f1's package folder. */
static int
tmp_files(void)
{
	DIR *d = opendir(testfs_path("state/dlc/packages/alpha/f1"));
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, ".tmp.") != NULL)
			n++;
	closedir(d);
	return n;
}

static void
test_paths(void **state)
{
	char hex[65], *b64, *p1, *p2;

	(void)state;
	digest_of(0xab, hex, &b64);
	p1 = package_keep_path("alpha", "f1", hex);
	p2 = package_keep_path("alpha", "f1", b64);
	assert_non_null(p1);
	assert_string_equal(p1, p2);
	assert_non_null(strstr(p1, "/dlc/packages/alpha/f1/abababab"));
	assert_string_equal(p1 + strlen(p1) - 4, ".zip");
	free(p2);
	/* Upper-case hex is the same package. */
	p2 = package_keep_path("alpha", "f1", "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB");
	assert_string_equal(p1, p2);
	free(p1);
	free(p2);
	assert_null(package_keep_path("alpha", "f1", "abc"));
	assert_null(package_keep_path("alpha", "f1", NULL));
	assert_null(package_keep_path("..", "f1", HEX_A));
	assert_null(package_keep_path("alpha", "a/b", HEX_A));
	assert_null(package_keep_path("alpha", "", HEX_A));
	/* Nothing kept yet. */
	assert_null(package_keep_find("alpha", "f1", HEX_A));
	free(b64);
}

static void
test_link_copy_and_again(void **state)
{
	const char *zip = testfs_path("build/f1.zip");
	char shm[] = "/dev/shm/dlc-test-package-keep.XXXXXX", *shmzip;
	struct stat zs, ks, ss;
	struct kept k;
	char *found;
	FILE *f;

	(void)state;
	assert_int_equal(mkdir(testfs_path("build"), 0700), 0);
	testfs_put(zip, "PK fake zip one", 0644);
	keep(zip, HEX_A, &k);
	assert_string_equal(k.code, "");
	found = package_keep_find("alpha", "f1", HEX_A);
	assert_non_null(found);
	assert_string_equal(found, k.path);
	/* Same file system: a hard link, no second copy of the bytes. */
	assert_int_equal(stat(zip, &zs), 0);
	assert_int_equal(stat(k.path, &ks), 0);
	assert_true(zs.st_ino == ks.st_ino);
	assert_int_equal(ks.st_nlink, 2);
	free(found);

	/* Kept already: answered at once, nothing copied. */
	keep(zip, HEX_A, &k);
	assert_string_equal(k.code, "");
	assert_int_equal(stat(k.path, &ks), 0);
	assert_int_equal(ks.st_nlink, 2);

	/* Another file system (tmpfs): a copy, byte for byte. */
	assert_non_null(mkdtemp(shm));
	assert_int_equal(stat(shm, &ss), 0);
	assert_true(ss.st_dev != zs.st_dev);
	shmzip = xasprintf("%s/f1.zip", shm);
	f = fopen(shmzip, "w");
	assert_non_null(f);
	for (int i = 0; i < 200000; i++)
		fputs("0123456789", f);
	fclose(f);
	keep(shmzip, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", &k);
	assert_string_equal(k.code, "");
	assert_int_equal(stat(k.path, &ks), 0);
	assert_int_equal(ks.st_size, 2000000);
	assert_int_equal(ks.st_nlink, 1);
	/* Only final names in the folder: no temporary left. */
	assert_int_equal(tmp_files(), 0);
	unlink(shmzip);
	rmdir(shm);
	free(shmzip);
}

static void
test_failed_copy(void **state)
{
	struct kept k;

	(void)state;
	/* A folder is no zip: neither ln nor cp take it. */
	assert_int_equal(mkdir(testfs_path("notazip"), 0700), 0);
	keep(testfs_path("notazip"), "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", &k);
	assert_string_equal(k.code, "PackageKeepFailed");
	assert_string_equal(k.path, "");
	assert_null(package_keep_find("alpha", "f1",
	    "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"));
	assert_int_equal(tmp_files(), 0);
}

/* A finished deployment of alpha/f1 with digest n, ended at minute n. */
static void
deployed(struct jobstate_set *set, int n, const char *outcome)
{
	char hex[65], *b64, *json;
	cJSON *rec;

	digest_of(n, hex, &b64);
	json = xasprintf("{\"t\":\"2026-12-03T09:00:00.000Z\",\"job\":\"0000%04d\",\"ev\":\"queued\","
	    "\"env\":\"alpha\",\"function\":\"f1\"}", n);
	rec = cJSON_Parse(json);
	jobstate_set_add(set, rec);
	cJSON_Delete(rec);
	free(json);
	json = xasprintf("{\"t\":\"2026-12-03T10:%02d:00.000Z\",\"job\":\"0000%04d\",\"ev\":\"end\","
	    "\"outcome\":\"%s\",\"code_sha256\":\"%s\"}", n, n, outcome, b64);
	rec = cJSON_Parse(json);
	assert_non_null(jobstate_set_add(set, rec));
	cJSON_Delete(rec);
	free(json);
	free(b64);
	testfs_put(testfs_path("state/dlc/packages/alpha/f1/%s.zip", hex), "zip", 0644);
}

static int
present(int n)
{
	char hex[65], *b64, *p;
	int found;

	digest_of(n, hex, &b64);
	p = package_keep_find("alpha", "f1", hex);
	found = p != NULL;
	free(p);
	free(b64);
	return found;
}

static void
test_prune(void **state)
{
	struct jobstate_set *set = jobstate_set_new();
	struct dlc_err err;
	char hex[65], *b64, *rb, *tmpdead;
	cJSON *rec;
	int i;

	(void)state;
	assert_int_equal(system("mkdir -p \"$XDG_STATE_HOME/dlc/packages/alpha/f1\""), 0);	/* lint-ok */
	for (i = 1; i <= 4; i++)
		deployed(set, i, "deployed");
	/* Four deployments, keep five: the history may be short, nothing goes. */
	assert_int_equal(package_keep_prune("alpha", "f1", 5, set, NULL, &err), 0);
	for (i = 1; i <= 4; i++)
		assert_true(present(i));
	for (i = 5; i <= 8; i++)
		deployed(set, i, "deployed");
	/* A failed one does not count as a deployment. */
	deployed(set, 9, "failed");
	/* A rollback waiting to send package 1. */
	digest_of(1, hex, &b64);
	rb = package_keep_path("alpha", "f1", hex);
	rec = cJSON_CreateObject();
	cJSON_AddStringToObject(rec, "t", "2026-12-03T11:00:00.000Z");
	cJSON_AddStringToObject(rec, "job", "rrrr0001");
	cJSON_AddStringToObject(rec, "ev", "queued");
	cJSON_AddStringToObject(rec, "env", "alpha");
	cJSON_AddStringToObject(rec, "function", "f1");
	cJSON_AddStringToObject(rec, "kind", "rollback");
	cJSON_AddStringToObject(rec, "package", rb);
	jobstate_set_add(set, rec);
	cJSON_Delete(rec);
	/* Leftovers of copies: one whose process is gone, one of ours. */
	tmpdead = xasprintf("%s.tmp.999999999.0", rb);
	testfs_put(tmpdead, "half", 0644);
	testfs_put(testfs_path("state/dlc/packages/alpha/f1/x.zip.tmp.%ld.0", (long)getpid()), "half", 0644);
	/*
	 * Keep 5: deployments 4..8 stay, 1 stays for the rollback; 2, 3, the
	 * failed 9 and the two zips the earlier test kept (no deployment of
	 * theirs in this history) go.
	 */
	assert_int_equal(package_keep_prune("alpha", "f1", 5, set, NULL, &err), 5);
	assert_null(package_keep_find("alpha", "f1", HEX_A));
	assert_true(present(1));
	assert_false(present(2));
	assert_false(present(3));
	for (i = 4; i <= 8; i++)
		assert_true(present(i));
	assert_false(present(9));
	assert_int_not_equal(access(tmpdead, F_OK), 0);
	assert_int_equal(access(testfs_path("state/dlc/packages/alpha/f1/x.zip.tmp.%ld.0", (long)getpid()), F_OK), 0);
	/* also_keep: the zip of a deployment whose end is not folded yet. */
	free(b64);
	digest_of(4, hex, &b64);
	free(rb);
	rb = package_keep_path("alpha", "f1", hex);
	assert_int_equal(package_keep_prune("alpha", "f1", 3, set, rb, &err), 1);
	assert_true(present(4));
	assert_false(present(5));
	assert_true(present(6));
	/* A function with no folder: nothing to do. */
	assert_int_equal(package_keep_prune("alpha", "nofn", 1, set, NULL, &err), 0);
	free(b64);
	free(rb);
	free(tmpdead);
	jobstate_set_free(set);
}

static int
setup(void **state)
{
	(void)state;
	if (testfs_init("package-keep") != 0)
		return -1;
	setenv("XDG_STATE_HOME", testfs_path("state"), 1);
	return mkdir(testfs_path("state"), 0700);
}

static int
teardown(void **state)
{
	(void)state;
	return testfs_cleanup();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_link_copy_and_again),
		cmocka_unit_test(test_failed_copy),
		cmocka_unit_test(test_prune),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
