/*
 * src/s3.c against the real tests/fakeaws, which checks S3's SigV4 (the
 * signed x-amz-content-sha256 against the bytes it received, the path as
 * sent): a streamed 100 MB upload with monotone progress and flat memory,
 * its ETag and headers read back, keys that a normalising signer would
 * break, UNSIGNED-PAYLOAD, and S3's errors with their bodies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "aws.h"
#include "awsconfig.h"
#include "creds.h"
#include "hash.h"
#include "http.h"
#include "loop.h"
#include "s3.h"
#include "testserver.h"
#include "xmalloc.h"

/* tests/fakeaws/seed/accounts.json: the alpha account's key. */
#define ALPHA_KEY	"AKIAFAKEALPHA0000001"
#define ALPHA_SECRET	"fakeAlphaSecretKey0000000000000000000001"
#define BUCKET		"dlc-unit-s3"
#define BIG		(100u * 1024 * 1024)

static struct testserver fa;
static struct aws_ctx ctx;
static struct creds_provider *keys, *wrong;
static struct aws_env *env, *wrong_env;

struct result {
	int		 done;
	int		 ok;
	long		 status;
	char		*body;
	struct dlc_err	 err;
	char		 etag[80];
	char		 length[32];
	char		 request_id[80];
	struct test_progress progress;
};

static void
on_done(int ok, struct aws_response *resp, void *arg)
{
	struct result *r = arg;
	const char *v;

	r->done = 1;
	r->ok = ok;
	r->status = resp->status;
	r->err = resp->err;
	free(r->body);
	r->body = buf_detach(&resp->body, NULL);
	if ((v = aws_response_header(resp, "etag")) != NULL)
		snprintf(r->etag, sizeof r->etag, "%s", v);
	if ((v = aws_response_header(resp, "Content-Length")) != NULL)
		snprintf(r->length, sizeof r->length, "%s", v);
	if (resp->request_id != NULL)
		snprintf(r->request_id, sizeof r->request_id, "%s", resp->request_id);
}

static void
on_progress(uint64_t sent, uint64_t total, void *arg)
{
	struct result *r = arg;

	test_progress_note(&r->progress, sent, total);
}

static void
run(struct result *r)
{
	assert_int_equal(loop_run_until(ctx.loop, &r->done), 0);
}

static struct creds_provider *
static_keys(const char *secret)
{
	struct aws_credentials c = { .access_key_id = ALPHA_KEY,
	    .secret_access_key = (char *)secret, .source = "test" };

	return creds_static_new(&c);
}

static int
group_setup(void **state)
{
	const char *args[] = { "--port", "0", "--port-file", "@PORTFILE@",
	    "--log-events-per-function", "1", NULL };
	struct result r = { 0 };

	if (testserver_start(&fa, "tests/fakeaws/fakeaws.py", args) != 0)
		return -1;
	unsetenv("AWS_MAX_ATTEMPTS");
	if ((ctx.cfg = testserver_aws_config(&fa, "a")) == NULL)
		return -1;
	ctx.loop = loop_new();
	ctx.http = http_new(ctx.loop);
	keys = static_keys(ALPHA_SECRET);
	wrong = static_keys("wrongSecretKey00000000000000000000000001");
	env = aws_env_new(&ctx, "alpha", "a", "eu-west-1", keys);
	wrong_env = aws_env_new(&ctx, "alpha", "a", "eu-west-1", wrong);
	s3_create_bucket(env, BUCKET, on_done, &r);
	run(&r);
	free(r.body);
	return r.ok;
}

static int
group_teardown(void **state)
{
	aws_env_free(env);
	aws_env_free(wrong_env);
	creds_provider_free(keys);
	creds_provider_free(wrong);
	http_free(ctx.http);
	loop_free(ctx.loop);
	aws_config_free(ctx.cfg);
	testserver_stop(&fa);
	return 0;
}

/* "\"hex md5\"" of the file, as S3 gives it for a single PUT. */
static void
file_etag(const char *path, char out[40])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char digest[16];
	char *chunk = xmalloc(1 << 20);
	unsigned int n = 0;
	ssize_t got;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	EVP_DigestInit_ex(md, EVP_md5(), NULL);
	while ((got = read(fd, chunk, 1 << 20)) > 0)
		EVP_DigestUpdate(md, chunk, (size_t)got);
	EVP_DigestFinal_ex(md, digest, &n);
	EVP_MD_CTX_free(md);
	close(fd);
	free(chunk);
	out[0] = '"';
	hash_hex(digest, 16, out + 1);
	out[33] = '"';
	out[34] = '\0';
}

static char *
make_file(const char *dir, const char *name, size_t size)
{
	char *path = xasprintf("%s/%s", dir, name);
	char block[4096];
	size_t i;
	off_t at;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	/* Sparse, with a pattern block every 7 MB so the digest means something. */
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	for (i = 0; i < sizeof block; i++)
		block[i] = (char)('A' + i % 61);
	for (at = 0; at + (off_t)sizeof block <= (off_t)size; at += 7 * 1024 * 1024)
		assert_int_equal(pwrite(fd, block, sizeof block, at), (ssize_t)sizeof block);
	close(fd);
	return path;
}

static long
peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void
test_streamed_100mb_upload(void **state)
{
	struct result r = { 0 }, h = { 0 };
	char etag[40], want_len[32];
	char *path = make_file(fa.dir, "package.zip", BIG);
	long before, grew;

	file_etag(path, etag);
	before = peak_rss_kb();
	s3_put_object(env, BUCKET, "builds/alpha/package.zip", path, on_progress, on_done, &r);
	run(&r);
	grew = peak_rss_kb() - before;
	print_message("100 MB upload: %d progress reports, peak RSS grew %ld KB\n",
	    r.progress.calls, grew);
	assert_int_equal(r.ok, 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.etag, etag);
	assert_int_equal(r.progress.stalls, 0);
	assert_int_equal(r.progress.restarts, 0);
	assert_true(r.progress.calls > 10);
	assert_int_equal(r.progress.last, BIG);
	assert_int_equal(r.progress.total, BIG);
	/* A copy of the file in memory would be 100 MB; this is buffers only. */
	assert_true(grew < 24 * 1024);

	s3_head_object(env, BUCKET, "builds/alpha/package.zip", on_done, &h);
	run(&h);
	snprintf(want_len, sizeof want_len, "%u", BIG);
	assert_int_equal(h.ok, 0);
	assert_string_equal(h.etag, etag);
	assert_string_equal(h.length, want_len);
	assert_true(h.request_id[0] != '\0');
	unlink(path);
	free(path);
	free(r.body);
	free(h.body);
}

static void
test_keys_are_signed_as_sent(void **state)
{
	/* A normalising signer would sign "/b/alpha fn/..." and fail. */
	const char *key = "builds/./alpha fn/../pkg+1 (copy).zip";
	struct result r = { 0 }, h = { 0 };
	char *path = make_file(fa.dir, "small.zip", 10000);
	char *target = s3_target(BUCKET, key);

	assert_string_equal(target, "/" BUCKET "/builds/./alpha%20fn/../pkg%2B1%20%28copy%29.zip");
	s3_put_object(env, BUCKET, key, path, NULL, on_done, &r);
	run(&r);
	assert_int_equal(r.ok, 0);
	s3_head_object(env, BUCKET, key, on_done, &h);
	run(&h);
	assert_int_equal(h.ok, 0);
	assert_string_equal(h.length, "10000");
	unlink(path);
	free(path);
	free(target);
	free(r.body);
	free(h.body);
}

static void
test_unsigned_payload(void **state)
{
	char *path = make_file(fa.dir, "unsigned.zip", 5000);
	char *target = s3_target(BUCKET, "unsigned.zip");
	struct aws_request req = { .operation = "PutObject", .method = "PUT",
	    .target = target, .body_path = path, .unsigned_payload = 1 };
	struct result r = { 0 };
	char etag[40];

	file_etag(path, etag);
	aws_send(env, &aws_service_s3, &req, on_done, &r);
	run(&r);
	assert_int_equal(r.ok, 0);
	assert_string_equal(r.etag, etag);
	unlink(path);
	free(path);
	free(target);
	free(r.body);
}

static void
test_errors_carry_code_body_and_request_id(void **state)
{
	char *path = make_file(fa.dir, "e.zip", 100);
	struct result r = { 0 }, h = { 0 }, w = { 0 };

	s3_put_object(env, "dlc-no-such-bucket", "k", path, NULL, on_done, &r);
	run(&r);
	assert_int_equal(r.ok, -1);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.err.code, "NoSuchBucket");
	assert_string_equal(r.err.message, "The specified bucket does not exist");
	assert_non_null(strstr(r.body, "<BucketName>dlc-no-such-bucket</BucketName>"));
	assert_true(r.request_id[0] != '\0');
	assert_string_equal(r.err.request_id, r.request_id);

	s3_head_object(env, BUCKET, "missing", on_done, &h);
	run(&h);
	assert_int_equal(h.ok, -1);
	assert_string_equal(h.err.code, "404");

	s3_put_object(wrong_env, BUCKET, "k", path, NULL, on_done, &w);
	run(&w);
	assert_int_equal(w.ok, -1);
	assert_string_equal(w.err.code, "SignatureDoesNotMatch");
	unlink(path);
	free(path);
	free(r.body);
	free(h.body);
	free(w.body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_streamed_100mb_upload),
		cmocka_unit_test(test_keys_are_signed_as_sent),
		cmocka_unit_test(test_unsigned_payload),
		cmocka_unit_test(test_errors_carry_code_body_and_request_id),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
