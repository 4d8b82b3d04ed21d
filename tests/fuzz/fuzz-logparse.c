/*
 * libFuzzer target for src/logparse.c: every reader over (msg, len) on
 * any bytes, with what they return checked to stay inside the message.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logparse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_logparse_id(const char id[LOGPARSE_ID_LEN])
{
	if (memchr(id, '\0', LOGPARSE_ID_LEN) == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Exactly size bytes, not terminated: a read past len is caught. */
	const char *msg = (const char *)data;
	struct logparse_prefix pre;
	struct lambda_report rep;
	char id[LOGPARSE_ID_LEN];
	size_t starts[8], lens[8], n, i, max;
	double secs;
	ssize_t at;
	char *pretty;
	enum log_level lv;

	lv = logparse_level(msg, size);
	if (lv > LOG_LEVEL_FATAL)
		abort();
	(void)logparse_level_name(lv);
	(void)logparse_level_word(msg, size);
	if (logparse_lambda_prefix(msg, size, &pre)) {
		if (pre.id_start > size || pre.id_len > size - pre.id_start ||
		    pre.body > size)
			abort();
	}
	at = logparse_json_start(msg, size);
	if (at < -1 || (at >= 0 && (size_t)at >= size))
		abort();
	pretty = logparse_json_pretty(msg, size);
	if ((pretty != NULL) != (at >= 0))
		abort();
	free(pretty);
	memset(&rep, 0, sizeof rep);
	if (logparse_report(msg, size, &rep) == 0)
		fuzz_logparse_id(rep.request_id);
	if (logparse_start(msg, size, id) == 0)
		fuzz_logparse_id(id);
	if (logparse_end(msg, size, id) == 0)
		fuzz_logparse_id(id);
	(void)logparse_timeout(msg, size, &secs);
	(void)logparse_timeout(msg, size, NULL);
	if (logparse_request_id(msg, size, id) == 0)
		fuzz_logparse_id(id);

	n = logparse_split_lines(msg, size, starts, lens, 8);
	if (n == 0)
		abort();
	max = n < 8 ? n : 8;
	for (i = 0; i < max; i++) {
		if (starts[i] > size || lens[i] > size - starts[i])
			abort();
		if (i > 0 && starts[i] < starts[i - 1] + lens[i - 1])
			abort();
		if (memchr(msg + starts[i], '\n', lens[i]) != NULL)
			abort();
	}
	return 0;
}
