/*
 * Unit tests for src/lambda-write.c: the requests of UpdateFunctionCode
 * (inline ZipFile as base64, or S3Bucket/S3Key), UpdateFunctionConfiguration
 * (Layers only, in order), PublishLayerVersion and GetLayerVersion as the
 * wire wants them (method, path, JSON body), the answers parsed, and the
 * inline size rule of aws-notes.md.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "aws.h"
#include "buf.h"
#include "hash.h"
#include "lambda-write.h"

struct built {
	struct aws_request	 req;
	char			*owned[AWS_OP_MAX_OWNED];
	cJSON			*body;
};

static void
build(const struct aws_op *op, const void *args, struct built *b)
{
	memset(b, 0, sizeof *b);
	op->request(args, NULL, &b->req, b->owned);
	b->body = NULL;
	if (b->req.body != NULL) {
		size_t len = b->req.body_len > 0 ? b->req.body_len :
		    strlen(b->req.body);

		b->body = cJSON_ParseWithLength(b->req.body, len);
		assert_non_null(b->body);
	}
}

static void
built_free(struct built *b)
{
	int i;

	for (i = 0; i < AWS_OP_MAX_OWNED; i++)
		free(b->owned[i]);
	cJSON_Delete(b->body);
}

static const char *
member(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
test_update_code_inline(void **state)
{
	static const unsigned char zip[] = "PK\3\4 not really a zip \xff\x00";
	struct lambda_update_code_args a;
	struct built b;
	struct buf dec;
	const char *z;

	(void)state;
	memset(&a, 0, sizeof a);
	a.function_name = "datalake-alpha-mambu-to-s3-raw";
	a.zip = zip;
	a.zip_len = sizeof zip;
	build(&lambda_op_update_function_code, &a, &b);
	assert_string_equal(b.req.method, "PUT");
	assert_string_equal(b.req.target,
	    "/2015-03-31/functions/datalake-alpha-mambu-to-s3-raw/code");
	assert_int_equal(cJSON_GetArraySize(b.body), 1);
	z = member(b.body, "ZipFile");
	assert_non_null(z);
	/* The bytes round-trip exactly, the NUL and 0xff included. */
	buf_init(&dec, 0);
	assert_int_equal(hash_base64_decode(z, strlen(z), &dec), 0);
	assert_int_equal(dec.len, sizeof zip);
	assert_memory_equal(dec.data, zip, sizeof zip);
	buf_free(&dec);
	assert_int_equal(b.req.body_len, strlen(b.req.body));
	built_free(&b);
}

static void
test_update_code_s3(void **state)
{
	struct lambda_update_code_args a;
	struct built b;

	(void)state;
	memset(&a, 0, sizeof a);
	/* An ARN is encoded once in the path (the signer encodes it again). */
	a.function_name = "arn:aws:lambda:eu-west-1:111111111111:function:f";
	a.s3_bucket = "datalake-alpha-artifacts";
	a.s3_key = "dlc/alpha/f/ab.zip";
	build(&lambda_op_update_function_code, &a, &b);
	assert_string_equal(b.req.target, "/2015-03-31/functions/"
	    "arn%3Aaws%3Alambda%3Aeu-west-1%3A111111111111%3Afunction%3Af/code");
	assert_string_equal(member(b.body, "S3Bucket"),
	    "datalake-alpha-artifacts");
	assert_string_equal(member(b.body, "S3Key"), "dlc/alpha/f/ab.zip");
	assert_null(member(b.body, "ZipFile"));
	assert_int_equal(cJSON_GetArraySize(b.body), 2);
	built_free(&b);
}

static void
test_update_layers(void **state)
{
	static const char *const layers[] = {
		"arn:aws:lambda:eu-west-1:1:layer:b:3",
		"arn:aws:lambda:eu-west-1:1:layer:a:\"7",
	};
	struct lambda_update_layers_args a;
	struct built b;
	const cJSON *l;

	(void)state;
	a.function_name = "f";
	a.layers = layers;
	a.n_layers = 2;
	build(&lambda_op_update_function_configuration, &a, &b);
	assert_string_equal(b.req.method, "PUT");
	assert_string_equal(b.req.target,
	    "/2015-03-31/functions/f/configuration");
	/* Only Layers: every other setting stays as it is. */
	assert_int_equal(cJSON_GetArraySize(b.body), 1);
	l = cJSON_GetObjectItemCaseSensitive(b.body, "Layers");
	assert_int_equal(cJSON_GetArraySize(l), 2);
	assert_string_equal(cJSON_GetArrayItem(l, 0)->valuestring, layers[0]);
	assert_string_equal(cJSON_GetArrayItem(l, 1)->valuestring, layers[1]);
	built_free(&b);

	/* No layers left is an empty list, which removes them all. */
	a.n_layers = 0;
	build(&lambda_op_update_function_configuration, &a, &b);
	l = cJSON_GetObjectItemCaseSensitive(b.body, "Layers");
	assert_true(cJSON_IsArray(l));
	assert_int_equal(cJSON_GetArraySize(l), 0);
	built_free(&b);
}

static void
test_publish_layer(void **state)
{
	static const unsigned char zip[] = "layer bytes";
	static const char *const rt[] = { "python3.12" };
	struct lambda_publish_layer_args a;
	struct built b;
	const cJSON *c, *r;

	(void)state;
	memset(&a, 0, sizeof a);
	a.layer_name = "datalake-alpha-flattenjson";
	a.description = "Flattens \"nested\" JSON";
	a.runtimes = rt;
	a.n_runtimes = 1;
	a.zip = zip;
	a.zip_len = sizeof zip - 1;
	build(&lambda_op_publish_layer_version, &a, &b);
	assert_string_equal(b.req.method, "POST");
	assert_string_equal(b.req.target,
	    "/2018-10-31/layers/datalake-alpha-flattenjson/versions");
	c = cJSON_GetObjectItemCaseSensitive(b.body, "Content");
	assert_string_equal(member(c, "ZipFile"), "bGF5ZXIgYnl0ZXM=");
	assert_string_equal(member(b.body, "Description"),
	    "Flattens \"nested\" JSON");
	r = cJSON_GetObjectItemCaseSensitive(b.body, "CompatibleRuntimes");
	assert_int_equal(cJSON_GetArraySize(r), 1);
	assert_string_equal(cJSON_GetArrayItem(r, 0)->valuestring,
	    "python3.12");
	built_free(&b);

	/* Through S3, no description, no runtimes. */
	memset(&a, 0, sizeof a);
	a.layer_name = "l";
	a.s3_bucket = "bkt";
	a.s3_key = "k.zip";
	build(&lambda_op_publish_layer_version, &a, &b);
	c = cJSON_GetObjectItemCaseSensitive(b.body, "Content");
	assert_string_equal(member(c, "S3Bucket"), "bkt");
	assert_string_equal(member(c, "S3Key"), "k.zip");
	assert_int_equal(cJSON_GetArraySize(b.body), 1);
	built_free(&b);
}

static void
test_get_layer_version(void **state)
{
	struct lambda_layer_version_args a = { "datalake-alpha-aws-wrangler", 3 };
	struct built b;

	(void)state;
	build(&lambda_op_get_layer_version, &a, &b);
	assert_string_equal(b.req.method, "GET");
	assert_string_equal(b.req.target,
	    "/2018-10-31/layers/datalake-alpha-aws-wrangler/versions/3");
	assert_null(b.req.body);
	built_free(&b);
}

static void
test_parse_layer_detail(void **state)
{
	static const char ok[] = "{\"LayerArn\":\"arn:aws:lambda:eu-west-1:1:"
	    "layer:l\",\"LayerVersionArn\":\"arn:aws:lambda:eu-west-1:1:layer:"
	    "l:4\",\"Version\":4,\"Description\":\"d\",\"Content\":{"
	    "\"Location\":\"https://x\",\"CodeSha256\":\"abc=\",\"CodeSize\":"
	    "123},\"CompatibleRuntimes\":[\"python3.12\",\"python3.11\"]}";
	struct lambda_layer_detail d;
	struct dlc_err err;

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_layer_detail(ok, strlen(ok),
	    "PublishLayerVersion", &d, &err), 0);
	assert_string_equal(d.layer_version_arn,
	    "arn:aws:lambda:eu-west-1:1:layer:l:4");
	assert_int_equal(d.version, 4);
	assert_string_equal(d.code_sha256, "abc=");
	assert_int_equal(d.code_size, 123);
	assert_int_equal(d.n_runtimes, 2);
	assert_string_equal(d.runtimes[1], "python3.11");
	lambda_layer_detail_clear(&d);
	lambda_layer_detail_clear(&d);

	/* A wrong type names the field; nothing is left allocated. */
	assert_int_equal(lambda_parse_layer_detail("{\"LayerVersionArn\":\"a\","
	    "\"Version\":\"4\"}", 36, "GetLayerVersion", &d, &err), -1);
	assert_non_null(strstr(err.message, "Version"));
	assert_non_null(strstr(err.message, "GetLayerVersion"));
	assert_null(d.layer_version_arn);
	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_layer_detail("{\"Version\":1}", 13,
	    "GetLayerVersion", &d, &err), -1);
	assert_non_null(strstr(err.message, "LayerVersionArn"));
}

static void
test_fits_inline(void **state)
{
	(void)state;
	/*
	 * Lambda's limits: 52,428,800 zipped bytes, and the request under
	 * 69,905,067 bytes, which the base64 of a full 50 MiB (69,905,068)
	 * already passes: the request cap is the one that binds.
	 */
	assert_true(lambda_write_fits_inline(0, 0));
	assert_true(lambda_write_fits_inline(52428700, 0));
	assert_false(lambda_write_fits_inline(LAMBDA_INLINE_ZIP_MAX, 0));
	assert_false(lambda_write_fits_inline(LAMBDA_INLINE_ZIP_MAX + 1, 0));
	/* A lower limit (the test knob) wins; a higher one does not. */
	assert_true(lambda_write_fits_inline(1000, 1000));
	assert_false(lambda_write_fits_inline(1001, 1000));
	assert_false(lambda_write_fits_inline(LAMBDA_INLINE_ZIP_MAX + 1,
	    LAMBDA_INLINE_ZIP_MAX * 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_code_inline),
		cmocka_unit_test(test_update_code_s3),
		cmocka_unit_test(test_update_layers),
		cmocka_unit_test(test_publish_layer),
		cmocka_unit_test(test_get_layer_version),
		cmocka_unit_test(test_parse_layer_detail),
		cmocka_unit_test(test_fits_inline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
