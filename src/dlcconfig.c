/* dlc.ini (see dlcconfig.h). */
#include "dlcconfig.h"
#include "ini.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DLC_CONFIG_PLACEHOLDER	"{function}"

char *
dlc_config_default_path(const char *explicit_path)
{
	const char *v;

	if (explicit_path != NULL && *explicit_path != '\0')
		return xstrdup(explicit_path);
	if ((v = getenv("DLC_CONFIG")) != NULL && *v != '\0')
		return xstrdup(v);
	if (access("dlc.ini", F_OK) == 0)
		return xstrdup("./dlc.ini");
	if ((v = getenv("XDG_CONFIG_HOME")) != NULL && *v == '/')
		return xasprintf("%s/dlc/dlc.ini", v);
	if ((v = getenv("HOME")) != NULL && *v != '\0')
		return xasprintf("%s/.config/dlc/dlc.ini", v);
	return xstrdup("./dlc.ini");
}

void
dlc_config_free(struct dlc_config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->n_envs; i++) {
		free(cfg->envs[i].name);
		free(cfg->envs[i].profile);
		free(cfg->envs[i].region);
		free(cfg->envs[i].function_name);
		free(cfg->envs[i].account);
		free(cfg->envs[i].artifacts_bucket);
		free(cfg->envs[i].lock_table);
	}
	free(cfg->envs);
	free(cfg->path);
	free(cfg->dir);
	free(cfg->functions_dir);
	free(cfg->theme);
	free(cfg->build_dir);
	memset(cfg, 0, sizeof *cfg);
}

const char *
dlc_deploy_policy_name(enum deploy_policy policy)
{
	switch (policy) {
	case DEPLOY_ALLOW:
		return "allow";
	case DEPLOY_CONFIRM:
		return "confirm";
	case DEPLOY_DENY:
		return "deny";
	}
	return "confirm";
}

static int
dlc_config_bad(struct dlc_err *err, const char *file, int line,
    const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
dlc_config_bad(struct dlc_err *err, const char *file, int line,
    const char *fix, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	dlc_err_what(err, "reading %s", file);
	dlc_err_set(err, "ConfigError", "%s line %d: %s", file, line, msg);
	dlc_err_fix(err, "%s", fix);
	return -1;
}

/* 1 when v is a whole number from lo to hi (into *out), 0 when not. */
static int
dlc_config_whole(const char *v, long lo, long hi, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(v, &end, 10);
	return errno == 0 && end != v && *end == '\0' && *out >= lo && *out <= hi;
}

static int dlc_config_queue_key(struct dlc_config *cfg, const char *v,
    int line, struct dlc_err *err);
static int	dlc_config_journal_key(struct dlc_config *cfg, const char *key,
		    const char *v, int line, struct dlc_err *err);
static int	dlc_config_alarm_key(struct dlc_config *cfg, const char *key,
		    const char *v, int line, struct dlc_err *err);

static int
dlc_config_dlc_section(struct dlc_config *cfg, const struct ini_section *sec,
    struct dlc_err *err)
{
	const char *key, *raw;
	char *v;
	size_t i;
	long n;
	int line, rc;

	for (i = 0; i < ini_key_count(sec); i++) {
		key = ini_key_at(sec, i, &raw);
		line = ini_key_line_at(sec, i);
		v = ini_unquote(raw);
		if (strcmp(key, "functions") == 0 && *v != '\0') {
			free(cfg->functions_dir);
			cfg->functions_dir = v[0] == '/' ? xstrdup(v) :
			    xasprintf("%s/%s", cfg->dir, v);
		} else if (strcmp(key, "build-dir") == 0 && *v != '\0') {
			free(cfg->build_dir);
			cfg->build_dir = v[0] == '/' ? xstrdup(v) :
			    xasprintf("%s/%s", cfg->dir, v);
		} else if (strcmp(key, "theme") == 0 && *v != '\0') {
			free(cfg->theme);
			cfg->theme = v;
			continue;
		} else if (strcmp(key, "refresh") == 0) {
			if (!dlc_config_whole(v, 1, DLC_CONFIG_REFRESH_MAX, &n)) {
				dlc_config_bad(err, cfg->path, line,
				    "write refresh as whole seconds, e.g. "
				    "refresh = 30", "refresh '%s' is not a "
				    "number of seconds between 1 and 86400",
				    v);
				free(v);
				return -1;
			}
			cfg->refresh_seconds = (int)n;
		} else if (strcmp(key, "log-buffer") == 0) {
			if (!dlc_config_whole(v, 1000, DLC_CONFIG_LOG_BUFFER_MAX, &n)) {
				dlc_config_bad(err, cfg->path, line,
				    "write it as a number of events, e.g. "
				    "log-buffer = 1000000", "log-buffer '%s' is "
				    "not a number of events between 1000 and "
				    "50000000", v);
				free(v);
				return -1;
			}
			cfg->log_buffer_events = (size_t)n;
		} else if (strcmp(key, "connect-timeout") == 0 ||
		    strcmp(key, "read-timeout") == 0) {
			if (!dlc_config_whole(v, 1, DLC_CONFIG_TIMEOUT_MAX, &n)) {
				dlc_config_bad(err, cfg->path, line,
				    "write whole seconds, e.g. "
				    "read-timeout = 15", "%s '%s' is not a number of "
				    "seconds between 1 and 600", key, v);
				free(v);
				return -1;
			}
			if (key[0] == 'c')
				cfg->connect_timeout_ms = n * 1000;
			else
				cfg->read_timeout_ms = n * 1000;
		} else if (strcmp(key, "queue-parallel") == 0) {
			if (dlc_config_queue_key(cfg, v, line, err) != 0) {
				free(v);
				return -1;
			}
		} else if (strcmp(key, "functions") == 0 ||
		    strcmp(key, "theme") == 0 || strcmp(key, "build-dir") == 0) {
			dlc_config_bad(err, cfg->path, line, "give it a value "
			    "or remove the line", "'%s' is empty", key);
			free(v);
			return -1;
		} else if ((rc = dlc_config_journal_key(cfg, key, v, line, err)) != 0 ||
		    (rc = dlc_config_alarm_key(cfg, key, v, line, err)) != 0) {
			if (rc < 0) {
				free(v);
				return -1;
			}
		} else {
			dlc_config_bad(err, cfg->path, line, "[dlc] knows "
			    "functions, build-dir, theme, refresh, log-buffer, "
			    "connect-timeout, read-timeout, keep-packages, "
			    "queue-parallel and alarm-bell: fix the spelling "
			    "or remove the line", "unknown key "
			    "'%s' in [dlc]", key);
			free(v);
			return -1;
		}
		free(v);
	}
	return 0;
}

static int
dlc_config_template_ok(const char *t)
{
	const char *p = strstr(t, DLC_CONFIG_PLACEHOLDER);

	return p != NULL && strstr(p + 1, DLC_CONFIG_PLACEHOLDER) == NULL;
}

/* S3's rules for a bucket name (path-style, so no dots trouble). */
static int
dlc_config_bucket_ok(const char *v)
{
	size_t n = strlen(v);

	return n >= 3 && n <= 63 &&
	    strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789.-") == n &&
	    v[0] != '.' && v[0] != '-' && v[n - 1] != '.' && v[n - 1] != '-';
}

static int dlc_config_lock_key(struct dlc_config *cfg, struct dlc_env *env,
    const char *key, const char *v, int line, struct dlc_err *err);

static int
dlc_config_env_key(struct dlc_config *cfg, struct dlc_env *env,
    const char *key, char *v, int line, struct dlc_err *err)
{
	char **slot = NULL;
	int rc;

	if (strcmp(key, "profile") == 0)
		slot = &env->profile;
	else if (strcmp(key, "region") == 0)
		slot = &env->region;
	else if (strcmp(key, "function-name") == 0) {
		if (!dlc_config_template_ok(v))
			return dlc_config_bad(err, cfg->path, line,
			    "write it like function-name = "
			    "datalake-alpha-{function}", "function-name '%s' "
			    "must hold {function} exactly once", v);
		slot = &env->function_name;
	} else if (strcmp(key, "account") == 0) {
		if (strlen(v) != 12 || strspn(v, "0123456789") != 12)
			return dlc_config_bad(err, cfg->path, line,
			    "write the 12-digit AWS account id, e.g. "
			    "account = 123456789012", "account '%s' is not a "
			    "12-digit AWS account id", v);
		slot = &env->account;
	} else if (strcmp(key, "artifacts-bucket") == 0) {
		if (!dlc_config_bucket_ok(v))
			return dlc_config_bad(err, cfg->path, line,
			    "write an S3 bucket name: 3 to 63 lower-case "
			    "letters, digits, dots and hyphens, e.g. "
			    "artifacts-bucket = datalake-alpha-artifacts",
			    "artifacts-bucket '%s' is not an S3 bucket name "
			    "(in [env %s])", v, env->name);
		slot = &env->artifacts_bucket;
	} else if (strcmp(key, "deploy") == 0) {
		if (strcmp(v, "allow") == 0)
			env->deploy = DEPLOY_ALLOW;
		else if (strcmp(v, "confirm") == 0)
			env->deploy = DEPLOY_CONFIRM;
		else if (strcmp(v, "deny") == 0)
			env->deploy = DEPLOY_DENY;
		else
			return dlc_config_bad(err, cfg->path, line,
			    "write deploy = allow, confirm or deny",
			    "deploy '%s' is not allow, confirm or deny "
			    "(in [env %s])", v, env->name);
		return 0;
	} else if ((rc = dlc_config_lock_key(cfg, env, key, v, line,
	    err)) != -2) {
		return rc;
	} else {
		return dlc_config_bad(err, cfg->path, line, "an [env] section "
		    "knows profile, region, function-name, deploy, account, "
		    "artifacts-bucket, lock-table and lock-lease: "
		    "fix the spelling or remove the line",
		    "unknown key '%s' in [env %s]", key, env->name);
	}
	if (*v == '\0')
		return dlc_config_bad(err, cfg->path, line, "give it a value "
		    "or remove the line to use the default", "'%s' is empty "
		    "in [env %s]", key, env->name);
	free(*slot);
	*slot = xstrdup(v);
	return 0;
}

static int
dlc_config_env_section(struct dlc_config *cfg, const struct ini_section *sec,
    const char *name, struct dlc_err *err)
{
	struct dlc_env *env;
	const char *key, *raw;
	char *v;
	size_t i;
	int rc;

	/* [env alpha] and [env "alpha"] are one environment: refuse both. */
	if ((env = (struct dlc_env *)dlc_config_env(cfg, name)) != NULL) {
		char *fix = xasprintf("keep one [env %s] section: two would "
		    "leave in doubt which deploy policy holds", name);

		dlc_config_bad(err, cfg->path, ini_section_line(sec), fix,
		    "environment '%s' again (first at line %d)", name,
		    env->line);
		free(fix);
		return -1;
	}
	cfg->envs = xreallocarray(cfg->envs, cfg->n_envs + 1,
	    sizeof *cfg->envs);
	env = &cfg->envs[cfg->n_envs++];
	memset(env, 0, sizeof *env);
	env->name = xstrdup(name);
	env->deploy = DEPLOY_CONFIRM;
	env->line = ini_section_line(sec);
	for (i = 0; i < ini_key_count(sec); i++) {
		key = ini_key_at(sec, i, &raw);
		v = ini_unquote(raw);
		rc = dlc_config_env_key(cfg, env, key, v,
		    ini_key_line_at(sec, i), err);
		free(v);
		if (rc != 0)
			return -1;
	}
	if (env->function_name == NULL)
		env->function_name = xstrdup(DLC_CONFIG_PLACEHOLDER);
	return 0;
}

static int
dlc_config_section(struct dlc_config *cfg, const struct ini_section *sec,
    struct dlc_err *err)
{
	const char *name = ini_section_name(sec);
	char **words;
	size_t n;
	int rc = -1;

	if (strcmp(name, "dlc") == 0)
		return dlc_config_dlc_section(cfg, sec, err);
	if (ini_split_words(name, &words, &n, NULL) != 0)
		return dlc_config_bad(err, cfg->path, ini_section_line(sec),
		    "close the quote in the section name", "section "
		    "[%s] has an unclosed quote", name);
	if (n == 2 && strcmp(words[0], "env") == 0 && words[1][0] != '\0')
		rc = dlc_config_env_section(cfg, sec, words[1], err);
	else
		dlc_config_bad(err, cfg->path, ini_section_line(sec),
		    "dlc.ini has [dlc] and [env NAME] sections: fix the "
		    "spelling or remove the section", "unknown section "
		    "[%s]", name);
	ini_words_free(words);
	return rc;
}

int
dlc_config_load(struct dlc_config *cfg, const char *path, struct dlc_err *err)
{
	struct ini *ini;
	const char *slash;
	size_t i;

	memset(cfg, 0, sizeof *cfg);
	ini = ini_load_strict(path, err);
	if (ini == NULL) {
		if (err != NULL && strcmp(err->code, "ENOENT") == 0)
			dlc_err_fix(err, "create %s (see dlc.ini(5)), or name "
			    "one with --config FILE or DLC_CONFIG", path);
		return -1;
	}
	cfg->path = xstrdup(path);
	slash = strrchr(path, '/');
	if (slash == NULL)
		cfg->dir = xstrdup(".");
	else if (slash == path)
		cfg->dir = xstrdup("/");
	else
		cfg->dir = xstrndup(path, (size_t)(slash - path));
	cfg->functions_dir = xasprintf("%s/functions", cfg->dir);
	cfg->build_dir = xasprintf("%s/.dlc/build", cfg->dir);
	cfg->theme = xstrdup("default");
	cfg->refresh_seconds = 30;
	cfg->log_buffer_events = DLC_CONFIG_LOG_BUFFER_DEFAULT;
	for (i = 0; i < ini_section_count(ini); i++) {
		if (dlc_config_section(cfg, ini_section_at(ini, i), err) != 0) {
			ini_free(ini);
			dlc_config_free(cfg);
			return -1;
		}
	}
	ini_free(ini);
	return 0;
}

const struct dlc_env *
dlc_config_env(const struct dlc_config *cfg, const char *name)
{
	size_t i;

	if (cfg == NULL || name == NULL)
		return NULL;
	for (i = 0; i < cfg->n_envs; i++) {
		if (strcmp(cfg->envs[i].name, name) == 0)
			return &cfg->envs[i];
	}
	return NULL;
}

char *
dlc_env_remote_name(const struct dlc_env *env, const char *local_name)
{
	const char *t = env->function_name != NULL ? env->function_name :
	    DLC_CONFIG_PLACEHOLDER;
	const char *p = strstr(t, DLC_CONFIG_PLACEHOLDER);

	if (p == NULL)
		return xstrdup(local_name);
	return xasprintf("%.*s%s%s", (int)(p - t), t, local_name,
	    p + strlen(DLC_CONFIG_PLACEHOLDER));
}

char *
dlc_env_local_name(const struct dlc_env *env, const char *remote_name)
{
	const char *t = env->function_name != NULL ? env->function_name :
	    DLC_CONFIG_PLACEHOLDER;
	const char *p = strstr(t, DLC_CONFIG_PLACEHOLDER), *suffix;
	size_t plen, slen, rlen = strlen(remote_name);

	if (p == NULL)
		return strcmp(t, remote_name) == 0 ? xstrdup(remote_name) :
		    NULL;
	plen = (size_t)(p - t);
	suffix = p + strlen(DLC_CONFIG_PLACEHOLDER);
	slen = strlen(suffix);
	if (rlen <= plen + slen || strncmp(remote_name, t, plen) != 0 ||
	    strcmp(remote_name + rlen - slen, suffix) != 0)
		return NULL;
	return xstrndup(remote_name + plen, rlen - plen - slen);
}

int
dlc_env_check_account(const struct dlc_env *env, const char *reached,
    struct dlc_err *err)
{
	char who[300];

	if (env->account == NULL || reached == NULL ||
	    strcmp(env->account, reached) == 0)
		return 0;
	if (env->profile != NULL)
		snprintf(who, sizeof who, "profile '%s'", env->profile);
	else
		snprintf(who, sizeof who, "the default credential chain");
	dlc_err_set(err, "WrongAccount", "%s reaches account %s but dlc.ini "
	    "says %s for env %s", who, reached, env->account, env->name);
	dlc_err_fix(err, "fix the profile or account = in [env %s] of dlc.ini, "
	    "or log in to account %s", env->name, env->account);
	return -1;
}

/* queue-parallel = N: the deploy queue's ordinary jobs at once (queue.h). */
static int
dlc_config_queue_key(struct dlc_config *cfg, const char *v, int line,
    struct dlc_err *err)
{
	long n;

	if (!dlc_config_whole(v, 1, 64, &n))
		return dlc_config_bad(err, cfg->path, line, "write it as a "
		    "number of jobs, e.g. queue-parallel = 4",
		    "queue-parallel '%s' is not a number of jobs between 1 "
		    "and 64", v);
	cfg->queue_parallel = (int)n;
	return 0;
}

/*
 * The team lock's keys in an [env] section (lease.h): lock-table = NAME
 * (a DynamoDB table: 3 to 255 letters, digits, '_', '-', '.') and
 * lock-lease = SECONDS (decimals allowed, at least 1). Returns 0, -1 with
 * err, or -2 when key is not one of them.
 */
static int
dlc_config_lock_key(struct dlc_config *cfg, struct dlc_env *env,
    const char *key, const char *v, int line, struct dlc_err *err)
{
	size_t n = strlen(v);
	char *end;
	double s;

	if (strcmp(key, "lock-table") == 0) {
		if (n < 3 || n > 255 || strspn(v, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != n)
			return dlc_config_bad(err, cfg->path, line,
			    "write a DynamoDB table name: 3 to 255 letters, "
			    "digits, '_', '-' and '.', e.g. lock-table = "
			    "dlc-locks", "lock-table '%s' is not a DynamoDB "
			    "table name (in [env %s])", v, env->name);
		free(env->lock_table);
		env->lock_table = xstrdup(v);
		return 0;
	}
	if (strcmp(key, "lock-lease") != 0)
		return -2;
	errno = 0;
	s = strtod(v, &end);
	if (errno != 0 || end == v || *end != '\0' || !(s >= 1) ||
	    s > DLC_CONFIG_LOCK_LEASE_MAX_S)
		return dlc_config_bad(err, cfg->path, line, "write the lease "
		    "in seconds, from 1 to 3600, e.g. lock-lease = 20",
		    "lock-lease '%s' is not a number of seconds from 1 to "
		    "%d (in [env %s])", v, DLC_CONFIG_LOCK_LEASE_MAX_S,
		    env->name);
	env->lock_lease_ms = (long long)(s * 1000 + 0.5);
	return 0;
}

/*
 * The deploy queue's journal keys in [dlc]: 1 when key was one (and good),
 * 0 when it is not one, -1 with err when its value is wrong.
 */
static int
dlc_config_journal_key(struct dlc_config *cfg, const char *key, const char *v,
    int line, struct dlc_err *err)
{
	long n;

	if (strcmp(key, "keep-packages") != 0)
		return 0;
	if (!dlc_config_whole(v, 1, DLC_CONFIG_KEEP_PACKAGES_MAX, &n))
		return dlc_config_bad(err, cfg->path, line, "write how many "
		    "deployments per function keep their zip for rollback, "
		    "e.g. keep-packages = 5", "keep-packages '%s' is not a "
		    "whole number from 1 to 1000", v);
	cfg->keep_packages = (size_t)n;
	return 1;
}

size_t
dlc_config_keep_packages(const struct dlc_config *cfg)
{
	return cfg->keep_packages > 0 ? cfg->keep_packages :
	    DLC_CONFIG_KEEP_PACKAGES_DEFAULT;
}

/*
 * alarm-bell = yes|no in [dlc]: whether the console rings the terminal's
 * bell when an alarm goes into ALARM (the status line says so either way).
 * Off by default: a bell in a shared office is a choice. 1 when key was
 * it, 0 when not, -1 with err for another value.
 */
static int
dlc_config_alarm_key(struct dlc_config *cfg, const char *key, const char *v,
    int line, struct dlc_err *err)
{
	if (strcmp(key, "alarm-bell") != 0)
		return 0;
	if (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0) {
		cfg->alarm_bell = v[0] == 'y';
		return 1;
	}
	return dlc_config_bad(err, cfg->path, line, "write alarm-bell = yes or "
	    "alarm-bell = no", "alarm-bell '%s' is neither yes nor no", v);
}
