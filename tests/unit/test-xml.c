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
test_depth_text_limits(void **state)
{
	struct dlc_err err;
	struct xml_node *root;
	struct buf b;
	size_t len;
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

/*
 * Bytes asked of the allocator while parsing: the test links with
 * -Wl,--wrap for each x* allocator (mk/proto.am), so the count does not
 * depend on the machine's speed or load.
 */
static size_t alloc_bytes;

void	*__real_xmalloc(size_t);
void	*__real_xcalloc(size_t, size_t);
void	*__real_xrealloc(void *, size_t);
char	*__real_xstrdup(const char *);
void	*__wrap_xmalloc(size_t);
void	*__wrap_xcalloc(size_t, size_t);
void	*__wrap_xrealloc(void *, size_t);
char	*__wrap_xstrdup(const char *);

void *
__wrap_xmalloc(size_t n)
{
	alloc_bytes += n;
	return __real_xmalloc(n);
}

void *
__wrap_xcalloc(size_t nmemb, size_t n)
{
	alloc_bytes += nmemb * n;
	return __real_xcalloc(nmemb, n);
}

void *
__wrap_xrealloc(void *p, size_t n)
{
	alloc_bytes += n;
	return __real_xrealloc(p, n);
}

char *
__wrap_xstrdup(const char *s)
{
	alloc_bytes += s != NULL ? strlen(s) + 1 : 0;
	return __real_xstrdup(s);
}

/* A ListFunctions-like answer of n members, indented as AWS sends it. */
static char *
members(size_t n, size_t *len)
{
	struct buf b;
	size_t i;

	buf_init(&b, 0);
	buf_puts(&b, "<R xmlns=\"urn:x\">\n  <List>");
	for (i = 0; i < n; i++)
		buf_printf(&b, "\n    <member>function-%zu</member>", i);
	buf_puts(&b, "\n  </List>\n</R>\n");
	return buf_detach(&b, len);
}

static size_t
parse_cost(size_t n)
{
	struct dlc_err err;
	struct xml_node *root;
	const struct xml_node *m;
	size_t len, count = 0, cost;
	char *s = members(n, &len);

	alloc_bytes = 0;
	root = xml_parse(s, len, &err);
	cost = alloc_bytes;
	assert_non_null(root);
	for (m = xml_find(root, "List/member"); m != NULL; m = xml_next(m))
		count++;
	assert_int_equal(count, n);
	/* The parent keeps its own text: the indentation around members. */
	assert_int_equal(strlen(xml_text(root, "List")), 5 * n + 3);
	xml_free(root);
	free(s);
	return cost;
}

/*
 * 8 times the members cost at most ~8 times the work. The parent's
 * whitespace between members was copied whole at each member, so 40,000
 * members cost ~64 times what 5,000 did (12 ms to 425 ms).
 */
static void
test_members_cost_linear(void **state)
{
	size_t small = parse_cost(5000), big = parse_cost(40000);

	assert_true(small > 0);
	if (big > small * 10)
		fail_msg("40,000 members asked for %zu bytes, 5,000 for %zu: "
		    "%.1f times as much", big, small, (double)big / small);
}

/* A GetMetricData answer: series of n timestamps and values each. */
static char *
metric_data(size_t series, size_t n, size_t *len)
{
	struct buf b;
	size_t s, i;

	buf_init(&b, 0);
	buf_puts(&b, "<GetMetricDataResponse xmlns=\"http://monitoring."
	    "amazonaws.com/doc/2010-08-01/\">\n  <GetMetricDataResult>\n"
	    "    <MetricDataResults>");
	for (s = 0; s < series; s++) {
		buf_printf(&b, "\n      <member>\n        <Id>m%zu</Id>\n"
		    "        <Label>Errors</Label>\n        <Timestamps>", s);
		for (i = 0; i < n; i++)
			buf_printf(&b, "\n          <member>2026-11-%02zuT%02zu:"
			    "%02zu:00Z</member>", 1 + i / 1440 % 28,
			    i / 60 % 24, i % 60);
		buf_puts(&b, "\n        </Timestamps>\n        <Values>");
		for (i = 0; i < n; i++)
			buf_printf(&b, "\n          <member>%zu.0</member>", i);
		buf_puts(&b, "\n        </Values>\n        <StatusCode>"
		    "Complete</StatusCode>\n      </member>");
	}
	buf_puts(&b, "\n    </MetricDataResults>\n    <Messages/>\n"
	    "  </GetMetricDataResult>\n  <ResponseMetadata>\n    <RequestId>"
	    "r-1</RequestId>\n  </ResponseMetadata>\n"
	    "</GetMetricDataResponse>\n");
	return buf_detach(&b, len);
}

static void
test_metric_data_page_and_tree_ceiling(void **state)
{
	struct dlc_err err;
	struct xml_node *root;
	const struct xml_node *r, *m;
	struct buf b;
	size_t len, n, series = 0, i;
	char *s = metric_data(2, 100800, &len);

	/* Two full series: ~400,000 elements, past the old 200,000 cap. */
	dlc_err_clear(&err);
	root = xml_parse(s, len, &err);
	if (root == NULL)
		fail_msg("GetMetricData page refused: %s", err.message);
	for (r = xml_find(root, "GetMetricDataResult/MetricDataResults/member");
	    r != NULL; r = xml_next(r)) {
		n = 0;
		for (m = xml_find(r, "Values/member"); m != NULL;
		    m = xml_next(m))
			n++;
		assert_int_equal(n, 100800);
		n = 0;
		for (m = xml_find(r, "Timestamps/member"); m != NULL;
		    m = xml_next(m))
			n++;
		assert_int_equal(n, 100800);
		series++;
	}
	assert_int_equal(series, 2);
	assert_string_equal(xml_text(root, "ResponseMetadata/RequestId"), "r-1");
	xml_free(root);
	free(s);

	/* Empty elements cost 4 bytes of XML each but a node each in memory. */
	buf_init(&b, 0);
	buf_puts(&b, "<r>");
	for (i = 0; i < XML_MAX_TREE / 40; i++)
		buf_puts(&b, "<m/>");
	buf_puts(&b, "</r>");
	assert_true(b.len < XML_MAX_BODY);
	dlc_err_clear(&err);
	assert_null(xml_parse(b.data, b.len, &err));
	assert_string_equal(err.code, "MalformedResponse");
	assert_non_null(strstr(err.message, "response XML needs more than "
	    "128 MiB of memory as a tree (refused at byte "));
	buf_free(&b);
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
		cmocka_unit_test(test_depth_text_limits),
		cmocka_unit_test(test_members_cost_linear),
		cmocka_unit_test(test_metric_data_page_and_tree_ceiling),
		cmocka_unit_test(test_too_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
