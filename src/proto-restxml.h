/*
 * The rest-xml protocol's error answers (S3): a bare
 * <Error><Code/><Message/><RequestId/></Error> document, or no body at all
 * for a HEAD, where only the status says what went wrong.
 */
#ifndef DLC_PROTO_RESTXML_H
#define DLC_PROTO_RESTXML_H

#include <stddef.h>

#include "err.h"

/*
 * Fills err from the error body and returns -1 (always). request_id is the
 * x-amz-request-id header (may be NULL). An empty body gives the status as
 * the code ("404", as botocore does); a body that is not an S3 error gives
 * "HTTP<status>" and quotes its start.
 */
int	proto_restxml_error(long http_status, const char *request_id,
	    const char *body, size_t len, struct dlc_err *err);

#endif
