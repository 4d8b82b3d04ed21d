/* The AWS CLI's config and credentials files, merged (see awsconfig.h). */
#include "awsconfig.h"
#include "buf.h"
#include "ini.h"
#include "xmalloc.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A name in one of the config file's namespaces and the section behind it. */
struct aws_config_name {
	char			*name;
	const struct ini_section *sec;
};

struct aws_config_map {
	struct aws_config_name	*v;
	size_t			 n, cap;
};

struct aws_config {
	char			*config_display;
	char			*credentials_display;
	struct ini		*config;	/* NULL when the file is missing */
	struct ini		*credentials;
	struct aws_config_map	 profiles;	/* from the config file */
	struct aws_config_map	 sso_sessions;
	struct aws_config_map	 services;
	char			**all;		/* every profile name, both files */
	size_t			 n_all;
};

/*
 * RawConfigParser's [DEFAULT]: not a section of its own, but every
 * section of the same file inherits its keys.
 */
static const char *
aws_config_section_get(const struct ini *ini, const struct ini_section *sec,
    const char *key)
{
	const char *v;

	if (sec == NULL)
		return NULL;
	v = ini_get(sec, key);
	if (v == NULL)
		v = ini_get(ini_find_section(ini, "DEFAULT"), key);
	return v;
}

static const struct ini_section *
aws_config_map_find(const struct aws_config_map *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (strcmp(m->v[i].name, name) == 0)
			return m->v[i].sec;
	}
	return NULL;
}

/* botocore builds a dict: a later section of the same name replaces. */
static void
aws_config_map_put(struct aws_config_map *m, const char *name,
    const struct ini_section *sec)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (strcmp(m->v[i].name, name) == 0) {
			m->v[i].sec = sec;
			return;
		}
	}
	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 8 : m->cap * 2;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	m->v[m->n].name = xstrdup(name);
	m->v[m->n].sec = sec;
	m->n++;
}

static void
aws_config_map_free(struct aws_config_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].name);
	free(m->v);
}

void
aws_config_free(struct aws_config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	aws_config_map_free(&cfg->profiles);
	aws_config_map_free(&cfg->sso_sessions);
	aws_config_map_free(&cfg->services);
	for (i = 0; i < cfg->n_all; i++)
		free(cfg->all[i]);
	free(cfg->all);
	ini_free(cfg->config);
	ini_free(cfg->credentials);
	free(cfg->config_display);
	free(cfg->credentials_display);
	free(cfg);
}

static int
aws_config_is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

char *
aws_config_expand_path(const char *path)
{
	struct buf b;
	const char *home = getenv("HOME"), *p = path, *val;
	size_t n;
	char *name;

	buf_init(&b, 0);
	if (p[0] == '~' && (p[1] == '/' || p[1] == '\0') && home != NULL) {
		buf_puts(&b, home);
		p++;
	}
	while (*p != '\0') {
		if (p[0] == '$' && p[1] == '{' && strchr(p, '}') != NULL) {
			n = (size_t)(strchr(p, '}') - (p + 2));
			name = xstrndup(p + 2, n);
			val = getenv(name);
			free(name);
			if (val != NULL) {
				buf_puts(&b, val);
				p += n + 3;
				continue;
			}
		} else if (p[0] == '$' && aws_config_is_name_char(p[1])) {
			for (n = 1; aws_config_is_name_char(p[n]); n++)
				;
			name = xstrndup(p + 1, n - 1);
			val = getenv(name);
			free(name);
			if (val != NULL) {
				buf_puts(&b, val);
				p += n;
				continue;
			}
		}
		buf_putc(&b, *p++);
	}
	if (b.data == NULL)
		buf_puts(&b, "");
	return buf_detach(&b, NULL);
}

/* "/home/ann/.aws/config" is shown as "~/.aws/config". */
static char *
aws_config_display(const char *path)
{
	const char *home = getenv("HOME");
	size_t n;

	if (home != NULL && (n = strlen(home)) > 1 &&
	    strncmp(path, home, n) == 0 && path[n] == '/')
		return xasprintf("~%s", path + n);
	return xstrdup(path);
}

static char *
aws_config_pick_path(const char *given, const char *env, const char *dflt)
{
	const char *v = getenv(env);

	if (given != NULL)
		return aws_config_expand_path(given);
	if (v != NULL && *v != '\0')
		return aws_config_expand_path(v);
	return aws_config_expand_path(dflt);
}

static int
aws_config_read(const char *path, struct ini **out, char **display,
    struct dlc_err *err)
{
	struct dlc_err e;

	*display = aws_config_display(path);
	dlc_err_clear(&e);
	*out = ini_load_as(path, *display, &e);
	if (*out == NULL && strcmp(e.code, "ENOENT") != 0) {
		if (err != NULL)
			*err = e;
		return -1;
	}
	return 0;
}

static void
aws_config_add_name(struct aws_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->n_all; i++) {
		if (strcmp(cfg->all[i], name) == 0)
			return;
	}
	cfg->all = xreallocarray(cfg->all, cfg->n_all + 1, sizeof *cfg->all);
	cfg->all[cfg->n_all++] = xstrdup(name);
}

/* botocore's build_profile_map: "prefix NAME", split shell-style, 2 words. */
static void
aws_config_classify(struct aws_config *cfg, const struct ini_section *sec)
{
	static const struct {
		const char	*prefix;
		size_t		 off;
	} kinds[] = {
		{ "profile", offsetof(struct aws_config, profiles) },
		{ "sso-session", offsetof(struct aws_config, sso_sessions) },
		{ "services", offsetof(struct aws_config, services) },
	};
	const char *name = ini_section_name(sec);
	struct aws_config_map *m;
	char **words;
	size_t i, n;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (strncmp(name, kinds[i].prefix, strlen(kinds[i].prefix)) != 0)
			continue;
		if (ini_split_words(name, &words, &n, NULL) != 0)
			return;
		if (n == 2) {
			m = (struct aws_config_map *)((char *)cfg + kinds[i].off);
			aws_config_map_put(m, words[1], sec);
			if (i == 0)
				aws_config_add_name(cfg, words[1]);
		}
		ini_words_free(words);
		return;
	}
	if (strcmp(name, "default") == 0) {
		aws_config_map_put(&cfg->profiles, name, sec);
		aws_config_add_name(cfg, name);
	}
}

struct aws_config *
aws_config_load(const char *config_path, const char *credentials_path,
    struct dlc_err *err)
{
	struct aws_config *cfg;
	char *cpath, *kpath;
	size_t i;
	int rc;

	cfg = xcalloc(1, sizeof *cfg);
	cpath = aws_config_pick_path(config_path, "AWS_CONFIG_FILE",
	    "~/.aws/config");
	kpath = aws_config_pick_path(credentials_path,
	    "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials");
	rc = aws_config_read(cpath, &cfg->config, &cfg->config_display, err);
	if (rc == 0)
		rc = aws_config_read(kpath, &cfg->credentials,
		    &cfg->credentials_display, err);
	free(cpath);
	free(kpath);
	if (rc != 0) {
		if (err != NULL)
			dlc_err_fix(err, "fix the line named above (the AWS "
			    "CLI rejects it too), or point AWS_CONFIG_FILE / "
			    "AWS_SHARED_CREDENTIALS_FILE at another file");
		aws_config_free(cfg);
		return NULL;
	}
	for (i = 0; i < ini_section_count(cfg->config); i++)
		aws_config_classify(cfg, ini_section_at(cfg->config, i));
	for (i = 0; i < ini_section_count(cfg->credentials); i++) {
		const char *name = ini_section_name(
		    ini_section_at(cfg->credentials, i));

		if (strcmp(name, "DEFAULT") != 0)
			aws_config_add_name(cfg, name);
	}
	return cfg;
}

/*
 * The profile's section of the credentials file. Its [DEFAULT] is no
 * profile, while the config file's [profile DEFAULT] is one (botocore
 * maps it as any other), so only this lookup skips the name.
 */
static const struct ini_section *
aws_config_credentials_section(const struct aws_config *cfg,
    const char *profile)
{
	if (strcmp(profile, "DEFAULT") == 0)
		return NULL;
	return ini_find_section(cfg->credentials, profile);
}

int
aws_config_has_profile(const struct aws_config *cfg, const char *profile)
{
	if (cfg == NULL || profile == NULL)
		return 0;
	return aws_config_map_find(&cfg->profiles, profile) != NULL ||
	    aws_config_credentials_section(cfg, profile) != NULL;
}

size_t
aws_config_profile_count(const struct aws_config *cfg)
{
	return cfg == NULL ? 0 : cfg->n_all;
}

const char *
aws_config_profile_at(const struct aws_config *cfg, size_t i)
{
	if (cfg == NULL || i >= cfg->n_all)
		return NULL;
	return cfg->all[i];
}

const char *
aws_config_get(const struct aws_config *cfg, const char *profile,
    const char *key)
{
	const char *v;

	if (cfg == NULL || profile == NULL)
		return NULL;
	v = aws_config_section_get(cfg->credentials,
	    aws_config_credentials_section(cfg, profile), key);
	if (v != NULL)
		return v;
	return aws_config_section_get(cfg->config,
	    aws_config_map_find(&cfg->profiles, profile), key);
}

char *
aws_config_where(const struct aws_config *cfg, const char *profile,
    const char *key)
{
	const struct ini_section *sec;

	if (cfg == NULL || profile == NULL)
		return NULL;
	sec = aws_config_credentials_section(cfg, profile);
	if (aws_config_section_get(cfg->credentials, sec, key) != NULL) {
		if (ini_get(sec, key) == NULL)
			sec = ini_find_section(cfg->credentials, "DEFAULT");
		return xasprintf("%s line %d", cfg->credentials_display,
		    ini_get_line(sec, key));
	}
	sec = aws_config_map_find(&cfg->profiles, profile);
	if (aws_config_section_get(cfg->config, sec, key) != NULL) {
		if (ini_get(sec, key) == NULL)
			sec = ini_find_section(cfg->config, "DEFAULT");
		return xasprintf("%s line %d", cfg->config_display,
		    ini_get_line(sec, key));
	}
	return NULL;
}

const char *
aws_config_sso_session_get(const struct aws_config *cfg, const char *session,
    const char *key)
{
	if (cfg == NULL || session == NULL)
		return NULL;
	return aws_config_section_get(cfg->config,
	    aws_config_map_find(&cfg->sso_sessions, session), key);
}

char *
aws_config_services_get(const struct aws_config *cfg,
    const char *services_name, const char *service_key, const char *key)
{
	const char *block;

	if (cfg == NULL || services_name == NULL)
		return NULL;
	block = aws_config_section_get(cfg->config,
	    aws_config_map_find(&cfg->services, services_name), service_key);
	/* Only "key =" followed by indented lines is a sub-section. */
	if (block == NULL || block[0] != '\n')
		return NULL;
	return ini_nested_get(block, key);
}

static const char *
aws_config_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

const char *
aws_config_profile_name(const char *explicit_profile)
{
	const char *v;

	if (explicit_profile != NULL && *explicit_profile != '\0')
		return explicit_profile;
	if ((v = aws_config_env("AWS_PROFILE")) != NULL)
		return v;
	if ((v = aws_config_env("AWS_DEFAULT_PROFILE")) != NULL)
		return v;
	return "default";
}

char *
aws_config_region(const struct aws_config *cfg, const char *profile)
{
	const char *v;

	if ((v = aws_config_env("AWS_REGION")) != NULL)
		return xstrdup(v);
	if ((v = aws_config_env("AWS_DEFAULT_REGION")) != NULL)
		return xstrdup(v);
	v = aws_config_get(cfg, profile, "region");
	return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
}

const char *
aws_config_file_path_used(const struct aws_config *cfg)
{
	return cfg == NULL ? NULL : cfg->config_display;
}

const char *
aws_config_credentials_path_used(const struct aws_config *cfg)
{
	return cfg == NULL ? NULL : cfg->credentials_display;
}
