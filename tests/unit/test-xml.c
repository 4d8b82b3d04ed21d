/* Unit tests for src/xml.c: the small DOM and its limits on hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "xml.h"
#include "data/proto/fixture.h"

static void
test_parse_namespaced_document(void **state)
{
	struct dlc_err err;
	struct xml_node *root;
	size_t len;
	char *body = fixture_load("sts-get-caller-identity.xml", &len);

	dlc_err_clear(&err);
	root = xml_parse(body, len, &err);
	assert_non_null(root);
	assert_null(root->parent);
	assert_string_equal(root->name, "GetCallerIdentityResponse");
	assert_string_equal(xml_text(root, "GetCallerIdentityResult/Account"),
	    "123456789012");
	assert_string_equal(xml_text(root, "ResponseMetadata/RequestId"),
	    "01234567-89ab-cdef-0123-456789abcdef");
	assert_null(xml_text(root, "GetCallerIdentityResult/Nope"));
	assert_null(xml_find(root, "Nope/Account"));
	assert_ptr_equal(xml_find(root, ""), root);
	assert_ptr_equal(xml_find(root, "GetCallerIdentityResult")->parent,
	    root);
	/* Children keep document order. */
	assert_string_equal(root->children->name, "GetCallerIdentityResult");
	assert_string_equal(root->children->children->name, "Arn");
	assert_string_equal(root->children->children->next->name, "UserId");
	xml_free(root);
	free(body);
}

static void
test_prefixes_entities_cdata_members(void **state)
{
	const char doc[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<a:R xmlns:a=\"urn:x\" xmlns:b=\"urn:y\"><b:List>"
	    "<member>one &amp; &lt;two&gt;</member><other/>"
	    "<member><![CDATA[<three>]]></member><member>caf&#233;</member>"
	    "</b:List></a:R>";
	struct dlc_err err;
	struct xml_node *root = xml_parse(doc, sizeof doc - 1, &err);
	const struct xml_node *m;
	const char *want[] = { "one & <two>", "<three>", "caf\xc3\xa9" };
	size_t i = 0;

	assert_non_null(root);
	assert_string_equal(root->name, "R");
	for (m = xml_find(root, "List/member"); m != NULL; m = xml_next(m)) {
		assert_true(i < 3);
		assert_string_equal(m->text, want[i]);
		i++;
	}
	assert_int_equal(i, 3);
	assert_string_equal(xml_text(root, "List/other"), "");
	assert_null(xml_child(root, "member"));
	assert_null(xml_next(NULL));
	xml_free(root);
	xml_free(NULL);
}

static void
test_not_xml_truncated_nul(void **state)
{
	struct dlc_err err;
	struct xml_node *root;
	size_t len, cut;
	char *body = fixture_load("sts-assume-role.xml", &len);
	const char nul[] = "<a>x\0y</a>";

	for (cut = 1; cut < len - 1; cut += 29) {
		dlc_err_clear(&err);
		assert_null(xml_parse(body, cut, &err));
		assert_string_equal(err.code, "MalformedResponse");
		assert_non_null(strstr(err.message, "response is not XML"));
	}
	root = xml_parse(body, len, &err);
	assert_non_null(root);
	xml_free(root);
	free(body);

	dlc_err_clear(&err);
	assert_null(xml_parse("{\"json\":1}", 10, &err));
	assert_non_null(strstr(err.message, "response is not XML (line 1, "
	    "column 0, byte 0: not well-formed (invalid token))"));
	dlc_err_clear(&err);
	assert_null(xml_parse(nul, sizeof nul - 1, &err));
	assert_non_null(strstr(err.message, "not XML"));
	dlc_err_clear(&err);
	assert_null(xml_parse("", 0, &err));
	assert_string_equal(err.message, "response is empty, expected XML");
	dlc_err_clear(&err);
	assert_null(xml_parse("<a></b>", 7, &err));
	assert_non_null(strstr(err.message, "mismatched tag"));
	dlc_err_clear(&err);
	assert_null(xml_parse("<a>&bogus;</a>", 14, &err));
	assert_non_null(strstr(err.message, "undefined entity"));
}

static void
test_refuses_doctype_and_entity_bomb(void **state)
{
	const char bomb[] = "<?xml version=\"1.0\"?>"
	    "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
	    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
	    "]><lolz>&lol3;</lolz>";
	const char ext[] = "<!DOCTYPE r SYSTEM \"file:///etc/passwd\"><r/>";
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_null(xml_parse(bomb, sizeof bomb - 1, &err));
	assert_non_null(strstr(err.message, "has a DOCTYPE"));
	dlc_err_clear(&err);
	assert_null(xml_parse(ext, sizeof ext - 1, &err));
	assert_non_null(strstr(err.message, "has a DOCTYPE"));
}

static char *
nested(size_t depth, size_t *len)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < depth; i++)
		buf_puts(&b, "<e>");
	for (i = 0; i < depth; i++)
		buf_puts(&b, "</e>");
	return buf_detach(&b, len);
}

static void
test_depth_nodes_text_limits(void **state)
{
	struct dlc_err err;
	struct xml_node *root;
	struct buf b;
	size_t len, i;
	char *s;

	s = nested(XML_MAX_DEPTH, &len);
	root = xml_parse(s, len, &err);
	assert_non_null(root);
	xml_free(root);
	free(s);
	s = nested(XML_MAX_DEPTH + 1, &len);
	dlc_err_clear(&err);
	assert_null(xml_parse(s, len, &err));
	assert_non_null(strstr(err.message, "nests deeper than 64"));
	free(s);

	buf_init(&b, 0);
	buf_puts(&b, "<r>");
	for (i = 0; i < XML_MAX_NODES; i++)
		buf_puts(&b, "<m/>");
	buf_puts(&b, "</r>");
	dlc_err_clear(&err);
	assert_null(xml_parse(b.data, b.len, &err));
	assert_non_null(strstr(err.message, "more than 200000 elements"));
	buf_free(&b);

	/* Just under the text cap is fine, just over is refused. */
	buf_init(&b, 0);
	buf_puts(&b, "<r>");
	s = malloc(XML_MAX_TEXT);
	memset(s, 't', XML_MAX_TEXT);
	buf_append(&b, s, XML_MAX_TEXT);
	buf_puts(&b, "</r>");
	root = xml_parse(b.data, b.len, &err);
	assert_non_null(root);
	assert_int_equal(strlen(root->text), XML_MAX_TEXT);
	xml_free(root);
	buf_reset(&b);
	buf_puts(&b, "<r>");
	buf_append(&b, s, XML_MAX_TEXT);
	buf_puts(&b, "<c/>x</r>");
	dlc_err_clear(&err);
	assert_null(xml_parse(b.data, b.len, &err));
	assert_non_null(strstr(err.message, "text over 4 MiB"));
	buf_free(&b);
	free(s);
}

static void
test_too_big(void **state)
{
	struct dlc_err err;
	size_t len = XML_MAX_BODY + 1;
	char *s = calloc(1, len);

	dlc_err_clear(&err);
	assert_null(xml_parse(s, len, &err));
	assert_non_null(strstr(err.message, "more than the 67108864"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_namespaced_document),
		cmocka_unit_test(test_prefixes_entities_cdata_members),
		cmocka_unit_test(test_not_xml_truncated_nul),
		cmocka_unit_test(test_refuses_doctype_and_entity_bomb),
		cmocka_unit_test(test_depth_nodes_text_limits),
		cmocka_unit_test(test_too_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
