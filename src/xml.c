/* A small DOM over expat, with the limits untrusted input needs. */
#include "xml.h"
#include "buf.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <openssl/crypto.h>

/* Expat joins namespace URI and local name with this; names cannot hold it. */
#define XML_NS_SEP	'|'

struct xml_state {
	XML_Parser	 parser;
	struct xml_node	*root;
	struct xml_node	*cur;
	/*
	 * The text of each open element so far, by depth: text is appended
	 * where it arrives and copied once when its element ends, so a list
	 * of 40,000 members (whose parent's text grows between them) costs
	 * linear time, not one copy of the parent's text per member.
	 */
	struct buf	 text[XML_MAX_DEPTH + 1];
	size_t		 depth;
	size_t		 bytes;		/* what the tree holds so far */
	const char	*refused;	/* why we stopped the parser ourselves */
};

/* The text of an element without any: shared, never freed. */
static char xml_empty[1];

static void
xml_stop(struct xml_state *st, const char *why)
{
	if (st->refused == NULL)
		st->refused = why;
	XML_StopParser(st->parser, XML_FALSE);
}

/* Counts n more bytes against the tree's ceiling; -1 (and stops) past it. */
static int
xml_charge(struct xml_state *st, size_t n)
{
	if (n > XML_MAX_TREE - st->bytes) {
		xml_stop(st, "needs more than " XML_MAX_TREE_TEXT " of memory "
		    "as a tree");
		return -1;
	}
	st->bytes += n;
	return 0;
}

static void XMLCALL
xml_on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct xml_state *st = ud;
	struct xml_node *n;
	const char *local;

	if (st->refused != NULL)
		return;
	if (++st->depth > XML_MAX_DEPTH) {
		xml_stop(st, "nests deeper than 64 elements");
		return;
	}
	local = strrchr(name, XML_NS_SEP);
	local = local != NULL ? local + 1 : name;
	if (xml_charge(st, sizeof *n + strlen(local) + 1) != 0)
		return;
	n = xcalloc(1, sizeof *n);
	n->name = xstrdup(local);
	n->text = xml_empty;
	n->parent = st->cur;
	/* Prepended for O(1); the list is put in order when the parent ends. */
	if (st->cur == NULL)
		st->root = n;
	else {
		n->next = st->cur->children;
		st->cur->children = n;
	}
	st->cur = n;
}

static void XMLCALL
xml_on_end(void *ud, const XML_Char *name)
{
	struct xml_state *st = ud;
	struct xml_node *c, *next, *rev = NULL;
	struct buf *t;

	if (st->refused != NULL || st->cur == NULL)
		return;
	t = &st->text[st->depth];
	if (t->len > 0) {
		/* An exact copy: a buffer's spare room, kept per node, adds up. */
		st->cur->text = xmalloc(t->len + 1);
		memcpy(st->cur->text, t->data, t->len + 1);
		OPENSSL_cleanse(t->data, t->len);
		buf_reset(t);
	}
	for (c = st->cur->children; c != NULL; c = next) {
		next = c->next;
		c->next = rev;
		rev = c;
	}
	st->cur->children = rev;
	st->cur = st->cur->parent;
	st->depth--;
}

static void XMLCALL
xml_on_text(void *ud, const XML_Char *s, int len)
{
	struct xml_state *st = ud;

	if (st->refused != NULL || st->cur == NULL || len <= 0)
		return;
	if (xml_charge(st, (size_t)len) != 0)
		return;
	if (buf_append(&st->text[st->depth], s, (size_t)len) != 0)
		xml_stop(st, "has an element text over 4 MiB");
}

static void XMLCALL
xml_on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	xml_stop(ud, "has a DOCTYPE, which AWS never sends");
}

static void XMLCALL
xml_on_entity(void *ud, const XML_Char *name, int is_param,
    const XML_Char *value, int value_len, const XML_Char *base,
    const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
	xml_stop(ud, "declares an entity, which AWS never does");
}

static void
xml_wipe_free(struct xml_node *n)
{
	struct xml_node *next, *child;

	/* Iterative over siblings, recursive over depth (capped at 64). */
	for (; n != NULL; n = next) {
		next = n->next;
		child = n->children;
		xml_wipe_free(child);
		if (n->text != NULL && n->text != xml_empty) {
			OPENSSL_cleanse(n->text, strlen(n->text));
			free(n->text);
		}
		free(n->name);
		free(n);
	}
}

void
xml_free(struct xml_node *root)
{
	if (root == NULL)
		return;
	/* A root has no siblings; a subtree handed in keeps its siblings. */
	root->next = NULL;
	xml_wipe_free(root);
}

struct xml_node *
xml_parse(const char *data, size_t len, struct dlc_err *err)
{
	struct xml_state st;
	enum XML_Status rc;
	const char *p;
	size_t left, chunk, i;

	if (data == NULL || len == 0) {
		dlc_err_set(err, "MalformedResponse", "response is empty, "
		    "expected XML");
		return NULL;
	}
	if (len > XML_MAX_BODY) {
		dlc_err_set(err, "MalformedResponse", "response is %zu bytes, "
		    "more than the %u accepted", len, XML_MAX_BODY);
		return NULL;
	}
	memset(&st, 0, sizeof st);
	for (i = 0; i <= XML_MAX_DEPTH; i++)
		buf_init(&st.text[i], XML_MAX_TEXT);
	st.parser = XML_ParserCreateNS(NULL, XML_NS_SEP);
	if (st.parser == NULL)
		fatal("out of memory creating an XML parser");
	XML_SetUserData(st.parser, &st);
	XML_SetElementHandler(st.parser, xml_on_start, xml_on_end);
	XML_SetCharacterDataHandler(st.parser, xml_on_text);
	XML_SetStartDoctypeDeclHandler(st.parser, xml_on_doctype);
	XML_SetEntityDeclHandler(st.parser, xml_on_entity);
	XML_SetParamEntityParsing(st.parser, XML_PARAM_ENTITY_PARSING_NEVER);

	/* XML_Parse takes an int length: feed big bodies in pieces. */
	rc = XML_STATUS_OK;
	for (p = data, left = len; left > 0 && rc == XML_STATUS_OK; ) {
		chunk = left > (1u << 20) ? (1u << 20) : left;
		left -= chunk;
		rc = XML_Parse(st.parser, p, (int)chunk, left == 0);
		p += chunk;
	}
	if (rc != XML_STATUS_OK || st.refused != NULL || st.root == NULL) {
		if (st.refused != NULL)
			dlc_err_set(err, "MalformedResponse", "response XML "
			    "%s (refused at byte %lld)", st.refused,
			    (long long)XML_GetCurrentByteIndex(st.parser));
		else if (rc != XML_STATUS_OK)
			dlc_err_set(err, "MalformedResponse", "response is not "
			    "XML (line %lu, column %lu, byte %lld: %s)",
			    (unsigned long)XML_GetCurrentLineNumber(st.parser),
			    (unsigned long)XML_GetCurrentColumnNumber(st.parser),
			    (long long)XML_GetCurrentByteIndex(st.parser),
			    XML_ErrorString(XML_GetErrorCode(st.parser)));
		else
			dlc_err_set(err, "MalformedResponse", "response XML "
			    "has no root element");
		dlc_err_fix(err, "The endpoint did not answer as AWS does: "
		    "check endpoint_url and any proxy in between, and retry "
		    "with --debug to see the body.");
		xml_free(st.root);
		st.root = NULL;
	}
	for (i = 0; i <= XML_MAX_DEPTH; i++) {
		if (st.text[i].data != NULL)
			OPENSSL_cleanse(st.text[i].data, st.text[i].len);
		buf_free(&st.text[i]);
	}
	XML_ParserFree(st.parser);
	return st.root;
}

const struct xml_node *
xml_child(const struct xml_node *parent, const char *name)
{
	const struct xml_node *c;

	if (parent == NULL)
		return NULL;
	for (c = parent->children; c != NULL; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

const struct xml_node *
xml_next(const struct xml_node *node)
{
	const struct xml_node *c;

	if (node == NULL)
		return NULL;
	for (c = node->next; c != NULL; c = c->next)
		if (strcmp(c->name, node->name) == 0)
			return c;
	return NULL;
}

const struct xml_node *
xml_find(const struct xml_node *from, const char *path)
{
	char step[256];
	const char *p = path, *slash;
	size_t n;

	while (from != NULL && p != NULL && *p != '\0') {
		slash = strchr(p, '/');
		n = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if (n >= sizeof step)
			return NULL;
		memcpy(step, p, n);
		step[n] = '\0';
		if (n > 0)
			from = xml_child(from, step);
		p = slash != NULL ? slash + 1 : NULL;
	}
	return from;
}

const char *
xml_text(const struct xml_node *from, const char *path)
{
	const struct xml_node *n = xml_find(from, path);

	return n != NULL ? n->text : NULL;
}
