/* rest-xml (S3) errors: <Error><Code>, or the bare status of a HEAD. */
#include "proto-restxml.h"
#include "proto-json.h"
#include "xml.h"

#include <stdio.h>
#include <string.h>

int
proto_restxml_error(long http_status, const char *request_id, const char *body,
    size_t len, struct dlc_err *err)
{
	struct dlc_err scratch;
	struct xml_node *root = NULL;
	const char *code = NULL, *msg, *rid;
	char status[32];
	struct buf ex;

	snprintf(status, sizeof status, "%ld", http_status);
	if (body != NULL && len > 0) {
		root = xml_parse(body, len, &scratch);
		if (root != NULL && strcmp(root->name, "Error") == 0)
			code = xml_text(root, "Code");
	}
	if (body == NULL || len == 0) {
		/* A HEAD answer: the status is all there is. */
		dlc_err_set(err, status, "HTTP %ld with no body", http_status);
	} else if (code == NULL || code[0] == '\0') {
		buf_init(&ex, 0);
		proto_json_excerpt(&ex, body, len, 200);
		snprintf(status, sizeof status, "HTTP%ld", http_status);
		dlc_err_set(err, status, "HTTP %ld with a body that is not an "
		    "S3 XML error: \"%s\"", http_status, ex.data != NULL ? ex.data : "");
		dlc_err_fix(err, "Something other than AWS answered (a proxy or "
		    "the wrong endpoint): check endpoint_url and proxy settings.");
		buf_free(&ex);
	} else {
		msg = xml_text(root, "Message");
		if (msg != NULL && msg[0] != '\0')
			dlc_err_set(err, code, "%s", msg);
		else
			dlc_err_set(err, code, "HTTP %ld with no error message", http_status);
	}
	rid = root != NULL && code != NULL ? xml_text(root, "RequestId") : NULL;
	if (rid == NULL)
		rid = request_id;
	if (rid != NULL)
		snprintf(err->request_id, sizeof err->request_id, "%s", rid);
	err->http_status = (int)http_status;
	xml_free(root);
	return -1;
}
