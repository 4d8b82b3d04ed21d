/*
 * dlc push and dlc layer (src/cli-push.c, src/cli-layer.c): the commands'
 * entries, and what both share to run deploy jobs one after another.
 */
#ifndef DLC_CLI_PUSH_H
#define DLC_CLI_PUSH_H

#include <cjson/cJSON.h>

#include "cli.h"
#include "push.h"

#define CLI_PUSH_OPTIONS \
	"  -e, --env ENV         the environment (from dlc.ini)\n" \
	"                        FUNCTION: a folder of functions/, or its name in AWS\n" \
	"      --changed         every function whose local zip differs from the deployed one\n" \
	"      --no-wait         queue the jobs, print their ids and return (dlc queue follows them)\n" \
	"  -n, --dry-run         build and compare, say what would be sent; change nothing\n" \
	"      --confirm ENV     the environment's name, for deploy = confirm without a terminal\n" \
	"  -o, --output FORMAT   text (default) or json\n"
#define CLI_LAYER_OPTIONS \
	"  build LAYER           package the layer and print its CodeSha256\n" \
	"  publish LAYER         publish a new version when it differs from the newest,\n" \
	"                        then move the functions that use it (asked per function)\n" \
	"  ls                    which function pins which version of which layer\n" \
	"  -e, --env ENV         the environment (from dlc.ini)\n" \
	"      --move all|none   without a terminal: move every function, or none\n" \
	"  -n, --dry-run         say what would be published and moved; change nothing\n" \
	"      --confirm ENV     the environment's name, for deploy = confirm without a terminal\n" \
	"  -o, --output FORMAT   text (default) or json\n"

int	cli_push_run(struct cli_ctx *ctx, int argc, char **argv);
int	cli_layer_run(struct cli_ctx *ctx, int argc, char **argv);

/*
 * DLC_INLINE_LIMIT, a test knob: zips above this many bytes go through S3
 * (0 when unset: Lambda's own limit).
 */
unsigned long long cli_push_inline_limit(void);
/*
 * The name typed back for env's confirm policy: given (--confirm) when
 * set, else asked on the terminal when the policy is confirm and this is
 * no dry run; NULL otherwise (the job then refuses). Allocated.
 */
char	*cli_push_confirm(const struct dlc_env *env, const char *given,
	    int dry_run, const char *what);
struct cli_jobs;
struct cli_jobs_result;

/*
 * Queues one job in cj and waits for it, progress on stderr; *res is
 * what it did. With list, appends its JSON (cli_jobs_json). -1 with err
 * when it was refused, failed or cancelled.
 */
int	cli_push_run_job(struct cli_jobs *cj, struct aws_env *aenv,
	    const struct dlc_env *env, const struct local_function *fn,
	    enum push_kind kind, const struct push_options *opts, cJSON *list,
	    struct push_result *res, struct dlc_err *err);
/* A code job's result line on stdout (deployed, unchanged, dry run). */
void	cli_push_print_result(const struct cli_jobs_result *r);
int	cli_queue_run(struct cli_ctx *ctx, int argc, char **argv);
int	cli_rollback_run(struct cli_ctx *ctx, int argc, char **argv);

#endif
