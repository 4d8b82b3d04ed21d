/*
 * Unit tests for src/jsonout.c: the printed JSON is valid UTF-8, parses
 * back to the same (repaired) value, and carries no raw control character
 * a terminal would act on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jsonout.h"
#include "sanitize.h"

/* Valid UTF-8, and no C0, DEL, C1 or bidi control left raw. */
static void
assert_terminal_safe(const char *text, int pretty)
{
	size_t i = 0, n, len = strlen(text);
	uint32_t cp;

	assert_true(sanitize_utf8_valid(text, len));
	while (i < len) {
		n = sanitize_utf8_decode(text + i, len - i, &cp);
		assert_true(n > 0);
		if (cp < 0x20)
			assert_true(pretty && (cp == '\n' || cp == '\t'));
		assert_false(cp >= 0x7f && cp <= 0x9f);
		assert_false(cp >= 0x202a && cp <= 0x202e);
		assert_false(cp >= 0x2066 && cp <= 0x2069);
		assert_int_equal(sanitize_cp_class(cp), 0);
		i += n;
	}
}

/* Prints one string value and checks the text and what parses back. */
static void
check_string(const char *in, const char *want_text, const char *want_back)
{
	cJSON *v = cJSON_CreateString(in), *back;
	char *text;

	assert_non_null(v);
	text = jsonout_print(v, 0);
	assert_string_equal(text, want_text);
	assert_terminal_safe(text, 0);
	back = cJSON_Parse(text);
	assert_non_null(back);
	assert_true(cJSON_IsString(back));
	assert_string_equal(back->valuestring, want_back);
	/* The caller's tree is left as it was. */
	assert_string_equal(v->valuestring, in);
	cJSON_Delete(back);
	cJSON_Delete(v);
	free(text);
}

static void
test_plain_values(void **state)
{
	cJSON *v = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(v, "name", "ingest");
	cJSON_AddNumberToObject(v, "size", 1024);
	cJSON_AddItemToObject(v, "desc", jsonout_string_or_null(NULL));
	text = jsonout_print(v, 0);
	assert_string_equal(text,
	    "{\"name\":\"ingest\",\"size\":1024,\"desc\":null}");
	free(text);
	text = jsonout_print(v, 1);
	assert_string_equal(text, "{\n\t\"name\":\t\"ingest\",\n\t\"size\":\t"
	    "1024,\n\t\"desc\":\tnull\n}");
	assert_terminal_safe(text, 1);
	free(text);
	cJSON_Delete(v);
	text = jsonout_print(NULL, 0);
	assert_string_equal(text, "null");
	free(text);
}

static void
test_invalid_utf8_replaced(void **state)
{
	check_string("a\xff" "b", "\"a\xef\xbf\xbd" "b\"",
	    "a\xef\xbf\xbd" "b");
	check_string("\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"",
	    "\xef\xbf\xbd\xef\xbf\xbd");
	check_string("\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	check_string("end\xe2\x82", "\"end\xef\xbf\xbd\xef\xbf\xbd\"",
	    "end\xef\xbf\xbd\xef\xbf\xbd");
	/* Valid multi-byte text goes through untouched. */
	check_string("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x8e\x89",
	    "\"caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x8e\x89\"",
	    "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x8e\x89");
}

static void
test_control_characters_escaped(void **state)
{
	/* cJSON's own escapes for C0 */
	check_string("\x1b[2J\x01", "\"\\u001b[2J\\u0001\"", "\x1b[2J\x01");
	check_string("a\r\n\tb\x08", "\"a\\r\\n\\tb\\b\"", "a\r\n\tb\x08");
	check_string("q\"\\", "\"q\\\"\\\\\"", "q\"\\");
	/* What cJSON leaves raw: DEL, C1, bidi controls, U+2028 */
	check_string("\x7f", "\"\\u007f\"", "\x7f");
	check_string("\xc2\x9b" "31m", "\"\\u009b31m\"", "\xc2\x9b" "31m");
	check_string("x\xe2\x80\xae" "y", "\"x\\u202ey\"", "x\xe2\x80\xae" "y");
	check_string("\xe2\x81\xa6\xe2\x80\xa8", "\"\\u2066\\u2028\"",
	    "\xe2\x81\xa6\xe2\x80\xa8");
	/* U+00A0 is not a control: kept */
	check_string("\xc2\xa0", "\"\xc2\xa0\"", "\xc2\xa0");
}

static void
test_keys_and_nested_values_repaired(void **state)
{
	cJSON *v = cJSON_CreateObject(), *arr, *o, *back;
	char *text;

	arr = cJSON_AddArrayToObject(v, "functions");
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "bad\xfe" "key", "v\xff");
	cJSON_AddItemToArray(arr, o);
	/* A constant key the caller owns: must be replaced, not freed. */
	cJSON_AddItemToObjectCS(o, "const\xff", cJSON_CreateString("\x1b"));
	text = jsonout_print(v, 0);
	assert_string_equal(text, "{\"functions\":[{\"bad\xef\xbf\xbdkey\":"
	    "\"v\xef\xbf\xbd\",\"const\xef\xbf\xbd\":\"\\u001b\"}]}");
	assert_terminal_safe(text, 0);
	back = cJSON_Parse(text);
	assert_non_null(back);
	cJSON_Delete(back);
	free(text);
	/* The original still has its bytes. */
	assert_string_equal(o->child->string, "bad\xfe" "key");
	assert_string_equal(o->child->next->string, "const\xff");
	cJSON_Delete(v);
}

static void
test_raw_items_repaired(void **state)
{
	cJSON *v = cJSON_CreateArray();
	char *text;

	cJSON_AddItemToArray(v, cJSON_CreateRaw("\"r\xff\""));
	text = jsonout_print(v, 0);
	assert_string_equal(text, "[\"r\xef\xbf\xbd\"]");
	free(text);
	cJSON_Delete(v);
}

static void
test_item_with_siblings_prints_alone(void **state)
{
	cJSON *arr = cJSON_CreateArray();
	char *text;

	cJSON_AddItemToArray(arr, cJSON_CreateString("first\xff"));
	cJSON_AddItemToArray(arr, cJSON_CreateString("second\xff"));
	text = jsonout_print(arr->child, 0);
	assert_string_equal(text, "\"first\xef\xbf\xbd\"");
	free(text);
	cJSON_Delete(arr);
}

static void
test_write_adds_newline(void **state)
{
	FILE *f = tmpfile();
	cJSON *v = jsonout_string_or_null("x\x1b");
	char got[64];
	size_t n;

	assert_non_null(f);
	assert_true(cJSON_IsString(v));
	jsonout_write(f, v, 0);
	rewind(f);
	n = fread(got, 1, sizeof got - 1, f);
	got[n] = '\0';
	assert_string_equal(got, "\"x\\u001b\"\n");
	fclose(f);
	cJSON_Delete(v);

	v = jsonout_string_or_null(NULL);
	assert_true(cJSON_IsNull(v));
	cJSON_Delete(v);
}

static void
test_random_strings_always_safe(void **state)
{
	uint32_t seed = 777;
	char in[40], *text;
	size_t i, n;
	int round;
	cJSON *v, *back;

	for (round = 0; round < 3000; round++) {
		n = (size_t)(round % 39);
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (char)((seed >> 16) & 0xff);
			if (in[i] == '\0')
				in[i] = '\x1b';
		}
		in[n] = '\0';
		v = cJSON_CreateString(in);
		text = jsonout_print(v, round % 2);
		assert_terminal_safe(text, round % 2);
		back = cJSON_Parse(text);
		assert_non_null(back);
		assert_true(sanitize_utf8_valid(back->valuestring,
		    strlen(back->valuestring)));
		cJSON_Delete(back);
		cJSON_Delete(v);
		free(text);
	}
}

/*
 * Names that pose as others: zero-width, word joiner, BOM and tag
 * characters are escaped too (the sanitiser's table), a tag character as
 * a surrogate pair, and the value parses back unchanged.
 */
static void
test_invisible_characters_escaped(void **state)
{
	check_string("fn\xe2\x80\x8b" "a\xe2\x81\xa0\xef\xbb\xbf",
	    "\"fn\\u200ba\\u2060\\ufeff\"",
	    "fn\xe2\x80\x8b" "a\xe2\x81\xa0\xef\xbb\xbf");
	check_string("x\xf3\xa0\x81\x81" "y", "\"x\\udb40\\udc41y\"",
	    "x\xf3\xa0\x81\x81" "y");
}

/* The NDJSON log writer escapes the same set as jsonout_print. */
static void
test_log_event_escapes_bidi(void **state)
{
	char stream[] = "2026/12/03/[$LATEST]ab\xe2\x80\x8b" "cd";
	char message[] = "user \xe2\x80\xae" "gnp.exe\xc2\x9b" "2J\xe2\x80\xa8";
	struct log_event ev;
	struct buf out;
	cJSON *back;

	memset(&ev, 0, sizeof ev);
	ev.timestamp = 1;
	ev.stream = stream;
	ev.message = message;
	ev.message_len = strlen(message);
	buf_init(&out, 0);
	jsonout_log_event(&out, &ev, "/aws/lambda/f\xe2\x81\xa6");
	assert_non_null(strstr(out.data, "\"message\":\"user \\u202egnp.exe\\u009b2J\\u2028\""));
	assert_non_null(strstr(out.data, "ab\\u200bcd"));
	assert_non_null(strstr(out.data, "/aws/lambda/f\\u2066"));
	assert_terminal_safe(out.data, 1);
	back = cJSON_Parse(out.data);
	assert_non_null(back);
	assert_string_equal(cJSON_GetObjectItem(back, "message")->valuestring, message);
	cJSON_Delete(back);
	buf_free(&out);
}

/*
 * The NDJSON writer, byte at a time as it was before it found runs sixteen
 * bytes a step: the fast one must write exactly the same bytes.
 */
static void
reference_string(struct buf *out, const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	buf_putc(out, '"');
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			if (c == '"' || c == '\\')
				buf_printf(out, "\\%c", c);
			else if (c < 0x20 || c == 0x7f)
				buf_printf(out, "\\u%04x", c);
			else
				buf_putc(out, (char)c);
			i++;
			continue;
		}
		n = sanitize_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			buf_puts(out, "\xef\xbf\xbd");
			i++;
			continue;
		}
		if (sanitize_cp_class(cp) != 0 && cp > 0xffff) {
			cp -= 0x10000;
			buf_printf(out, "\\u%04x\\u%04x", (unsigned)(0xd800 + (cp >> 10)),
			    (unsigned)(0xdc00 + (cp & 0x3ff)));
		} else if (sanitize_cp_class(cp) != 0)
			buf_printf(out, "\\u%04x", (unsigned)cp);
		else
			buf_append(out, s + i, n);
		i += n;
	}
	buf_putc(out, '"');
}

static void
test_string_writer_same_bytes(void **state)
{
	/* Pieces that need escaping, and plain runs of every length around 16. */
	static const char *const pieces[] = {
		"\"", "\\", "\n", "\t", "\x01", "\x1f", "\x7f", "\x00", "\xc2\x85",
		"\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80\xae", "\xc3\xa9", "\xff",
		"\xe2\x80", "\xf0\x9f\x98\x80", "a", "0123456789abcde",
		"0123456789abcdef", "0123456789abcdefg", " ", "~", "\x20\x7e",
		"\xe2\x80\x8b", "\xef\xbb\xbf", "\xf3\xa0\x81\x81", "\xe2\x81\xa6",
	};
	struct buf fast, ref;
	char s[256];
	unsigned seed = 1;
	int round;

	(void)state;
	buf_init(&fast, 0);
	buf_init(&ref, 0);
	for (round = 0; round < 20000; round++) {
		size_t len = 0, k, parts;

		seed = seed * 1103515245u + 12345u;
		parts = (seed >> 16) % 12;
		for (k = 0; k < parts; k++) {
			const char *p;
			size_t pl;

			seed = seed * 1103515245u + 12345u;
			p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
			/* "\x00" is one NUL byte, not an empty piece. */
			pl = p[0] == '\0' ? 1 : strlen(p);
			if (len + pl > sizeof s)
				break;
			memcpy(s + len, p, pl);
			len += pl;
		}
		buf_reset(&fast);
		buf_reset(&ref);
		jsonout_string(&fast, s, len);
		reference_string(&ref, s, len);
		assert_int_equal(fast.len, ref.len);
		assert_memory_equal(fast.data, ref.data, ref.len);
	}
	buf_free(&fast);
	buf_free(&ref);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_values),
		cmocka_unit_test(test_invalid_utf8_replaced),
		cmocka_unit_test(test_control_characters_escaped),
		cmocka_unit_test(test_keys_and_nested_values_repaired),
		cmocka_unit_test(test_raw_items_repaired),
		cmocka_unit_test(test_item_with_siblings_prints_alone),
		cmocka_unit_test(test_write_adds_newline),
		cmocka_unit_test(test_random_strings_always_safe),
		cmocka_unit_test(test_invisible_characters_escaped),
		cmocka_unit_test(test_log_event_escapes_bidi),
		cmocka_unit_test(test_string_writer_same_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
