/*
 * The plain commands (dlc envs, dlc ls, dlc login, ...): one table of
 * commands with their help text, shared set-up of configuration, event
 * loop and HTTP, and the output conventions (text or JSON, exit 0 success,
 * 1 failure, 2 usage error).
 */
#ifndef DLC_CLI_H
#define DLC_CLI_H

#include <stdio.h>

#include "aws.h"
#include "awsconfig.h"
#include "dlcconfig.h"
#include "err.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

struct cli_ctx {
	const char		*config_path;	/* --config, or NULL */
	struct dlc_config	 cfg;
	int			 have_cfg;
	struct aws_ctx		 aws;
	int			 json;		/* -o json */
	int			 verbose;
	const char		*env_name;	/* console: -e ENV to open at */
	const char		*theme;		/* console: --theme NAME */
	int			 exit_when_loaded; /* console: quit once the list is drawn (benchmarks) */
	int			 list_keys;	/* --keys: print the console's keys and commands */
	long			 connect_timeout_ms;	/* --connect-timeout, 0 when not given */
	long			 read_timeout_ms;	/* --read-timeout */
};

/* The console (ui/), set by main() so the engine never links curses itself. */
extern int (*cli_console)(struct cli_ctx *ctx);

struct cli_command {
	const char	*name;
	const char	*usage;		/* the line after "dlc " */
	const char	*summary;
	const char	*options;	/* the option lines of --help */
	int		(*run)(struct cli_ctx *ctx, int argc, char **argv);
};

extern const struct cli_command cli_commands[];

int	cli_main(int argc, char **argv);

/* Loads dlc.ini and the AWS files, starts the loop and HTTP. */
int	cli_setup(struct cli_ctx *ctx, struct dlc_err *err);
void	cli_teardown(struct cli_ctx *ctx);
/* The environment named by -e, or an error listing the known ones. */
const struct dlc_env *cli_find_env(struct cli_ctx *ctx, const char *name, struct dlc_err *err);
/* An aws_env with its credential provider for a dlc environment; NULL with err. */
struct aws_env *cli_open_env(struct cli_ctx *ctx, const struct dlc_env *env, struct dlc_err *err);
void	cli_close_env(struct aws_env *env);
/*
 * With dlc.ini's account = set, asks STS where aenv's credentials lead and
 * refuses (-1, code WrongAccount) another account; 0 when it is right or
 * no account is set.
 */
int	cli_check_account(struct cli_ctx *ctx, struct aws_env *aenv, const struct dlc_env *env,
	    struct dlc_err *err);
struct local_function;
/*
 * The remote name of name (a local folder or a remote name, read as dlc
 * logs reads it) in env, checked with Lambda: allocated, or NULL with err
 * ("no function 'x' in alpha", fixed by 'dlc ls -e alpha').
 */
char	*cli_resolve_function(struct cli_ctx *ctx, struct aws_env *aenv,
	    const struct dlc_env *env, const struct local_function *locals,
	    size_t n_locals, const char *name, struct dlc_err *err);
/* Prints the error (sanitised) as "dlc: ..." on stderr; returns CLI_FAIL. */
int	cli_error(const struct dlc_err *err);
/* Parses "-o text|json"; returns -1 on a bad value. */
int	cli_parse_output(struct cli_ctx *ctx, const char *value);
/*
 * The options every command takes alike, for the default of its getopt
 * switch: -o text|json, -h (help on stdout), anything else (help on
 * stderr). Returns 1 with *rc set when the command must return *rc now;
 * 0 when it goes on (a good -o).
 */
int	cli_common_option(struct cli_ctx *ctx, const struct cli_command *cmd,
	    int ch, const char *arg, int *rc);
void	cli_command_help(const struct cli_command *cmd, FILE *out);
/* The table's entry of a command, so a command finds its own help; NULL if none. */
const struct cli_command *cli_command_find(const char *name);

int	cli_envs_run(struct cli_ctx *ctx, int argc, char **argv);
int	cli_ls_run(struct cli_ctx *ctx, int argc, char **argv);
int	cli_login_run(struct cli_ctx *ctx, int argc, char **argv);
int	cli_logs_run(struct cli_ctx *ctx, int argc, char **argv);
int	cli_build_run(struct cli_ctx *ctx, int argc, char **argv);
int	cli_invoke_run(struct cli_ctx *ctx, int argc, char **argv);
int	cli_diff_run(struct cli_ctx *ctx, int argc, char **argv);
int	cli_scan_run(struct cli_ctx *ctx, int argc, char **argv);
int	cli_history_run(struct cli_ctx *ctx, int argc, char **argv);
int	cli_lock_run(struct cli_ctx *ctx, int argc, char **argv);
int	cli_new_run(struct cli_ctx *ctx, int argc, char **argv);
int	cli_alarms_run(struct cli_ctx *ctx, int argc, char **argv);
int	cli_metrics_run(struct cli_ctx *ctx, int argc, char **argv);

#endif
