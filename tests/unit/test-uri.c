/* Unit tests for src/uri.c: AWS percent-encoding and decoding. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "uri.h"

static void
test_encode_keeps_unreserved_only(void **state)
{
	char *s = uri_encode_str("aZ09-._~ /+=&é", 0);

	assert_string_equal(s, "aZ09-._~%20%2F%2B%3D%26%C3%A9");
	free(s);
	s = uri_encode_str("/a b/c", 1);
	assert_string_equal(s, "/a%20b/c");
	free(s);
}

static void
test_lambda_arn_label_double_encodes(void **state)
{
	char *once = uri_encode_str("arn:aws:lambda:eu-west-1:1:function:f", 0);
	char *twice = uri_encode_str(once, 1);

	assert_string_equal(once, "arn%3Aaws%3Alambda%3Aeu-west-1%3A1%3Afunction%3Af");
	assert_string_equal(twice, "arn%253Aaws%253Alambda%253Aeu-west-1%253A1%253Afunction%253Af");
	free(once);
	free(twice);
}

static void
test_decode_roundtrip_and_malformed(void **state)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(uri_decode(&b, "a%20b%2Fc", 9), 0);
	assert_string_equal(b.data, "a b/c");
	buf_reset(&b);
	assert_int_equal(uri_decode(&b, "bad%2", 5), -1);
	buf_reset(&b);
	assert_int_equal(uri_decode(&b, "bad%zz", 6), -1);
	buf_reset(&b);
	assert_int_equal(uri_decode(&b, "%", 1), -1);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_keeps_unreserved_only),
		cmocka_unit_test(test_lambda_arn_label_double_encodes),
		cmocka_unit_test(test_decode_roundtrip_and_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
