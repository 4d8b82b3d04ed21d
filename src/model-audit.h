/*
 * The console's audit of an environment (src/audit.h), part of the model:
 * run on demand (:audit) and again after a functions refresh of an
 * environment audited before, at most once in MODEL_AUDIT_FOLLOW_SECONDS,
 * so the AUDIT column follows the list. The last report stays readable
 * while the next one runs.
 */
#ifndef DLC_MODEL_AUDIT_H
#define DLC_MODEL_AUDIT_H

#include <stddef.h>
#include <time.h>

#include "audit.h"
#include "model.h"

/* How often the list's refreshes are followed: an audit costs about three requests per function. */
#define MODEL_AUDIT_FOLLOW_SECONDS	600

struct model_audit {
	enum model_load		 state;		/* LOADING while a run is out (report: the last one) */
	struct dlc_err		 err;		/* why the last run failed (FAILED) */
	time_t			 fetched_at;	/* of report; 0: never */
	struct audit_report	*report;	/* NULL until the first run ends */
	unsigned		 gen;		/* bumped per finished run */
};

/*
 * Starts an audit of env (ignored while one is out); MODEL_CHANGE_AUDIT
 * when it starts and ends.
 */
void	model_refresh_audit(struct model *m, size_t env);
/* env's audit state; never NULL for a valid env. */
const struct model_audit *model_env_audit(struct model *m, size_t env);
/* The number of findings of a function (remote name) in the last report; -1: none known. */
long	model_audit_count(struct model *m, size_t env, const char *function);

#endif
