/*
 * The AWS CLI's shared files, ~/.aws/config and ~/.aws/credentials,
 * merged the way botocore merges them, so a profile means in dlc exactly
 * what it means to `aws --profile`: [default] and [profile NAME] in the
 * config file (also [profile default]), [sso-session NAME] and
 * [services NAME]; bare names in the credentials file, whose keys win
 * over the config file's for the same profile. As in Python's
 * RawConfigParser, a [DEFAULT] section is no profile but lends its keys to
 * every section of its file.
 */
#ifndef DLC_AWSCONFIG_H
#define DLC_AWSCONFIG_H

#include <stddef.h>

#include "err.h"

struct aws_config;

/*
 * Loads both files. A NULL path means AWS_CONFIG_FILE /
 * AWS_SHARED_CREDENTIALS_FILE (with ~ and $VAR expanded), else
 * ~/.aws/config / ~/.aws/credentials. A missing file is empty, not an
 * error; a malformed one is an error naming file and line. Returns an
 * allocated struct, or NULL with err filled.
 */
struct aws_config *aws_config_load(const char *config_path,
		    const char *credentials_path, struct dlc_err *err);
void		 aws_config_free(struct aws_config *cfg);

/* 1 if the profile is in either file. */
int		 aws_config_has_profile(const struct aws_config *cfg,
		    const char *profile);
/* Profiles of both files, in file order, config file first. */
size_t		 aws_config_profile_count(const struct aws_config *cfg);
const char	*aws_config_profile_at(const struct aws_config *cfg, size_t i);
/* A profile's key: the credentials file's value, else the config file's. */
const char	*aws_config_get(const struct aws_config *cfg,
		    const char *profile, const char *key);
/* "~/.aws/config line 7" style location of a key, for messages; allocated. */
char		*aws_config_where(const struct aws_config *cfg,
		    const char *profile, const char *key);
const char	*aws_config_sso_session_get(const struct aws_config *cfg,
		    const char *session, const char *key);
/*
 * [services NAME] -> "service_key =" nested block -> key. Returns an
 * allocated string, or NULL when any step is absent.
 */
char		*aws_config_services_get(const struct aws_config *cfg,
		    const char *services_name, const char *service_key,
		    const char *key);

/* explicit, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default". */
const char	*aws_config_profile_name(const char *explicit_profile);
/*
 * AWS_REGION, else AWS_DEFAULT_REGION, else the profile's region (cfg may
 * be NULL). Allocated; NULL when none is set.
 */
char		*aws_config_region(const struct aws_config *cfg,
		    const char *profile);
/* The files as named in messages ("~/.aws/config"). */
const char	*aws_config_file_path_used(const struct aws_config *cfg);
const char	*aws_config_credentials_path_used(const struct aws_config *cfg);

/*
 * Expands a leading ~ (HOME) and $VAR / ${VAR} the way Python's
 * expanduser and expandvars do (unknown variables are left as written).
 * Returns an allocated string.
 */
char		*aws_config_expand_path(const char *path);

#endif
