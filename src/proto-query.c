/* Query protocol: form bodies out, XML answers and errors in. */
#include "proto-query.h"
#include "proto-json.h"
#include "uri.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
proto_query_add(struct buf *form, const char *key, const char *value)
{
	size_t mark = form->len;

	if ((form->len > 0 && buf_putc(form, '&') != 0) ||
	    uri_encode(form, key, strlen(key), 0) != 0 ||
	    buf_putc(form, '=') != 0 ||
	    uri_encode(form, value, strlen(value), 0) != 0) {
		/* Leave no half pair behind. */
		form->len = mark;
		if (form->data != NULL)
			form->data[mark] = '\0';
		return -1;
	}
	return 0;
}

static int
proto_query_not_xml(long http_status, const char *body, size_t len,
    struct dlc_err *err)
{
	struct buf ex;
	char code[32];

	buf_init(&ex, 0);
	proto_json_excerpt(&ex, body, len, 200);
	snprintf(code, sizeof code, "HTTP%ld", http_status);
	if (len == 0)
		dlc_err_set(err, code, "HTTP %ld with an empty body",
		    http_status);
	else {
		dlc_err_set(err, code, "HTTP %ld with a body that is not "
		    "an AWS XML error: \"%s\"", http_status,
		    ex.data != NULL ? ex.data : "");
		dlc_err_fix(err, "Something other than AWS answered (a proxy "
		    "or the wrong endpoint): check endpoint_url and proxy "
		    "settings.");
	}
	err->http_status = (int)http_status;
	buf_free(&ex);
	return -1;
}

int
proto_query_error(long http_status, const char *body, size_t len,
    struct dlc_err *err)
{
	struct dlc_err scratch;
	struct xml_node *root;
	const struct xml_node *e = NULL;
	const char *code, *msg, *rid;

	if (body == NULL || len == 0)
		return proto_query_not_xml(http_status, "", 0, err);
	root = xml_parse(body, len, &scratch);
	if (root != NULL && strcmp(root->name, "ErrorResponse") == 0)
		e = xml_child(root, "Error");
	else if (root != NULL && strcmp(root->name, "Response") == 0)
		e = xml_find(root, "Errors/Error");
	code = xml_text(e, "Code");
	if (e == NULL || code == NULL || code[0] == '\0') {
		xml_free(root);
		return proto_query_not_xml(http_status, body, len, err);
	}
	msg = xml_text(e, "Message");
	if (msg != NULL && msg[0] != '\0')
		dlc_err_set(err, code, "%s", msg);
	else
		dlc_err_set(err, code, "HTTP %ld with no error message",
		    http_status);
	rid = xml_text(root, "RequestId");
	if (rid == NULL)
		rid = xml_text(root, "RequestID");
	if (rid != NULL)
		snprintf(err->request_id, sizeof err->request_id, "%s", rid);
	err->http_status = (int)http_status;
	xml_free(root);
	return -1;
}

struct xml_node *
proto_query_parse(const char *body, size_t len, const char *op,
    struct dlc_err *err)
{
	struct xml_node *root;
	size_t n = strlen(op);

	root = xml_parse(body, len, err);
	if (root == NULL) {
		proto_json_err_prefix(err, op);
		return NULL;
	}
	if (strcmp(root->name, "ErrorResponse") == 0) {
		xml_free(root);
		proto_query_error(0, body, len, err);
		return NULL;
	}
	if (strncmp(root->name, op, n) != 0 ||
	    strcmp(root->name + n, "Response") != 0) {
		dlc_err_set(err, "MalformedResponse", "%s: response is <%.64s>, "
		    "expected <%sResponse>", op, root->name, op);
		dlc_err_fix(err, "The endpoint did not answer as AWS does: "
		    "check endpoint_url and any proxy in between.");
		xml_free(root);
		return NULL;
	}
	return root;
}
