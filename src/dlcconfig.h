/*
 * dlc.ini: where the functions live, the theme, the refresh period, and
 * the environments (alpha, sandbox, ...) with their AWS profile, region,
 * remote naming template and deploy policy. Unknown sections and keys are
 * errors naming file and line: a typo in a deploy policy must never
 * silently allow a deploy.
 */
#ifndef DLC_DLCCONFIG_H
#define DLC_DLCCONFIG_H

#include <stddef.h>

#include "err.h"

enum deploy_policy {
	DEPLOY_ALLOW,
	DEPLOY_CONFIRM,
	DEPLOY_DENY
};

struct dlc_env {
	char		*name;
	char		*profile;	/* NULL: the default credential chain */
	char		*region;	/* NULL: the profile's region */
	char		*function_name;	/* template with one "{function}" */
	enum deploy_policy deploy;
	char		*account;	/* expected account id, or NULL */
	char		*artifacts_bucket; /* S3 bucket for zips too big to go inline, or NULL */
	int		 line;		/* of the [env NAME] header */
	/* The team lock (lease.h): a DynamoDB table in this environment's
	 * account, or NULL for none; the lease in ms (0: the default). */
	char		*lock_table;
	long long	 lock_lease_ms;
};

struct dlc_config {
	char		*path;		/* the dlc.ini read */
	char		*dir;		/* its folder */
	char		*functions_dir;	/* absolute, or relative to the cwd */
	char		*theme;
	int		 refresh_seconds;
	size_t		 log_buffer_events;	/* the log view's ring cap */
	long		 connect_timeout_ms;	/* 0: unset (the engine's default) */
	long		 read_timeout_ms;	/* a read that moves no byte this long fails */
	struct dlc_env	*envs;		/* in file order */
	size_t		 n_envs;
	char		*build_dir;	/* build-dir: zips, logs, staging; default DIR/.dlc/build */
	int		 queue_parallel;	/* queue-parallel: ordinary jobs at once; 0: the default, 4 */
	size_t		 keep_packages;	/* keep-packages; 0: unset (the default) */
	int		 alarm_bell;	/* alarm-bell = yes: the console rings on a new ALARM */
};

#define DLC_CONFIG_REFRESH_MAX	86400
#define DLC_CONFIG_TIMEOUT_MAX	600
#define DLC_CONFIG_LOG_BUFFER_DEFAULT	1000000
#define DLC_CONFIG_LOG_BUFFER_MAX	50000000
#define DLC_CONFIG_LOCK_LEASE_MAX_S	3600

/*
 * The dlc.ini to read: explicit (--config), else $DLC_CONFIG, else
 * ./dlc.ini if it exists, else $XDG_CONFIG_HOME/dlc/dlc.ini or
 * ~/.config/dlc/dlc.ini. Returns an allocated path (which may not exist).
 */
char		*dlc_config_default_path(const char *explicit_path);
/*
 * Reads path into cfg (overwritten). Returns 0, or -1 with err naming the
 * file and line; a missing file gives err->code "ENOENT".
 */
int		 dlc_config_load(struct dlc_config *cfg, const char *path,
		    struct dlc_err *err);
/* Frees the members; safe on a zeroed struct. */
void		 dlc_config_free(struct dlc_config *cfg);

const struct dlc_env *dlc_config_env(const struct dlc_config *cfg,
		    const char *name);
/* The template applied: "datalake-alpha-{function}" + "x". Allocated. */
char		*dlc_env_remote_name(const struct dlc_env *env,
		    const char *local_name);
/* The {function} part of remote_name; NULL if it does not match. Allocated. */
char		*dlc_env_local_name(const struct dlc_env *env,
		    const char *remote_name);
/*
 * 0 when env has no account = or reached (the account its credentials
 * reach, from GetCallerIdentity) is it; else -1 with err (code
 * WrongAccount) naming the profile, both accounts and the fix. Every
 * command and the console refuse such an environment: a deploy or a
 * listing would be of another account.
 */
int		 dlc_env_check_account(const struct dlc_env *env,
		    const char *reached, struct dlc_err *err);
/* "allow", "confirm", "deny". */
const char	*dlc_deploy_policy_name(enum deploy_policy policy);

/* keep-packages: deployments per function whose zip is kept for rollback. */
#define DLC_CONFIG_KEEP_PACKAGES_DEFAULT	5
#define DLC_CONFIG_KEEP_PACKAGES_MAX	1000
size_t		 dlc_config_keep_packages(const struct dlc_config *cfg);

#endif
