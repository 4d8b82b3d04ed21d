/*
 * What the plain commands (dlc push, dlc queue, dlc rollback) read from
 * the deploy queue's journal: this machine's jobs folded into a
 * jobstate_set, torn lines said on stderr and skipped, and the jobs found
 * interrupted (their writer died without an end) said once, when they are
 * first marked, with the step they stopped at and the two commands that
 * deal with them.
 */
#ifndef DLC_CLI_JOURNAL_H
#define DLC_CLI_JOURNAL_H

#include <cjson/cJSON.h>

#include "err.h"

struct journal;
struct jobstate;
struct jobstate_set;

/* Days of journal read for dlc queue and interrupted jobs. */
#define CLI_JOURNAL_RECENT_DAYS	2
/* Days read for dlc rollback (kept packages may be older than a week). */
#define CLI_JOURNAL_HISTORY_DAYS 400

/* The last days' jobs (allocated); NULL with err when a file is unreadable. */
struct jobstate_set *cli_journal_load(int days, struct dlc_err *err);

/*
 * Marks the interrupted jobs of set (appending through journal) and says
 * each newly marked one on stderr. Returns how many.
 */
int	cli_journal_interrupted(struct jobstate_set *set,
	    struct journal *journal);
/*
 * Says on stderr each job of set that this process marked interrupted
 * (a queue marks them as it starts), with the commands that deal with
 * it. Returns how many.
 */
int	cli_journal_say_interrupted(const struct jobstate_set *set);

/* A job as dlc queue -o json shows it (what the ddb tests read). */
cJSON	*cli_journal_job_json(const struct jobstate *js, long long now_ms);

#endif
