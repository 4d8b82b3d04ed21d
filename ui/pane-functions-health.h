/*
 * The functions view's health columns, drawn from the model's alarms and
 * metrics of the environment: ALARMS ("2 ALARM", "1 INSUFF", "ok", "-"),
 * and INVOCATIONS and ERRORS as 24 h sparklines (a cell for two hours,
 * the newest on the right) with the 24 h total beside. Kept out of
 * pane-functions.c, which only adds the columns and calls these.
 */
#ifndef DLC_PANE_FUNCTIONS_HEALTH_H
#define DLC_PANE_FUNCTIONS_HEALTH_H

#include <stddef.h>

#include "ui.h"

enum pane_health_col { PANE_HEALTH_ALARMS, PANE_HEALTH_INVOCATIONS, PANE_HEALTH_ERRORS };

/*
 * Cells of a sparkline: model-metrics' 24 hourly points, two hours a cell
 * (the larger, so a spike stays). One an hour took 60 columns for the two
 * columns and squeezed the function names to 12 on a 160-column screen.
 */
#define PANE_HEALTH_CELLS	12
/* Width of a sparkline column: the cells, a blank and a total of up to 5 ("1.2k"). */
#define PANE_HEALTH_SPARK_WIDTH	(PANE_HEALTH_CELLS + 6)

/*
 * The cell of column col for mf in env, written to buf (len >= 96) or a
 * constant; sets *role. "…" until the first answer, "failed" when the
 * call failed with nothing to show, "?" when the answer did not cover mf.
 */
const char	*pane_functions_health_cell(struct ui *ui, size_t env,
		    const struct model_function *mf, enum pane_health_col col,
		    char *buf, size_t len, int *role);
/* What '/' filters on: the ALARMS cell, a sparkline's total as a number. */
const char	*pane_functions_health_text(struct ui *ui, size_t env,
		    const struct model_function *mf, enum pane_health_col col,
		    char *buf, size_t len);
/* Orders by what the column says: alarms by ALARM, then INSUFF, then count; metrics by total. */
int		 pane_functions_health_compare(struct ui *ui, size_t env,
		    const struct model_function *a, const struct model_function *b,
		    enum pane_health_col col);
/* The environment's alarms or metrics changed: a failed metrics call is said in the status line. */
void		 pane_functions_health_changed(struct ui *ui, size_t env,
		    enum model_change what);

#endif
