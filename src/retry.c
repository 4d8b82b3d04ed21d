/* AWS standard retry mode: classification, full-jitter backoff, retry quota. */
#include "retry.h"
#include "http.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/rand.h>

/* botocore/retries/standard.py ThrottlingErrorDetector, as shipped. */
static const char *const retry_throttle_codes[] = {
	"Throttling", "ThrottlingException", "ThrottledException",
	"RequestThrottledException", "TooManyRequestsException",
	"ProvisionedThroughputExceededException", "TransactionInProgressException",
	"RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException",
	"RequestThrottled", "SlowDown", "PriorRequestNotComplete",
	"EC2ThrottledException", NULL
};

/* TransientRetryableChecker codes, plus STS's special IDPCommunicationError. */
static const char *const retry_transient_codes[] = {
	"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
	"IDPCommunicationError", NULL
};

static double
retry_default_random(void *arg)
{
	uint64_t r;

	/* Jitter needs no secrecy, but RAND_bytes is already linked and seeded. */
	if (RAND_bytes((unsigned char *)&r, sizeof r) != 1)
		r = (uint64_t)random() << 31 ^ (uint64_t)random();
	return (double)(r >> 11) / 9007199254740992.0;	/* 53 bits: [0, 1) */
}

void
retry_policy_init(struct retry_policy *p, const char *mode, int max_attempts)
{
	memset(p, 0, sizeof *p);
	p->max_attempts = 3;
	if (mode != NULL && strcasecmp(mode, "legacy") == 0)
		p->max_attempts = 5;
	if (max_attempts > 0)
		p->max_attempts = max_attempts;
	p->quota = RETRY_QUOTA_MAX;
	p->random01 = retry_default_random;
	p->random_arg = NULL;
}

void
retry_policy_init_env(struct retry_policy *p, const char *profile_mode,
    int profile_max_attempts)
{
	const char *mode = profile_mode, *s;
	int attempts = profile_max_attempts;
	char *end;
	long n;

	s = getenv("AWS_RETRY_MODE");
	if (s != NULL && *s != '\0')
		mode = s;
	s = getenv("AWS_MAX_ATTEMPTS");
	if (s != NULL && *s != '\0') {
		errno = 0;
		n = strtol(s, &end, 10);
		if (errno == 0 && *end == '\0' && n > 0 && n <= 1000)
			attempts = (int)n;
	}
	retry_policy_init(p, mode, attempts);
}

static int
retry_code_in(const char *code, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (strcmp(code, *list) == 0)
			return 1;
	}
	return 0;
}

enum retry_kind
retry_classify(long http_status, const char *error_code, int transport_error)
{
	switch (transport_error) {
	case HTTP_OK:
		break;
	case HTTP_ERR_TIMEOUT:
		return RETRY_TIMEOUT;
	case HTTP_ERR_CONNECT:
	case HTTP_ERR_RESET:
	case HTTP_ERR_TRUNCATED:
	case HTTP_ERR_TLS:	/* botocore's SSLError is a ConnectionError */
		return RETRY_TRANSIENT;
	default:
		/* Our own ceiling or a local misuse: the same call fails again. */
		return RETRY_NO;
	}
	if (error_code != NULL && *error_code != '\0') {
		if (retry_code_in(error_code, retry_throttle_codes))
			return RETRY_THROTTLE;
		if (retry_code_in(error_code, retry_transient_codes))
			return RETRY_TRANSIENT;
	}
	switch (http_status) {
	case 500: case 502: case 503: case 504:
		return RETRY_TRANSIENT;
	default:
		/* 429 without a throttling code is deliberately not retried. */
		return RETRY_NO;
	}
}

static int
retry_cost(enum retry_kind kind)
{
	return kind == RETRY_TIMEOUT ? RETRY_COST_TIMEOUT : RETRY_COST;
}

int
retry_should_retry(struct retry_policy *p, int attempt, enum retry_kind kind,
    long *delay_ms)
{
	double r;
	long cap_ms;
	int cost;

	*delay_ms = 0;
	if (kind == RETRY_NO || attempt < 1 || attempt >= p->max_attempts)
		return 0;
	cost = retry_cost(kind);
	if (p->quota < cost)
		return 0;
	p->quota -= cost;
	/* min(2^(attempt-1), 20) s; the shift is bounded before it can overflow. */
	cap_ms = attempt > 6 ? RETRY_MAX_BACKOFF_MS : 1000L << (attempt - 1);
	if (cap_ms > RETRY_MAX_BACKOFF_MS)
		cap_ms = RETRY_MAX_BACKOFF_MS;
	r = p->random01(p->random_arg);
	if (!(r >= 0.0))
		r = 0.0;
	if (r >= 1.0)
		r = 0.999999;
	*delay_ms = (long)(r * (double)cap_ms);
	return 1;
}

void
retry_on_success(struct retry_policy *p, int attempts_used,
    enum retry_kind last_retry_kind)
{
	p->quota += attempts_used <= 1 ? 1 : retry_cost(last_retry_kind);
	if (p->quota > RETRY_QUOTA_MAX)
		p->quota = RETRY_QUOTA_MAX;
}
