/*
 * libFuzzer target for src/xml.c: any bytes parse to a tree or to an
 * error, never a crash; a tree holds names without the namespace
 * separator, and every node's text is a string.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xml.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
fuzz_xml_walk(const struct xml_node *n, const struct xml_node *parent)
{
	size_t count = 0;

	for (; n != NULL; n = n->next) {
		if (n->parent != parent || n->name == NULL || n->text == NULL ||
		    strchr(n->name, '|') != NULL)
			abort();
		(void)strlen(n->text);
		if (parent != NULL && xml_child(parent, n->name) == NULL)
			abort();
		(void)xml_next(n);
		count += 1 + fuzz_xml_walk(n->children, n);
	}
	return count;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dlc_err err;
	struct xml_node *root;

	dlc_err_clear(&err);
	root = xml_parse((const char *)data, size, &err);
	if (root == NULL) {
		if (err.message[0] == '\0')
			abort();
		return 0;
	}
	if (root->next != NULL)
		abort();
	(void)fuzz_xml_walk(root, NULL);
	(void)xml_text(root, "GetCallerIdentityResult/Account");
	(void)xml_find(root, "Errors/Error/Code");
	xml_free(root);
	return 0;
}
