/*
 * The AWS query protocol (STS, CloudWatch): form-encoded requests
 * (Action=Op&Version=V&Key=Value) and XML answers, either
 * <OpResponse><OpResult>... or <ErrorResponse><Error><Code>.
 */
#ifndef DLC_PROTO_QUERY_H
#define DLC_PROTO_QUERY_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "xml.h"

/*
 * Appends key=value to the form, both RFC 3986-encoded, with '&' before it
 * unless the form is empty. Returns -1 when the form's ceiling is reached.
 */
int	proto_query_add(struct buf *form, const char *key, const char *value);

/*
 * Fills err from <ErrorResponse><Error><Code/><Message/></Error><RequestId/>
 * (also the <Response><Errors><Error> shape) and returns -1 (always). A body
 * that is not XML gives code "HTTP<status>" and quotes the body's start.
 */
int	proto_query_error(long http_status, const char *body, size_t len,
	    struct dlc_err *err);

/*
 * Parses a successful answer to op ("GetCallerIdentity") and returns the
 * document root, the <opResponse> element (free with xml_free); results are
 * under xml_find(root, "<op>Result/..."). NULL with err filled when the
 * body is not XML, is an <ErrorResponse>, or answers something else.
 */
struct xml_node *proto_query_parse(const char *body, size_t len,
	    const char *op, struct dlc_err *err);

#endif
