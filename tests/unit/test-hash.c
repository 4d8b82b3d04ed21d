/* Unit tests for src/hash.c: published vectors for every digest and base64. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hash.h"

static void
test_sha256_fips_vectors(void **state)
{
	char hex[65];
	unsigned char raw[32];

	hash_sha256_hex("", 0, hex);
	assert_string_equal(hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hash_sha256_hex("abc", 3, hex);
	assert_string_equal(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hash_sha256("abc", 3, raw);
	assert_int_equal(raw[0], 0xba);
	assert_int_equal(raw[31], 0xad);
	/* A NULL pointer with no bytes is the empty input, not a crash. */
	hash_sha256_hex(NULL, 0, hex);
	assert_string_equal(hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
test_sha256_streaming_matches_one_shot(void **state)
{
	static const char msg[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	struct hash_sha256 *h;
	unsigned char a[32], b[32];
	char hex[65], *big;
	size_t i;

	h = hash_sha256_new();
	for (i = 0; i < strlen(msg); i += 5)
		hash_sha256_update(h, msg + i,
		    strlen(msg) - i < 5 ? strlen(msg) - i : 5);
	hash_sha256_update(h, "", 0);
	hash_sha256_final(h, a);
	hash_sha256_free(h);
	hash_sha256(msg, strlen(msg), b);
	assert_memory_equal(a, b, 32);
	hash_hex(a, 32, hex);
	assert_string_equal(hex,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");

	/* FIPS 180-2's million 'a', fed in uneven chunks. */
	big = malloc(1000000);
	assert_non_null(big);
	memset(big, 'a', 1000000);
	h = hash_sha256_new();
	hash_sha256_update(h, big, 333333);
	hash_sha256_update(h, big, 666667);
	hash_sha256_final(h, a);
	hash_sha256_free(h);
	free(big);
	hash_hex(a, 32, hex);
	assert_string_equal(hex,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	hash_sha256_free(NULL);
}

static void
test_sha1_vectors(void **state)
{
	char hex[41];

	hash_sha1_hex("", 0, hex);
	assert_string_equal(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	hash_sha1_hex("abc", 3, hex);
	assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
	/* An SSO cache name: the start URL hashed as UTF-8 bytes. */
	hash_sha1_hex("The quick brown fox jumps over the lazy dog", 43, hex);
	assert_string_equal(hex, "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
}

static void
test_hmac_rfc4231(void **state)
{
	unsigned char key[131], mac[32];
	char hex[65];

	/* Test case 1. */
	memset(key, 0x0b, 20);
	hash_hmac_sha256(key, 20, "Hi There", 8, mac);
	hash_hex(mac, 32, hex);
	assert_string_equal(hex,
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	/* Test case 2: a key shorter than the block. */
	hash_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
	hash_hex(mac, 32, hex);
	assert_string_equal(hex,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* Test case 6: a key longer than the block is hashed first. */
	memset(key, 0xaa, sizeof(key));
	hash_hmac_sha256(key, sizeof(key),
	    "Test Using Larger Than Block-Size Key - Hash Key First", 54, mac);
	hash_hex(mac, 32, hex);
	assert_string_equal(hex,
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void
test_base64_rfc4648_vectors(void **state)
{
	static const char *const plain[] = {
		"", "f", "fo", "foo", "foob", "fooba", "foobar",
	};
	static const char *const coded[] = {
		"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy",
	};
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		char *s = hash_base64_encode(plain[i], strlen(plain[i]));

		assert_string_equal(s, coded[i]);
		free(s);
		buf_reset(&b);
		assert_int_equal(hash_base64_decode(coded[i],
		    strlen(coded[i]), &b), 0);
		assert_int_equal(b.len, strlen(plain[i]));
		assert_memory_equal(b.len ? b.data : "", plain[i], b.len);
	}
	buf_free(&b);
}

static void
test_base64_code_sha256(void **state)
{
	unsigned char md[32];
	char *s;

	/* Lambda's CodeSha256: base64 of the raw digest, not of the hex. */
	hash_sha256("", 0, md);
	s = hash_base64_encode(md, sizeof(md));
	assert_string_equal(s, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
	free(s);
}

static void
test_base64_roundtrip_all_bytes(void **state)
{
	unsigned char in[256];
	struct buf b;
	size_t n, i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(255 - i);
	buf_init(&b, 0);
	for (n = 0; n <= sizeof(in); n += 1 + n / 7) {
		char *s = hash_base64_encode(in, n);

		assert_int_equal(strlen(s), (n + 2) / 3 * 4);
		buf_reset(&b);
		assert_int_equal(hash_base64_decode(s, strlen(s), &b), 0);
		assert_int_equal(b.len, n);
		if (n > 0)
			assert_memory_equal(b.data, in, n);
		free(s);
	}
	buf_free(&b);
}

static void
test_base64_rejects_bad_input(void **state)
{
	static const char *const bad[] = {
		"Zg=",		/* not a multiple of 4 */
		"Z===",		/* three pads */
		"Zg=a",		/* pad then data */
		"Zm9v!A==",	/* outside the alphabet */
		"=Zg=",		/* pad first */
		"Zg==Zg==",	/* pad before the end */
		"Zm 9v",	/* whitespace */
		"Zm9-",		/* URL alphabet */
		"Zm9v\n",
	};
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&b);
		if (hash_base64_decode(bad[i], strlen(bad[i]), &b) != -1)
			fail_msg("accepted bad base64 \"%s\"", bad[i]);
	}
	buf_free(&b);
	/* The output's ceiling holds. */
	buf_init(&b, 2);
	assert_int_equal(hash_base64_decode("Zm9v", 4, &b), -1);
	buf_free(&b);
	buf_init(&b, 3);
	assert_int_equal(hash_base64_decode("Zm9v", 4, &b), 0);
	assert_string_equal(b.data, "foo");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_fips_vectors),
		cmocka_unit_test(test_sha256_streaming_matches_one_shot),
		cmocka_unit_test(test_sha1_vectors),
		cmocka_unit_test(test_hmac_rfc4231),
		cmocka_unit_test(test_base64_rfc4648_vectors),
		cmocka_unit_test(test_base64_code_sha256),
		cmocka_unit_test(test_base64_roundtrip_all_bytes),
		cmocka_unit_test(test_base64_rejects_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
