/* Unit tests for src/proto-json.c: checked parsing, getters, error shapes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "proto-json.h"
#include "data/proto/fixture.h"

static void
test_parse_good_object(void **state)
{
	struct dlc_err err;
	const char body[] = " {\"a\": [1, 2, {\"b\": \"x\"}], \"n\": null}\n";
	cJSON *t;

	dlc_err_clear(&err);
	t = proto_json_parse_object(body, sizeof body - 1, "Op", &err);
	assert_non_null(t);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(t, "a")), 3);
	assert_false(dlc_err_isset(&err));
	cJSON_Delete(t);
}

static void
test_parse_empty_and_not_json(void **state)
{
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_null(proto_json_parse("", 0, "ListFunctions", &err));
	assert_string_equal(err.message,
	    "ListFunctions: response is empty, expected JSON");
	assert_string_equal(err.code, "MalformedResponse");
	assert_true(err.fix[0] != '\0');

	dlc_err_clear(&err);
	assert_null(proto_json_parse("<html>", 6, "ListFunctions", &err));
	assert_string_equal(err.message,
	    "ListFunctions: response is not JSON (invalid at byte 0)");

	dlc_err_clear(&err);
	assert_null(proto_json_parse("{\"a\":1} x", 9, "Op", &err));
	assert_string_equal(err.message, "Op: response is not JSON "
	    "(unexpected data after the value at byte 8)");

	dlc_err_clear(&err);
	assert_null(proto_json_parse("{\"a\":tru}", 9, "Op", &err));
	assert_non_null(strstr(err.message, "invalid at byte"));

	dlc_err_clear(&err);
	assert_null(proto_json_parse_object("[1]", 3, "Op", &err));
	assert_string_equal(err.message,
	    "Op: response is an array, expected an object");
}

static void
test_parse_truncated_everywhere(void **state)
{
	struct dlc_err err;
	char expect[128];
	size_t len, cut;
	char *body = fixture_load("list-functions-page1.json", &len);
	cJSON *t;

	/* Every proper prefix fails cleanly and says where it ended. */
	for (cut = 1; cut < len - 1; cut += 37) {
		dlc_err_clear(&err);
		t = proto_json_parse(body, cut, "ListFunctions", &err);
		assert_null(t);
		snprintf(expect, sizeof expect, "ListFunctions: response is not "
		    "JSON (truncated at byte %zu)", cut);
		assert_string_equal(err.message, expect);
	}
	t = proto_json_parse(body, len, "ListFunctions", &err);
	assert_non_null(t);
	cJSON_Delete(t);
	free(body);
}

static void
test_parse_nul_byte(void **state)
{
	struct dlc_err err;
	const char body[] = "{\"a\":\"x\0y\"}";

	dlc_err_clear(&err);
	assert_null(proto_json_parse(body, sizeof body - 1, "Op", &err));
	assert_string_equal(err.message,
	    "Op: response is not JSON (NUL byte at byte 7)");
}

static char *
nest(size_t depth, size_t *len)
{
	char *s = malloc(2 * depth + 1);
	size_t i;

	for (i = 0; i < depth; i++) {
		s[i] = '[';
		s[2 * depth - 1 - i] = ']';
	}
	s[2 * depth] = '\0';
	*len = 2 * depth;
	return s;
}

static void
test_parse_depth_limit(void **state)
{
	struct dlc_err err;
	size_t len;
	char *s;
	cJSON *t;

	s = nest(PROTO_JSON_MAX_DEPTH, &len);
	t = proto_json_parse(s, len, "Op", &err);
	assert_non_null(t);
	cJSON_Delete(t);
	free(s);

	/* Far past cJSON's own 1000 too: refused before it recurses. */
	s = nest(100000, &len);
	dlc_err_clear(&err);
	assert_null(proto_json_parse(s, len, "Op", &err));
	assert_string_equal(err.message,
	    "Op: response nests deeper than 128 levels (at byte 128)");
	free(s);

	/* Brackets inside strings do not count. */
	s = malloc(600);
	memset(s, '[', 600);
	s[0] = '"';
	s[599] = '"';
	t = proto_json_parse(s, 600, "Op", &err);
	assert_non_null(t);
	assert_int_equal(strlen(t->valuestring), 598);
	cJSON_Delete(t);
	free(s);
}

static void
test_parse_too_big(void **state)
{
	struct dlc_err err;
	size_t len = PROTO_JSON_MAX_BODY + 1;
	char *s = calloc(1, len);

	assert_non_null(s);
	dlc_err_clear(&err);
	assert_null(proto_json_parse(s, len, "Op", &err));
	assert_non_null(strstr(err.message, "more than the 67108864 accepted"));
	free(s);
}

static void
test_parse_huge_string_ok(void **state)
{
	struct dlc_err err;
	size_t n = 3u << 20, len = n + 9;
	char *s = malloc(len + 1);
	cJSON *t;
	const char *v = NULL;

	memcpy(s, "{\"s\":\"", 6);
	memset(s + 6, 'x', n);
	memcpy(s + 6 + n, "\"}\n", 3);
	t = proto_json_parse_object(s, len, "Op", &err);
	assert_non_null(t);
	assert_int_equal(proto_json_get_string(t, "s", NULL, 1, &v, &err), 0);
	assert_int_equal(strlen(v), n);
	cJSON_Delete(t);
	free(s);
}

static void
test_getters_types_and_paths(void **state)
{
	const char body[] = "{\"s\":\"str\",\"n\":42,\"f\":1.5,\"big\":1e19,"
	    "\"neg\":-7,\"b\":true,\"a\":[],\"o\":{},\"z\":null}";
	struct dlc_err err;
	const cJSON *sub = NULL;
	const char *s = "preset";
	int64_t n = -1;
	int b = -1;
	cJSON *t = proto_json_parse_object(body, sizeof body - 1, "Op", &err);

	assert_non_null(t);
	assert_int_equal(proto_json_get_string(t, "s", "", 1, &s, &err), 0);
	assert_string_equal(s, "str");
	assert_int_equal(proto_json_get_int64(t, "n", NULL, 1, &n, &err), 0);
	assert_int_equal(n, 42);
	assert_int_equal(proto_json_get_int64(t, "neg", NULL, 1, &n, &err), 0);
	assert_int_equal(n, -7);
	assert_int_equal(proto_json_get_bool(t, "b", NULL, 1, &b, &err), 0);
	assert_int_equal(b, 1);
	assert_int_equal(proto_json_get_array(t, "a", NULL, 1, &sub, &err), 0);
	assert_true(cJSON_IsArray(sub));
	assert_int_equal(proto_json_get_object(t, "o", NULL, 1, &sub, &err), 0);
	assert_true(cJSON_IsObject(sub));

	/* Optional and absent (or null): 0 and untouched. */
	s = "preset";
	assert_int_equal(proto_json_get_string(t, "missing", NULL, 0, &s,
	    &err), 0);
	assert_string_equal(s, "preset");
	assert_int_equal(proto_json_get_string(t, "z", NULL, 0, &s, &err), 0);
	assert_string_equal(s, "preset");

	dlc_err_clear(&err);
	assert_int_equal(proto_json_get_string(t, "z", "Functions[3]", 1, &s,
	    &err), -1);
	assert_string_equal(err.message,
	    "Functions[3].z is missing, expected a string");

	dlc_err_clear(&err);
	assert_int_equal(proto_json_get_int64(t, "s", "Functions[3]", 0, &n,
	    &err), -1);
	assert_string_equal(err.message,
	    "Functions[3].s is a string, expected a number");
	dlc_err_clear(&err);
	assert_int_equal(proto_json_get_int64(t, "f", NULL, 0, &n, &err), -1);
	assert_string_equal(err.message,
	    "f is a number, expected a whole number within 64 bits");
	assert_int_equal(proto_json_get_int64(t, "big", NULL, 0, &n, &err), -1);
	dlc_err_clear(&err);
	assert_int_equal(proto_json_get_string(t, "n", NULL, 0, &s, &err), -1);
	assert_string_equal(err.message, "n is a number, expected a string");
	dlc_err_clear(&err);
	assert_int_equal(proto_json_get_bool(t, "a", "X", 0, &b, &err), -1);
	assert_string_equal(err.message, "X.a is an array, expected a boolean");
	dlc_err_clear(&err);
	assert_int_equal(proto_json_get_array(t, "o", "X", 0, &sub, &err), -1);
	assert_string_equal(err.message, "X.o is an object, expected an array");
	dlc_err_clear(&err);
	assert_int_equal(proto_json_get_object(t, "b", "X", 0, &sub, &err), -1);
	assert_string_equal(err.message, "X.b is a boolean, expected an object");

	proto_json_err_prefix(&err, "ListFunctions");
	assert_string_equal(err.message,
	    "ListFunctions: X.b is a boolean, expected an object");
	proto_json_delete_wiped(t);
	proto_json_delete_wiped(NULL);
}

static void
test_err_prefix_truncates_tail(void **state)
{
	struct dlc_err err;

	dlc_err_clear(&err);
	memset(err.message, 'm', sizeof err.message - 1);
	proto_json_err_prefix(&err, "Op");
	assert_int_equal(strlen(err.message), sizeof err.message - 1);
	assert_memory_equal(err.message, "Op: mmm", 7);
}

static void
test_error_lambda_shape(void **state)
{
	const char body[] = "{\"Type\":\"User\",\"Message\":\"Function not "
	    "found: arn:aws:lambda:eu-west-1:123456789012:function:nope\"}";
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_int_equal(proto_json_error(404, "ResourceNotFoundException:"
	    "http://internal.amazon.com/coral/com.amazonaws.awsgatewaylambda/",
	    "8d2c1f3e-aaaa-bbbb-cccc-0123456789ab", body, sizeof body - 1,
	    &err), -1);
	assert_string_equal(err.code, "ResourceNotFoundException");
	assert_string_equal(err.message, "Function not found: "
	    "arn:aws:lambda:eu-west-1:123456789012:function:nope");
	assert_string_equal(err.request_id,
	    "8d2c1f3e-aaaa-bbbb-cccc-0123456789ab");
	assert_int_equal(err.http_status, 404);
}

static void
test_error_json_type_with_hash(void **state)
{
	const char body[] = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
	    "ConditionalCheckFailedException\",\"message\":\"The conditional "
	    "request failed\"}";
	const char body2[] = "{\"__type\":\"com.amazon.coral.validate#"
	    "ValidationException:http://x/\",\"Message\":\"bad\"}";
	const char body3[] = "{\"code\":\"Throttling\",\"errorMessage\":\"slow\"}";
	struct dlc_err err;

	dlc_err_clear(&err);
	proto_json_error(400, NULL, NULL, body, sizeof body - 1, &err);
	assert_string_equal(err.code, "ConditionalCheckFailedException");
	assert_string_equal(err.message, "The conditional request failed");
	assert_string_equal(err.request_id, "");

	dlc_err_clear(&err);
	proto_json_error(400, "", NULL, body2, sizeof body2 - 1, &err);
	assert_string_equal(err.code, "ValidationException");
	assert_string_equal(err.message, "bad");

	dlc_err_clear(&err);
	proto_json_error(400, NULL, NULL, body3, sizeof body3 - 1, &err);
	assert_string_equal(err.code, "Throttling");
	assert_string_equal(err.message, "slow");

	/* The header wins over the body. */
	dlc_err_clear(&err);
	proto_json_error(400, "ThrottlingException", NULL, body3,
	    sizeof body3 - 1, &err);
	assert_string_equal(err.code, "ThrottlingException");
}

static void
test_error_html_and_empty(void **state)
{
	struct dlc_err err;
	size_t len;
	char *html = fixture_load("proxy-502.html", &len);

	dlc_err_clear(&err);
	proto_json_error(502, NULL, "rid", html, len, &err);
	assert_string_equal(err.code, "HTTP502");
	assert_int_equal(err.http_status, 502);
	assert_non_null(strstr(err.message, "HTTP 502 with a body that is "
	    "not JSON: \"<!DOCTYPE html> <html> <head><title>502 Bad "
	    "Gateway</title></head>"));
	assert_null(strchr(err.message, '\n'));
	assert_null(strchr(err.message, '\t'));
	assert_true(err.fix[0] != '\0');
	free(html);

	dlc_err_clear(&err);
	proto_json_error(500, NULL, NULL, "", 0, &err);
	assert_string_equal(err.code, "HTTP500");
	assert_string_equal(err.message, "HTTP 500 with no error message");

	/* JSON without code or message still names the status. */
	dlc_err_clear(&err);
	proto_json_error(403, NULL, NULL, "{\"x\":1}", 7, &err);
	assert_string_equal(err.code, "HTTP403");
	assert_string_equal(err.message, "HTTP 403 with no error message");

	/* Wrong types for code and message are ignored, not trusted. */
	dlc_err_clear(&err);
	proto_json_error(400, NULL, NULL, "{\"__type\":5,\"message\":[1]}", 27,
	    &err);
	assert_string_equal(err.code, "HTTP400");
}

static void
test_excerpt(void **state)
{
	struct buf b;
	char big[300];

	buf_init(&b, 0);
	proto_json_excerpt(&b, "a\x1b[31mb\n\n  c\x7f", 13, 200);
	assert_string_equal(b.data, "a?[31mb c?");
	buf_reset(&b);

	/* "é" is two bytes; a cut inside it backs off to before it. */
	memset(big, 'x', sizeof big);
	big[199] = (char)0xC3;
	big[200] = (char)0xA9;
	proto_json_excerpt(&b, big, sizeof big, 200);
	assert_int_equal(b.len, 199 + 3);
	assert_string_equal(b.data + 199, "...");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good_object),
		cmocka_unit_test(test_parse_empty_and_not_json),
		cmocka_unit_test(test_parse_truncated_everywhere),
		cmocka_unit_test(test_parse_nul_byte),
		cmocka_unit_test(test_parse_depth_limit),
		cmocka_unit_test(test_parse_too_big),
		cmocka_unit_test(test_parse_huge_string_ok),
		cmocka_unit_test(test_getters_types_and_paths),
		cmocka_unit_test(test_err_prefix_truncates_tail),
		cmocka_unit_test(test_error_lambda_shape),
		cmocka_unit_test(test_error_json_type_with_hash),
		cmocka_unit_test(test_error_html_and_empty),
		cmocka_unit_test(test_excerpt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
