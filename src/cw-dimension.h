/*
 * A CloudWatch dimension (Name, Value), shared by the alarms engine
 * (cw-alarms.h) and the metrics engine (cw-metrics.h) so either can be
 * included with the other.
 */
#ifndef DLC_CW_DIMENSION_H
#define DLC_CW_DIMENSION_H

struct cw_dimension {
	char	*name, *value;
};

#endif
