/*
 * The console's alarms outside the alarms view: the header's count of
 * alarms in ALARM (always there, whichever view is open), and the
 * announcement of a new transition into ALARM in the status line, once
 * per refresh that saw it (the model's entered_alarm list and its
 * generation), with the terminal's bell only when dlc.ini says
 * alarm-bell = yes.
 */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarm.h"
#include "glyph.h"
#include "xmalloc.h"

const char *
alarm_status_badge(struct ui *ui, char *buf, size_t len, int *role)
{
	const struct model_alarms *ma;
	size_t n;

	*role = ROLE_HEADER;
	buf[0] = '\0';
	if (ui->env < 0 || (ma = model_env_alarms(ui->model, (size_t)ui->env)) == NULL)
		return buf;
	if (ma->fetched_at == 0) {
		snprintf(buf, len, " alarms: %s ", ma->state == MODEL_FAILED ? "unreadable" : "…");
		if (ma->state == MODEL_FAILED)
			*role = ROLE_WARN;
		return buf;
	}
	n = alarm_count(&ma->list, NULL, "ALARM");
	if (n > 0)
		*role = ROLE_ALARM;
	/* One header row below 80x24: the count alone, and only when something fires. */
	if (ui->compact) {
		if (n > 0)
			snprintf(buf, len, " %s%zu ", alarm_state_glyph("ALARM", !glyph_ascii()), n);
		return buf;
	}
	snprintf(buf, len, " %s%s%zu ALARM%s ", n > 0 ? alarm_state_glyph("ALARM", !glyph_ascii()) : "",
	    n > 0 ? " " : "", n, dlc_err_isset(&ma->err) ? " (stale)" : "");
	return buf;
}

/* The generation of env's list last announced; grows with the environments seen. */
static unsigned *
alarm_status_seen(struct ui *ui, size_t env)
{
	if (env >= ui->n_alarm_seen) {
		ui->alarm_seen = xreallocarray(ui->alarm_seen, env + 1, sizeof *ui->alarm_seen);
		memset(ui->alarm_seen + ui->n_alarm_seen, 0,
		    (env + 1 - ui->n_alarm_seen) * sizeof *ui->alarm_seen);
		ui->n_alarm_seen = env + 1;
	}
	return &ui->alarm_seen[env];
}

void
alarm_status_changed(struct ui *ui, enum model_change what, size_t env)
{
	const struct model_alarms *ma;
	unsigned *seen;
	char names[300];
	size_t i, off = 0;

	if (what != MODEL_CHANGE_ALARMS || (ma = model_env_alarms(ui->model, env)) == NULL)
		return;
	ui_dirty(ui, UI_DIRTY_HEADER);
	seen = alarm_status_seen(ui, env);
	/* Once: a change that is not a new list (loading began) says nothing again. */
	if (ma->n_entered == 0 || *seen == ma->gen + 1)
		return;
	*seen = ma->gen + 1;
	names[0] = '\0';
	for (i = 0; i < ma->n_entered && off < sizeof names; i++) {
		int w = snprintf(names + off, sizeof names - off, "%s%s", i > 0 ? ", " : "",
		    ma->entered_alarm[i]);

		if (w < 0)
			break;
		off += (size_t)w;
	}
	ui_message(ui, 0, "%s %s: %zu alarm%s went into ALARM: %s  (a: the alarms)",
	    alarm_state_glyph("ALARM", !glyph_ascii()), model_env_at(ui->model, env)->conf->name,
	    ma->n_entered, ma->n_entered == 1 ? "" : "s", names);
	if (ui->ctx->cfg.alarm_bell)
		beep();
}
