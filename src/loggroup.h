/*
 * Where the logs of what the user named are, decided in one place for
 * dlc logs and the console's log view. A name is a local folder
 * (functions/NAME, deployed under the environment's function-name
 * template), a remote function name, or a name through that template,
 * tried in that order; its group is the function's LoggingConfig.LogGroup
 * (GetFunctionConfiguration), else /aws/lambda/FUNCTION. A log group named
 * as such (--group) is taken as it is, whether a function still writes to
 * it or not, and costs no call.
 */
#ifndef DLC_LOGGROUP_H
#define DLC_LOGGROUP_H

#include <stddef.h>

#include "err.h"

struct aws_env;
struct dlc_env;
struct local_function;
struct loop;

struct loggroup_target {
	char		*label;		/* what the user typed: the tag in merged output */
	char		*function;	/* the remote function; NULL for a named group */
	char		*group;		/* NULL when err is set */
	struct dlc_err	 err;
};

/* All targets are resolved (each has a group or err); runs from the loop. */
typedef void (*loggroup_done_cb)(struct loggroup_target *targets, size_t n,
	    void *arg);

struct loggroup_resolver;

/*
 * names[i] is a log group when is_group != NULL and is_group[i], else a
 * function. Everything is copied; locals may be freed after the call.
 */
struct loggroup_resolver *loggroup_resolve(struct loop *loop,
	    struct aws_env *aenv, const struct dlc_env *env,
	    const struct local_function *locals, size_t n_locals,
	    const char *const *names, const int *is_group, size_t n,
	    loggroup_done_cb cb, void *arg);
/* The targets (valid until the resolver is freed). */
struct loggroup_target *loggroup_targets(struct loggroup_resolver *r, size_t *n);
/* Cancels calls in flight. NULL is a no-op. Not from inside its callback. */
void	loggroup_resolver_free(struct loggroup_resolver *r);

#endif
