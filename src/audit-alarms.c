/*
 * The alarms an audit reads: DescribeAlarms once, all pages (cw-alarms.h),
 * each matched to its function (alarm.h's alarm_match).
 */
#include "audit-priv.h"

#include "xmalloc.h"

void
audit_alarms_start(struct audit *a)
{
	/* Until the alarms engine is in this build, the alarms check is unknown. */
	a->facts.alarms_known = 0;
	audit_facts_error(&a->facts, "alarms: not read (this dlc has no "
	    "DescribeAlarms yet): the alarms check is unknown");
}

void
audit_alarms_cancel(struct audit_job *j)
{
	(void)j;
}
