/* Unit tests for src/retry.c: AWS standard retry mode as the CLI v2 ships it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "http.h"
#include "retry.h"

static double
fixed_random(void *arg)
{
	return *(double *)arg;
}

static void
test_classification_table(void **state)
{
	static const struct {
		long		 status;
		const char	*code;
		int		 terr;
		enum retry_kind	 want;
	} cases[] = {
		{ 200, NULL, HTTP_OK, RETRY_NO },
		{ 500, NULL, HTTP_OK, RETRY_TRANSIENT },
		{ 502, "", HTTP_OK, RETRY_TRANSIENT },
		{ 503, NULL, HTTP_OK, RETRY_TRANSIENT },
		{ 504, NULL, HTTP_OK, RETRY_TRANSIENT },
		{ 501, NULL, HTTP_OK, RETRY_NO },
		{ 509, NULL, HTTP_OK, RETRY_NO },
		{ 429, NULL, HTTP_OK, RETRY_NO },
		{ 429, "", HTTP_OK, RETRY_NO },
		{ 429, "TooManyRequestsException", HTTP_OK, RETRY_THROTTLE },
		{ 400, "Throttling", HTTP_OK, RETRY_THROTTLE },
		{ 400, "ThrottlingException", HTTP_OK, RETRY_THROTTLE },
		{ 400, "ThrottledException", HTTP_OK, RETRY_THROTTLE },
		{ 400, "RequestThrottledException", HTTP_OK, RETRY_THROTTLE },
		{ 400, "ProvisionedThroughputExceededException", HTTP_OK, RETRY_THROTTLE },
		{ 400, "TransactionInProgressException", HTTP_OK, RETRY_THROTTLE },
		{ 400, "RequestLimitExceeded", HTTP_OK, RETRY_THROTTLE },
		{ 400, "BandwidthLimitExceeded", HTTP_OK, RETRY_THROTTLE },
		{ 400, "LimitExceededException", HTTP_OK, RETRY_THROTTLE },
		{ 400, "RequestThrottled", HTTP_OK, RETRY_THROTTLE },
		{ 503, "SlowDown", HTTP_OK, RETRY_THROTTLE },
		{ 400, "PriorRequestNotComplete", HTTP_OK, RETRY_THROTTLE },
		{ 400, "EC2ThrottledException", HTTP_OK, RETRY_THROTTLE },
		{ 400, "RequestTimeout", HTTP_OK, RETRY_TRANSIENT },
		{ 408, "RequestTimeoutException", HTTP_OK, RETRY_TRANSIENT },
		{ 400, "IDPCommunicationError", HTTP_OK, RETRY_TRANSIENT },
		{ 400, "ValidationException", HTTP_OK, RETRY_NO },
		{ 403, "AccessDeniedException", HTTP_OK, RETRY_NO },
		{ 404, "ResourceNotFoundException", HTTP_OK, RETRY_NO },
		{ 409, "ResourceConflictException", HTTP_OK, RETRY_NO },
		{ 400, "throttling", HTTP_OK, RETRY_NO },	/* codes are exact */
		{ 0, NULL, HTTP_ERR_CONNECT, RETRY_TRANSIENT },
		{ 0, NULL, HTTP_ERR_RESET, RETRY_TRANSIENT },
		{ 200, NULL, HTTP_ERR_TRUNCATED, RETRY_TRANSIENT },
		{ 0, NULL, HTTP_ERR_TLS, RETRY_TRANSIENT },
		{ 0, NULL, HTTP_ERR_TIMEOUT, RETRY_TIMEOUT },
		{ 200, NULL, HTTP_ERR_TOOBIG, RETRY_NO },
		{ 0, NULL, HTTP_ERR_OTHER, RETRY_NO },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum retry_kind got = retry_classify(cases[i].status, cases[i].code,
		    cases[i].terr);

		if (got != cases[i].want)
			fail_msg("case %zu (%ld %s %d): got %d, want %d", i,
			    cases[i].status, cases[i].code ? cases[i].code : "NULL",
			    cases[i].terr, got, cases[i].want);
	}
}

static void
test_modes_and_attempts(void **state)
{
	struct retry_policy p;

	retry_policy_init(&p, NULL, 0);
	assert_int_equal(p.max_attempts, 3);
	assert_int_equal(p.quota, 500);
	retry_policy_init(&p, "standard", 0);
	assert_int_equal(p.max_attempts, 3);
	retry_policy_init(&p, "adaptive", 0);
	assert_int_equal(p.max_attempts, 3);
	retry_policy_init(&p, "legacy", 0);
	assert_int_equal(p.max_attempts, 5);
	retry_policy_init(&p, "legacy", 2);
	assert_int_equal(p.max_attempts, 2);
	retry_policy_init(&p, "standard", 7);
	assert_int_equal(p.max_attempts, 7);
}

static void
test_attempts_are_total_attempts(void **state)
{
	struct retry_policy p;
	double r = 0.5;
	long delay;

	retry_policy_init(&p, NULL, 0);
	p.random01 = fixed_random;
	p.random_arg = &r;
	assert_int_equal(retry_should_retry(&p, 1, RETRY_TRANSIENT, &delay), 1);
	assert_int_equal(retry_should_retry(&p, 2, RETRY_TRANSIENT, &delay), 1);
	/* The third attempt was the last of 3. */
	assert_int_equal(retry_should_retry(&p, 3, RETRY_TRANSIENT, &delay), 0);
	assert_int_equal(retry_should_retry(&p, 1, RETRY_NO, &delay), 0);

	retry_policy_init(&p, "legacy", 0);
	p.random01 = fixed_random;
	p.random_arg = &r;
	assert_int_equal(retry_should_retry(&p, 4, RETRY_THROTTLE, &delay), 1);
	assert_int_equal(retry_should_retry(&p, 5, RETRY_THROTTLE, &delay), 0);

	retry_policy_init(&p, NULL, 1);
	assert_int_equal(retry_should_retry(&p, 1, RETRY_TRANSIENT, &delay), 0);
}

static void
test_backoff_bounds_and_cap(void **state)
{
	struct retry_policy p;
	double r;
	long delay;
	int attempt;

	retry_policy_init(&p, NULL, 50);
	p.random01 = fixed_random;
	p.random_arg = &r;

	r = 0.0;
	assert_int_equal(retry_should_retry(&p, 1, RETRY_TRANSIENT, &delay), 1);
	assert_int_equal(delay, 0);

	/* Just under 1: the delay approaches min(2^(n-1), 20) s from below. */
	r = 0.9999;
	for (attempt = 1; attempt <= 10; attempt++) {
		long cap = attempt >= 6 ? 20000 : 1000L << (attempt - 1);

		assert_int_equal(retry_should_retry(&p, attempt, RETRY_THROTTLE, &delay), 1);
		assert_true(delay <= cap);
		assert_true(delay >= cap - cap / 1000 - 1);
	}
	r = 0.5;
	assert_int_equal(retry_should_retry(&p, 3, RETRY_TRANSIENT, &delay), 1);
	assert_int_equal(delay, 2000);
	assert_int_equal(retry_should_retry(&p, 40, RETRY_TRANSIENT, &delay), 1);
	assert_int_equal(delay, 10000);
	/* A random function out of range is clamped, never a negative delay. */
	r = -3.0;
	assert_int_equal(retry_should_retry(&p, 2, RETRY_TRANSIENT, &delay), 1);
	assert_int_equal(delay, 0);
	r = 7.0;
	assert_int_equal(retry_should_retry(&p, 30, RETRY_TRANSIENT, &delay), 1);
	assert_true(delay < 20000 && delay > 19000);
}

static void
test_default_random_stays_in_range(void **state)
{
	struct retry_policy p;
	long delay, max = 0;
	int i;

	retry_policy_init(&p, NULL, 0);
	for (i = 0; i < 200; i++) {
		p.quota = 500;
		assert_int_equal(retry_should_retry(&p, 2, RETRY_TRANSIENT, &delay), 1);
		assert_true(delay >= 0 && delay < 2000);
		if (delay > max)
			max = delay;
	}
	/* Jitter, not a constant: 200 draws cannot all land in the lower half. */
	assert_true(max > 1000);
}

static void
test_quota_exhaustion_and_refunds(void **state)
{
	struct retry_policy p;
	double r = 0.1;
	long delay;
	int granted = 0;

	retry_policy_init(&p, NULL, 0);
	p.random01 = fixed_random;
	p.random_arg = &r;
	while (retry_should_retry(&p, 1, RETRY_TRANSIENT, &delay) == 1)
		granted++;
	assert_int_equal(granted, 100);		/* 500 / 5 */
	assert_int_equal(p.quota, 0);
	assert_int_equal(delay, 0);

	/* A success without retries refunds 1; a retry needs 5. */
	retry_on_success(&p, 1, RETRY_NO);
	assert_int_equal(p.quota, 1);
	assert_int_equal(retry_should_retry(&p, 1, RETRY_THROTTLE, &delay), 0);
	retry_on_success(&p, 2, RETRY_TRANSIENT);
	assert_int_equal(p.quota, 6);
	assert_int_equal(retry_should_retry(&p, 1, RETRY_THROTTLE, &delay), 1);
	assert_int_equal(p.quota, 1);

	/* A timeout costs 10 and refunds 10. */
	p.quota = 9;
	assert_int_equal(retry_should_retry(&p, 1, RETRY_TIMEOUT, &delay), 0);
	assert_int_equal(p.quota, 9);
	p.quota = 10;
	assert_int_equal(retry_should_retry(&p, 1, RETRY_TIMEOUT, &delay), 1);
	assert_int_equal(p.quota, 0);
	retry_on_success(&p, 2, RETRY_TIMEOUT);
	assert_int_equal(p.quota, 10);

	/* The bucket never passes 500. */
	p.quota = 499;
	retry_on_success(&p, 1, RETRY_NO);
	retry_on_success(&p, 1, RETRY_NO);
	assert_int_equal(p.quota, 500);
	retry_on_success(&p, 3, RETRY_TIMEOUT);
	assert_int_equal(p.quota, 500);
}

static void
test_environment_overrides_profile(void **state)
{
	struct retry_policy p;

	unsetenv("AWS_RETRY_MODE");
	unsetenv("AWS_MAX_ATTEMPTS");
	retry_policy_init_env(&p, NULL, 0);
	assert_int_equal(p.max_attempts, 3);
	retry_policy_init_env(&p, "legacy", 0);
	assert_int_equal(p.max_attempts, 5);
	retry_policy_init_env(&p, "standard", 4);
	assert_int_equal(p.max_attempts, 4);

	setenv("AWS_RETRY_MODE", "legacy", 1);
	retry_policy_init_env(&p, "standard", 0);
	assert_int_equal(p.max_attempts, 5);

	setenv("AWS_MAX_ATTEMPTS", "8", 1);
	retry_policy_init_env(&p, "standard", 4);
	assert_int_equal(p.max_attempts, 8);

	setenv("AWS_MAX_ATTEMPTS", "lots", 1);
	retry_policy_init_env(&p, NULL, 4);
	assert_int_equal(p.max_attempts, 4);
	setenv("AWS_MAX_ATTEMPTS", "0", 1);
	unsetenv("AWS_RETRY_MODE");
	retry_policy_init_env(&p, NULL, 0);
	assert_int_equal(p.max_attempts, 3);
	unsetenv("AWS_MAX_ATTEMPTS");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classification_table),
		cmocka_unit_test(test_modes_and_attempts),
		cmocka_unit_test(test_attempts_are_total_attempts),
		cmocka_unit_test(test_backoff_bounds_and_cap),
		cmocka_unit_test(test_default_random_stays_in_range),
		cmocka_unit_test(test_quota_exhaustion_and_refunds),
		cmocka_unit_test(test_environment_overrides_profile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
