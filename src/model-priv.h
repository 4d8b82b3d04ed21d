/*
 * What the parts of the model share and its callers do not see: the model
 * itself, its jobs (one per AWS call in flight), its change notes and each
 * environment's hidden state. model.c holds model_new and model_free,
 * model-jobs.c the jobs and notes every part uses, model-envs.c an
 * environment's identity and credentials, model-functions.c its function
 * list, model-details.c a function's details.
 */
#ifndef DLC_MODEL_PRIV_H
#define DLC_MODEL_PRIV_H

#include "model.h"

#include "loop.h"
#include "paginate.h"

/* Enough for a data lake, small enough that a runaway Marker loop ends. */
#define MODEL_MAX_PAGES		400

enum model_job_kind {
	MODEL_JOB_IDENTITY,
	MODEL_JOB_LIST,
	MODEL_JOB_GET_FUNCTION,
	MODEL_JOB_LAYER,
	MODEL_JOB_ESM,
	MODEL_JOB_RULE_NAMES,
	MODEL_JOB_DESCRIBE_RULE,
};

struct model_job {
	struct model		*m;
	struct model_job	*prev, *next;
	struct aws_call		*call;
	struct paginate		*pager;		/* the list jobs */
	enum model_job_kind	 kind;
	size_t			 env;
	char			*function;	/* details jobs */
	unsigned		 gen;		/* of the details load */
	char			*layer_arn;	/* LAYER: without version */
	long			 best;		/* LAYER: newest version so far */
	unsigned		 layers_gen;	/* LAYER: of the env's cache when asked */
	size_t			 rules_asked;	/* RULE_NAMES: DescribeRule calls made */
};

struct model_note {
	enum model_change	 what;
	size_t			 env;
	char			*function;
};

/* The newest version of each layer asked, per environment (model-details.c). */
struct model_layer_cache;

/* What the public struct model_env does not show. */
struct model_env_priv {
	struct model_job	*identity_job;
	struct model_job	*list_job;
	int			 list_after_identity;	/* account = set: commit the list once the identity is checked */
	int			 list_held;	/* the list is all in (loading), waiting on the identity */
	struct model_function	*loading;	/* the list being fetched */
	size_t			 n_loading;
	struct model_function	*hidden;	/* other environments' functions, not shown */
	size_t			 n_hidden;
	struct model_layer_cache *layers;
	size_t			 n_layers;
	unsigned		 layers_gen;	/* bumped when the cache is forgotten */
	struct model_metrics_priv *metrics;	/* model-metrics.c; NULL until asked */
	struct model_alarms_state *alarms;	/* model-alarms.c; NULL until asked */
};

struct model {
	struct aws_ctx			*aws;
	const struct dlc_config		*cfg;
	const struct local_function	*locals;
	size_t				 n_locals;
	model_change_cb			 cb;
	void				*arg;
	struct model_env		*envs;
	struct model_env_priv		*priv;
	size_t				 n_envs;
	struct model_job		*jobs;
	struct model_note		*notes;
	size_t				 n_notes;
	struct loop_timer		*notify_timer;
	struct loop_timer		*auto_timer;
	size_t				 auto_env;
	int				 auto_seconds;
	int				 show_all;	/* lists hold other environments' functions */
	int				 auto_metrics;	/* model_set_auto_metrics */
	int				 no_alarms;	/* model_refresh_functions leaves alarms alone */
};

/* model-jobs.c */
/* Queues a change for the callback, which runs from the loop. */
void		 model_notify(struct model *m, enum model_change what,
		    size_t env, const char *function);
/* The notify timer's callback: reports the queued changes. */
void		 model_notify_run(void *arg);
/* A job on the model's list; function and gen for details jobs. */
struct model_job *model_job_new(struct model *m, enum model_job_kind kind,
		    size_t env, const char *function, unsigned gen);
void		 model_job_free(struct model_job *j);

/* model-functions.c */
void		 model_functions_free(struct model_function *fns, size_t n);
/*
 * env's identity is settled: the list it held back goes on, fails with the
 * identity's error, or is dropped when the account is refused.
 */
void		 model_identity_gate(struct model *m, size_t env);

/* model-details.c */
void		 model_details_free(struct model_details *d);
/* Empties an environment's newest-layer-version cache. */
void		 model_details_forget_layers(struct model_env_priv *p);

/* model-alarms.c */
void		 model_alarms_free(struct model *m, size_t env);
/* env's identity is settled: a list held for it is committed or dropped. */
void		 model_alarms_identity_gate(struct model *m, size_t env);
/* env's function list changed: alarms are matched again. */
void		 model_alarms_rematch(struct model *m, size_t env);

#endif
