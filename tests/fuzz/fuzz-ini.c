/*
 * libFuzzer target for src/ini.c: any text parses or is refused with a
 * message; every section and key read back is a string, and the helpers
 * for values (nested blocks, quotes, words) take any value.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_ini_value(const char *v)
{
	char **words = NULL, *s;
	size_t n = 0, i;
	struct dlc_err err;

	free(ini_nested_get(v, "region"));
	free(ini_nested_get(v, ""));
	s = ini_unquote(v);
	if (s == NULL)
		abort();
	free(s);
	dlc_err_clear(&err);
	if (ini_split_words(v, &words, &n, &err) == 0) {
		for (i = 0; i < n; i++)
			if (words[i] == NULL)
				abort();
		if (words[n] != NULL)
			abort();
		ini_words_free(words);
	} else if (err.message[0] == '\0')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dlc_err err;
	struct ini *ini;
	const struct ini_section *sec;
	const char *key, *value;
	size_t i, k, nk;

	dlc_err_clear(&err);
	ini = ini_parse((const char *)data, size, "fuzz.ini", &err);
	if (ini == NULL) {
		if (err.message[0] == '\0')
			abort();
		return 0;
	}
	for (i = 0; i < ini_section_count(ini); i++) {
		sec = ini_section_at(ini, i);
		if (ini_find_section(ini, ini_section_name(sec)) == NULL)
			abort();
		(void)ini_section_line(sec);
		nk = ini_key_count(sec);
		for (k = 0; k < nk; k++) {
			value = NULL;
			key = ini_key_at(sec, k, &value);
			if (key == NULL || value == NULL)
				abort();
			/* The value in effect is the one ini_get finds. */
			if (ini_get(sec, key) == NULL)
				abort();
			(void)ini_get_line(sec, key);
			(void)ini_key_line_at(sec, k);
			fuzz_ini_value(value);
		}
		fuzz_ini_value(ini_section_name(sec));
	}
	ini_free(ini);
	return 0;
}
