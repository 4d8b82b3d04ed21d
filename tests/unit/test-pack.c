/*
 * Unit tests for src/pack.c and src/pack-zip.c with real files and the
 * real packer child (this test binary re-executes itself as `__pack`, as
 * dlc does): byte-identical zips for the same folder (mtimes touched in
 * between), sorted entries with fixed modes, times and no extra fields,
 * monotone progress ending at M/M, CodeSha256 against OpenSSL, cancel and
 * free mid-way leave no temporary file and no zombie, clear errors for an
 * unreadable file, a special file and links that leave the folder, and a
 * 10 ms timer that keeps firing while a large folder is packed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <zip.h>

#include "loop.h"
#include "pack.h"
#include "pack-zip.h"
#include "proc.h"

#define MAX_PROGRESS	4096

struct run {
	struct loop		*loop;
	struct pack		*pack;
	int			 done;
	int			 ok;
	struct pack_result	 res;
	struct dlc_err		 err;
	struct pack_progress	 pr[MAX_PROGRESS];
	size_t			 npr;
	int			 cancel_at_bytes;	/* pack_cancel at the first progress past 0 bytes */
	int			 free_at_bytes;		/* pack_free there instead */
	/* the 10 ms ticker */
	struct loop_timer	*tick;
	size_t			 ticks;
	uint64_t		 last_tick, max_gap;
};

static char tmproot[] = "/tmp/dlc-test-pack-XXXXXX";

static char *
path_of(const char *rel)
{
	static char buf[8][1024];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof buf[i], "%s/%s", tmproot, rel);
	return buf[i];
}

static void
write_file(const char *rel, const void *data, size_t len, mode_t mode)
{
	char *p = path_of(rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	assert_int_equal(chmod(p, mode), 0);
}

/* Incompressible bytes, fast: xorshift64. */
static void
write_random(const char *rel, size_t len, uint64_t seed)
{
	static uint64_t chunk[1 << 16];
	char *p = path_of(rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	size_t done = 0, i;

	assert_true(fd >= 0);
	while (done < len) {
		size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;

		for (i = 0; i < sizeof chunk / 8; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			chunk[i] = seed;
		}
		assert_int_equal(write(fd, chunk, n), (ssize_t)n);
		done += n;
	}
	close(fd);
}

static void
on_progress(const struct pack_progress *pr, void *arg)
{
	struct run *r = arg;

	if (r->npr < MAX_PROGRESS)
		r->pr[r->npr++] = *pr;
	if (pr->bytes_done > 0 && r->cancel_at_bytes) {
		r->cancel_at_bytes = 0;
		pack_cancel(r->pack);
	}
	if (pr->bytes_done > 0 && r->free_at_bytes) {
		r->free_at_bytes = 0;
		pack_free(r->pack);
		r->pack = NULL;
		r->done = 1;
	}
}

static void
on_done(const struct pack_result *res, const struct dlc_err *err, void *arg)
{
	struct run *r = arg;

	r->done = 1;
	if (res != NULL) {
		r->ok = 1;
		r->res = *res;
	} else {
		assert_non_null(err);
		r->err = *err;
	}
	pack_free(r->pack);	/* from inside done, as the header allows */
	r->pack = NULL;
}

static void
on_tick(void *arg)
{
	struct run *r = arg;
	uint64_t now = loop_now_ms();

	if (r->last_tick != 0 && now - r->last_tick > r->max_gap)
		r->max_gap = now - r->last_tick;
	r->last_tick = now;
	r->ticks++;
	loop_timer_start(r->tick, 10);
}

/* Runs one pack to its end (or until the pack is freed); returns r. */
static struct run *
run_pack(struct run *r, const char *src, const char *out, int ticker)
{
	struct dlc_err err;

	dlc_err_clear(&err);
	r->loop = loop_new();
	if (ticker) {
		r->tick = loop_timer_new(r->loop, on_tick, r);
		loop_timer_start(r->tick, 10);
	}
	r->pack = pack_start(r->loop, src, out, on_progress, on_done, r, &err);
	assert_non_null(r->pack);
	while (!r->done)
		loop_run_once(r->loop);
	loop_timer_free(r->tick);
	r->tick = NULL;
	/* A freed pack is reaped (and cleans up) on later turns. */
	while (proc_live_count() > 0)
		loop_run_once(r->loop);
	proc_shutdown();
	loop_free(r->loop);
	return r;
}

static int
same_file(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int ca, cb, same = 1;

	assert_non_null(fa);
	assert_non_null(fb);
	do {
		ca = getc(fa);
		cb = getc(fb);
		if (ca != cb)
			same = 0;
	} while (same && ca != EOF);
	fclose(fa);
	fclose(fb);
	return same;
}

/* Nothing named *.dlc-pack-* left in dir. */
static int
tmp_left(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, ".dlc-pack-") != NULL)
			n++;
	closedir(d);
	return n;
}

static void
make_tree(void)
{
	char big[100000];
	size_t i;

	mkdir(path_of("src"), 0755);
	mkdir(path_of("src/a"), 0755);
	mkdir(path_of("src/c"), 0755);
	mkdir(path_of("src/c/d"), 0755);
	mkdir(path_of("src/emptydir"), 0755);
	mkdir(path_of("out"), 0755);
	write_file("src/b.txt", "bee\n", 4, 0600);
	write_file("src/Z", "zed\n", 4, 0644);
	write_file("src/a/x.py", "print('x')\n", 11, 0644);
	write_file("src/a/y.sh", "#!/bin/sh\necho y\n", 17, 0700);
	write_file("src/empty", "", 0, 0644);
	for (i = 0; i < sizeof big; i++)
		big[i] = (char)("lambda "[i % 7] + (i / 7) % 3);
	write_file("src/c/d/e.bin", big, sizeof big, 0644);
	unlink(path_of("src/link"));
	assert_int_equal(symlink("a/x.py", path_of("src/link")), 0);
}

static void
touch_all(time_t t)
{
	const char *rels[] = { "src/b.txt", "src/Z", "src/a/x.py", "src/a/y.sh",
	    "src/empty", "src/c/d/e.bin", "src/a", "src" };
	struct utimbuf ub = { t, t };
	size_t i;

	for (i = 0; i < sizeof rels / sizeof rels[0]; i++)
		assert_int_equal(utime(path_of(rels[i]), &ub), 0);
}

static void
sha256_file(const char *path, unsigned char md[32], uint64_t *size)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char chunk[8192];
	unsigned int len = 0;
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	*size = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		EVP_DigestUpdate(ctx, chunk, n);
		*size += n;
	}
	fclose(f);
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	assert_int_equal(len, 32);
}

static void
test_reproducible(void **state)
{
	struct run *r = calloc(3, sizeof *r);

	(void)state;
	make_tree();
	touch_all(1700000000);
	run_pack(&r[0], path_of("src"), path_of("out/one.zip"), 0);
	assert_true(r[0].ok);
	run_pack(&r[1], path_of("src"), path_of("out/two.zip"), 0);
	assert_true(r[1].ok);
	assert_true(same_file(path_of("out/one.zip"), path_of("out/two.zip")));
	/* Other mtimes, a file rewritten with the same bytes: the same zip. */
	touch_all(1234567890);
	write_file("src/b.txt", "bee\n", 4, 0640);
	run_pack(&r[2], path_of("src"), path_of("out/two.zip"), 0);	/* replaces it */
	assert_true(r[2].ok);
	assert_true(same_file(path_of("out/one.zip"), path_of("out/two.zip")));
	assert_string_equal(r[0].res.sha256_hex, r[2].res.sha256_hex);
	assert_int_equal(tmp_left(path_of("out")), 0);
	free(r);
}

static void
test_entries_and_hash(void **state)
{
	static const struct { const char *name; unsigned mode; } want[] = {
		{ "Z", 0100644 }, { "a/x.py", 0100644 }, { "a/y.sh", 0100755 },
		{ "b.txt", 0100644 }, { "c/d/e.bin", 0100644 }, { "empty", 0100644 },
		{ "link", 0100644 },
	};
	struct run *r = calloc(1, sizeof *r);
	unsigned char md[32], b64[64];
	char hex[65];
	uint64_t size;
	zip_t *za;
	int zerr, i;

	(void)state;
	make_tree();
	run_pack(r, path_of("src"), path_of("out/e.zip"), 0);
	assert_true(r->ok);
	za = zip_open(path_of("out/e.zip"), ZIP_RDONLY, &zerr);
	assert_non_null(za);
	assert_int_equal(zip_get_num_entries(za, 0), 7);
	assert_int_equal(r->res.files, 7);
	for (i = 0; i < 7; i++) {
		zip_uint8_t opsys;
		zip_uint32_t attr;
		zip_stat_t st;

		assert_string_equal(zip_get_name(za, (zip_uint64_t)i, 0), want[i].name);
		assert_int_equal(zip_file_get_external_attributes(za, (zip_uint64_t)i, 0, &opsys, &attr), 0);
		assert_int_equal(opsys, ZIP_OPSYS_UNIX);
		assert_int_equal(attr >> 16, want[i].mode);
		assert_int_equal(zip_file_extra_fields_count(za, (zip_uint16_t)i, ZIP_FL_CENTRAL), 0);
		assert_int_equal(zip_file_extra_fields_count(za, (zip_uint16_t)i, ZIP_FL_LOCAL), 0);
		assert_int_equal(zip_stat_index(za, (zip_uint64_t)i, 0, &st), 0);
		assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
		assert_int_equal(st.mtime, 315532800);	/* 1980-01-01 00:00 (TZ=UTC in main) */
		if (strcmp(want[i].name, "link") == 0) {
			/* The link is stored as the file it points to. */
			char text[32] = "";
			zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)i, 0);

			assert_non_null(zf);
			assert_int_equal(zip_fread(zf, text, sizeof text - 1), 11);
			zip_fclose(zf);
			assert_string_equal(text, "print('x')\n");
		}
	}
	zip_close(za);

	sha256_file(path_of("out/e.zip"), md, &size);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	assert_string_equal(r->res.sha256_hex, hex);
	assert_int_equal(r->res.size, size);
	assert_int_equal(r->res.unzipped, 4 + 4 + 11 + 17 + 0 + 100000 + 11);
	EVP_EncodeBlock(b64, md, 32);
	assert_string_equal(r->res.code_sha256, (char *)b64);

	/* Progress: totals first, monotone, ending at M/M with every byte. */
	assert_true(r->npr >= 8);
	assert_int_equal(r->pr[0].files_done, 0);
	assert_int_equal(r->pr[0].bytes_done, 0);
	for (i = 1; i < (int)r->npr; i++) {
		assert_true(r->pr[i].files_done >= r->pr[i - 1].files_done);
		assert_true(r->pr[i].bytes_done >= r->pr[i - 1].bytes_done);
		assert_int_equal(r->pr[i].files_total, 7);
	}
	assert_int_equal(r->pr[r->npr - 1].files_done, 7);
	assert_int_equal(r->pr[r->npr - 1].bytes_done, 4 + 4 + 11 + 17 + 0 + 100000 + 11);
	assert_int_equal(r->pr[r->npr - 1].bytes_total, r->pr[r->npr - 1].bytes_done);
	free(r);
}

static void
test_source_date_epoch(void **state)
{
	struct run *r = calloc(1, sizeof *r);
	zip_stat_t st;
	zip_t *za;
	int zerr;

	(void)state;
	make_tree();
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);	/* 2023-11-14 22:13:20 UTC */
	run_pack(r, path_of("src"), path_of("out/sde.zip"), 0);
	unsetenv("SOURCE_DATE_EPOCH");
	assert_true(r->ok);
	za = zip_open(path_of("out/sde.zip"), ZIP_RDONLY, &zerr);
	assert_non_null(za);
	assert_int_equal(zip_stat_index(za, 0, 0, &st), 0);
	assert_int_equal(st.mtime, 1700000000);
	zip_close(za);
	free(r);
}

static void
big_tree(size_t mb)
{
	mkdir(path_of("big"), 0755);
	mkdir(path_of("out"), 0755);
	write_random("big/r1.bin", mb / 2 * 1024 * 1024, 88172645463325252ULL);
	write_random("big/r2.bin", mb / 2 * 1024 * 1024, 1234567ULL);
}

/*
 * Stops a 64 MB pack once it has read something, by cancel or by free:
 * no zip, no temporary folder, no child left, not even a zombie.
 */
static struct run *
stop_midway(int by_free, const char *out)
{
	struct run *r = calloc(1, sizeof *r);
	struct stat st;

	big_tree(64);
	if (by_free)
		r->free_at_bytes = 1;
	else
		r->cancel_at_bytes = 1;
	run_pack(r, path_of("big"), path_of(out), 0);
	assert_false(r->ok);
	assert_int_not_equal(stat(path_of(out), &st), 0);
	assert_int_equal(tmp_left(path_of("out")), 0);
	assert_int_equal(proc_live_count(), 0);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	return r;
}

static void
test_cancel(void **state)
{
	struct run *r;

	(void)state;
	r = stop_midway(0, "out/big.zip");
	assert_string_equal(r->err.code, "Cancelled");
	assert_true(r->npr >= 2 && r->pr[r->npr - 1].bytes_done < r->pr[0].bytes_total);
	free(r);
}

static void
test_free_running(void **state)
{
	(void)state;
	free(stop_midway(1, "out/freed.zip"));
}

static void
test_loop_keeps_turning(void **state)
{
	struct run *r = calloc(1, sizeof *r);
	uint64_t start = loop_now_ms(), took;

	(void)state;
	big_tree(24);
	run_pack(r, path_of("big"), path_of("out/t.zip"), 1);
	took = loop_now_ms() - start;
	assert_true(r->ok);
	print_message("packed 24 MB in %llu ms: %zu ticks, longest gap %llu ms\n",
	    (unsigned long long)took, r->ticks, (unsigned long long)r->max_gap);
	/* Generous for a shared machine; a blocked loop would show seconds. */
	assert_true(r->ticks >= 10);
	assert_true(r->max_gap < 400);
	free(r);
}

static void
expect_error(const char *src, const char *needle)
{
	struct run *r = calloc(1, sizeof *r);
	struct stat st;

	run_pack(r, src, path_of("out/bad.zip"), 0);
	assert_false(r->ok);
	assert_string_equal(r->err.code, "PackFailed");
	if (strstr(r->err.message, needle) == NULL)
		fail_msg("'%s' not in '%s'", needle, r->err.message);
	assert_true(r->err.fix[0] != '\0');
	assert_int_not_equal(stat(path_of("out/bad.zip"), &st), 0);
	assert_int_equal(tmp_left(path_of("out")), 0);
	free(r);
}

static void
test_refusals(void **state)
{
	(void)state;
	mkdir(path_of("out"), 0755);
	mkdir(path_of("fifo"), 0755);
	write_file("fifo/ok", "ok", 2, 0644);
	unlink(path_of("fifo/pipe"));
	assert_int_equal(mkfifo(path_of("fifo/pipe"), 0644), 0);
	expect_error(path_of("fifo"), "fifo/pipe: not a regular file");

	mkdir(path_of("outside"), 0755);
	write_file("outside/ok", "ok", 2, 0644);
	unlink(path_of("outside/creds"));
	assert_int_equal(symlink("/etc/passwd", path_of("outside/creds")), 0);
	expect_error(path_of("outside"), "outside/creds: a symbolic link to /etc/passwd");

	mkdir(path_of("dangling"), 0755);
	unlink(path_of("dangling/gone"));
	assert_int_equal(symlink("nothing-here", path_of("dangling/gone")), 0);
	expect_error(path_of("dangling"), "dangling/gone: a symbolic link to nothing");

	{
		struct run *r = calloc(1, sizeof *r);

		run_pack(r, path_of("fifo"), path_of("fifo/self.zip"), 0);
		assert_false(r->ok);
		assert_non_null(strstr(r->err.message, "would be written inside the folder"));
		assert_int_equal(tmp_left(path_of("fifo")), 0);
		free(r);
	}

	mkdir(path_of("none"), 0755);
	expect_error(path_of("none"), "has no files to package");
	expect_error(path_of("no-such-folder"), "cannot read the folder");
}

/* A copy of this binary that nobody may run, wherever the build tree is. */
static void
copy_self(const char *to)
{
	char chunk[65536];
	int in = open("/proc/self/exe", O_RDONLY), out;
	ssize_t n;

	assert_true(in >= 0);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	assert_true(out >= 0);
	while ((n = read(in, chunk, sizeof chunk)) > 0)
		assert_int_equal(write(out, chunk, (size_t)n), n);
	assert_int_equal(n, 0);
	close(in);
	close(out);
}

/*
 * A file the packer may not read. Root reads everything, so as root the
 * check runs in a child that has become nobody, packing with a copy of
 * this binary that nobody can run.
 */
static void
test_unreadable(void **state)
{
	char dir[1100], outdir[1100];
	pid_t pid;
	int status;

	(void)state;
	snprintf(dir, sizeof dir, "%s/unread", tmproot);
	snprintf(outdir, sizeof outdir, "%s/unread-out", tmproot);
	mkdir(dir, 0755);
	mkdir(outdir, 0777);
	chmod(tmproot, 0755);
	chmod(outdir, 0777);	/* nobody writes its zip here */
	write_file("unread/ok", "ok", 2, 0644);
	write_file("unread/secret", "s", 1, 0000);
	copy_self(path_of("packer"));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct run *r = calloc(1, sizeof *r);
		char out[1200];
		struct dlc_err err;

		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(10);
		snprintf(out, sizeof out, "%s/bad.zip", outdir);
		pack_set_program(path_of("packer"));
		dlc_err_clear(&err);
		r->loop = loop_new();
		r->pack = pack_start(r->loop, dir, out, on_progress, on_done, r, &err);
		if (r->pack == NULL)
			_exit(11);
		while (!r->done)
			loop_run_once(r->loop);
		if (r->ok)
			_exit(12);
		if (strstr(r->err.message, "cannot read") == NULL ||
		    strstr(r->err.message, "unread/secret: Permission denied") == NULL) {
			fprintf(stderr, "got: %s\n", r->err.message);
			_exit(13);
		}
		if (access(out, F_OK) == 0 || tmp_left(outdir) != 0)
			_exit(14);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static int
remove_tree(void)
{
	char cmd[1200];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmproot);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_entries_and_hash),
		cmocka_unit_test(test_source_date_epoch),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_free_running),
		cmocka_unit_test(test_loop_keeps_turning),
	};
	int rc;

	/* The packer child is this binary, as it is dlc in real use. */
	if (argc > 1 && strcmp(argv[1], PACK_ZIP_COMMAND) == 0)
		return pack_zip_main(argc, argv);
	setenv("TZ", "UTC", 1);
	tzset();
	unsetenv("SOURCE_DATE_EPOCH");
	if (mkdtemp(tmproot) == NULL)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	remove_tree();
	return rc;
}
