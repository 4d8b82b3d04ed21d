/*
 * When to retry an AWS call and how long to wait: AWS "standard" retry
 * mode as the AWS CLI v2 ships it (botocore/retries/standard.py and
 * quota.py): 3 attempts, full-jitter exponential backoff capped at 20 s,
 * and a per-client retry quota so an outage does not multiply the load.
 * One policy per client; callers decide, this module only answers.
 */
#ifndef DLC_RETRY_H
#define DLC_RETRY_H

enum retry_kind {
	RETRY_NO = 0,		/* not retryable: a client error, or success */
	RETRY_TRANSIENT,	/* 5xx, RequestTimeout, connection errors */
	RETRY_THROTTLE,		/* a throttling error code */
	RETRY_TIMEOUT		/* a connect or read timeout: costs more quota */
};

#define RETRY_QUOTA_MAX		500
#define RETRY_COST		5
#define RETRY_COST_TIMEOUT	10
#define RETRY_MAX_BACKOFF_MS	20000

struct retry_policy {
	int	  max_attempts;		/* total attempts, the first included */
	int	  quota;		/* retry tokens left, 0..RETRY_QUOTA_MAX */
	/* Returns a number in [0, 1); tests inject their own. */
	double	(*random01)(void *arg);
	void	 *random_arg;
};

/*
 * mode: NULL or "standard" (3 attempts), "legacy" (5 attempts), "adaptive"
 * (treated as standard). max_attempts > 0 overrides the mode's default.
 * An unknown mode is treated as standard. Legacy differs only in its
 * attempt count: dlc keeps standard's classification, cap and quota.
 */
void	retry_policy_init(struct retry_policy *p, const char *mode, int max_attempts);

/*
 * The same, after applying AWS_RETRY_MODE and AWS_MAX_ATTEMPTS from the
 * environment, which win over the profile's retry_mode / max_attempts
 * (pass NULL / 0 when the profile has none). A malformed AWS_MAX_ATTEMPTS
 * is ignored.
 */
void	retry_policy_init_env(struct retry_policy *p, const char *profile_mode,
	    int profile_max_attempts);

/*
 * Classifies one failed attempt. http_status is 0 when there was no
 * response; error_code is the AWS error code (NULL or "" if none);
 * transport_error is an enum http_transport_error (0: none).
 */
enum retry_kind retry_classify(long http_status, const char *error_code,
	    int transport_error);

/*
 * attempt is the 1-based number of the attempt that just failed. Returns 1
 * and sets *delay_ms (and takes the quota) when the call should be tried
 * again after that delay, 0 to give up.
 */
int	retry_should_retry(struct retry_policy *p, int attempt, enum retry_kind kind,
	    long *delay_ms);

/*
 * Reports a successful call: refunds 1 token when it took one attempt, or
 * the cost of the last retry (from its kind) when it took more.
 */
void	retry_on_success(struct retry_policy *p, int attempts_used,
	    enum retry_kind last_retry_kind);

#endif
