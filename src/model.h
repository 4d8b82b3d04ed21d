/*
 * The console's engine state, free of curses: the environments of dlc.ini
 * with their identity and credential state, each environment's functions,
 * and a function's details (configuration, layers and whether a newer
 * layer version exists, event source mappings, schedules). Everything is
 * fetched asynchronously through the aws call pipeline; every call is
 * independent, so a slow or dead environment never holds up another. The
 * UI reads the structs and redraws when the change callback fires; the
 * callback always runs from the event loop, never from inside a model_*
 * call.
 */
#ifndef DLC_MODEL_H
#define DLC_MODEL_H

#include <stddef.h>
#include <time.h>

#include "aws.h"
#include "cw-alarms.h"
#include "dlcconfig.h"
#include "env-owner.h"
#include "err.h"
#include "lambda.h"
#include "manifest.h"

enum model_load { MODEL_IDLE, MODEL_LOADING, MODEL_READY, MODEL_FAILED };
enum model_change { MODEL_CHANGE_ENVS, MODEL_CHANGE_FUNCTIONS, MODEL_CHANGE_DETAILS,
	MODEL_CHANGE_ALARMS,	/* model-alarms.h */
	MODEL_CHANGE_AUDIT,	/* model-audit.h */
	MODEL_CHANGE_METRICS,	/* model-metrics.h */
};

struct model_layer {
	char		*arn;		/* the layer version ARN the function uses */
	char		*name;
	long		 version;
	long		 latest_version;	/* 0: unknown (not asked, failed, or another account's layer) */
	long long	 code_size;
};

struct model_esm {
	char	*uuid, *source_arn, *state, *last_processing_result;
	long	 batch_size;
};

struct model_schedule {
	char	*rule_name;
	char	*expression;	/* ScheduleExpression, else the rule's EventPattern */
	char	*state;		/* ENABLED, DISABLED, ... */
};

/*
 * state READY with err set means a part failed (say events:
 * ListRuleNamesByTarget was denied): what arrived is kept. FAILED means
 * GetFunction itself failed.
 */
struct model_details {
	enum model_load		 state;
	struct dlc_err		 err;
	time_t			 fetched_at;
	struct lambda_function	 config;	/* from GetFunction */
	char			*code_location;
	struct model_layer	*layers;
	size_t			 n_layers;
	struct model_esm	*esms;
	size_t			 n_esms;
	struct model_schedule	*schedules;
	size_t			 n_schedules;
	unsigned		 gen;		/* bumped per load: late answers of an older load are dropped */
	int			 pending;	/* calls of this load still out */
};

struct model_function {
	struct lambda_function		 fn;
	const struct local_function	*local;		/* NULL: unmanaged */
	enum env_owner_kind		 owner;		/* this env's, unmatched, or another's */
	size_t				 owner_env;	/* OTHER: that environment's index */
	int				 deprecated;	/* runtime deprecated */
	struct model_details		*details;	/* NULL until asked */
};

struct model_env {
	const struct dlc_env	*conf;
	struct aws_env		*aenv;		/* NULL if credentials could not be set up: see identity_err */
	enum model_load		 identity_state;
	char			*account, *arn;
	const char		*cred_state;	/* ok, expired, missing, error, unknown (not asked yet) */
	struct dlc_err		 identity_err;
	enum model_load		 functions_state;
	time_t			 functions_at;	/* of the last complete list; 0: never */
	struct dlc_err		 functions_err;
	struct model_function	*functions;	/* sorted by name; the last complete list:
						 * the environment's own and the unmatched,
						 * or all the account holds (model_set_show_all) */
	size_t			 n_functions;
	int			 pages_loaded;	/* of the load in progress, or of the last one */
};

typedef void (*model_change_cb)(enum model_change what, size_t env_index,
    const char *function_name /* DETAILS only */, void *arg);

struct model;

/*
 * aws, cfg and locals are borrowed and must outlive the model. Opens every
 * environment's credential provider (no I/O yet); an environment whose
 * provider cannot be set up gets aenv NULL and identity_state FAILED.
 */
struct model	*model_new(struct aws_ctx *aws, const struct dlc_config *cfg,
		    const struct local_function *locals, size_t n_locals,
		    model_change_cb cb, void *arg);
/*
 * Cancels calls in flight; no callback runs afterwards. NULL is a no-op.
 * Not from inside the change callback.
 */
void		 model_free(struct model *m);

size_t		 model_env_count(const struct model *m);
struct model_env *model_env_at(struct model *m, size_t i);
/* -1 if none. */
int		 model_env_index(const struct model *m, const char *name);

/*
 * GetCallerIdentity; all environments may be asked at once. Ignored while
 * one is out. An account other than dlc.ini's account = is FAILED with
 * code WrongAccount (account and arn still say where the keys lead), and
 * the environment's function list is dropped.
 */
void		 model_refresh_identity(struct model *m, size_t env);
/*
 * The error that forbids using env (no credentials could be set up, or
 * they reach another account than dlc.ini's account =), or NULL.
 */
const struct dlc_err *model_env_refused(const struct model_env *me);
/*
 * ListFunctions, all pages. With dlc.ini's account = set and the identity
 * not checked yet, GetCallerIdentity goes out with it and the list is
 * committed only once the account matches; an environment that reaches
 * another account shows nothing: FAILED with code WrongAccount. While loading, the previous list stays
 * readable; the new one replaces it when the last page arrives, so the UI
 * never shows half a list. Ignored while a refresh is loading. Also
 * forgets the newest-layer-version cache of the environment.
 */
void		 model_refresh_functions(struct model *m, size_t env);
/*
 * GetFunction, then ListLayerVersions per layer (newest version, cached
 * per layer per refresh), ListEventSourceMappings, ListRuleNamesByTarget
 * and DescribeRule per rule. Does nothing when function_name is not in the
 * environment's list (load it first) or its details are loading.
 */
void		 model_load_details(struct model *m, size_t env,
		    const char *function_name);
/* A function of env's list by its AWS name or the local folder it maps to; NULL if none. */
struct model_function *model_function_named(struct model *m, size_t env,
		    const char *name);
struct model_function *model_function_find(struct model *m, size_t env,
		    const char *function_name);
/*
 * on: every environment's list holds all the account's functions, those
 * another environment's template claims marked ENV_OWNER_OTHER; off (the
 * default): only the environment's own and the unmatched ones. Takes
 * effect at once on the lists held (a FUNCTIONS change for each).
 */
void		 model_set_show_all(struct model *m, int on);
int		 model_show_all(const struct model *m);
/*
 * Refreshes env's functions every seconds (0: off) from a loop timer.
 * Only one environment is auto-refreshed: calling this for another moves it.
 */
void		 model_set_auto_refresh(struct model *m, size_t env, int seconds);

/*
 * An environment's CloudWatch alarms (model-alarms.c). state FAILED: the
 * last refresh failed (err says why) and list is still the one before it,
 * as old as fetched_at says.
 */
struct model_alarms {
	enum model_load		 state;
	struct dlc_err		 err;
	time_t			 fetched_at;	/* of the list held; 0: never */
	struct cw_alarm_list	 list;		/* sorted (alarm_sort), matched (alarm_match) */
	/* Names that went into ALARM at the last refresh; never on the first load. */
	char			**entered_alarm;
	size_t			 n_entered;
	unsigned		 gen;		/* bumped each time list is replaced */
};

/*
 * DescribeAlarms, all pages, metric and composite, matched to env's
 * functions (its list and the local folders' names). Also run when a
 * refresh of the functions has ended (come or failed, never beside it, so
 * the list is not slowed), so the auto-refresh timer refreshes alarms too.
 * The previous list stays readable while loading and when the refresh
 * fails. Ignored while one is loading. MODEL_CHANGE_ALARMS when it settles.
 */
void		 model_refresh_alarms(struct model *m, size_t env);
/*
 * off: the end of a functions refresh no longer refreshes alarms (dlc ls
 * shows none, so it does not ask; dlc alarms asks them itself, beside the
 * list, once). On by default.
 */
void		 model_set_alarms_with_functions(struct model *m, int on);
/* Never NULL for a valid env (IDLE before the first refresh); NULL otherwise. */
const struct model_alarms *model_env_alarms(struct model *m, size_t env);

/* "just now", "12s ago": how old data fetched at fetched_at is; "never" for 0. Returns buf. */
const char	*model_age(time_t fetched_at, time_t now, char *buf, size_t len);
/* The credential state a failure maps to: expired, missing or error (as dlc envs shows). */
const char	*model_cred_state(const struct dlc_err *err);

#endif
