/*
 * A tiny read-only DOM over expat for the XML answers of query-protocol
 * services (STS, CloudWatch). Names are local names (namespace stripped),
 * text is the element's own character data. The parser refuses DOCTYPEs
 * and entity declarations (no billion laughs, no external entities) and
 * caps depth, text size and the bytes the tree holds, since the bytes are
 * untrusted. Building the tree takes time linear in the body.
 */
#ifndef DLC_XML_H
#define DLC_XML_H

#include <stddef.h>

#include "err.h"

#define XML_MAX_BODY	(64u * 1024 * 1024)
#define XML_MAX_DEPTH	64
/*
 * Bytes the tree may hold (each element counts its node, name and text).
 * A ceiling in bytes rather than elements: a two-series GetMetricData
 * page (2 x 100,800 timestamps and values, ~400,000 elements, ~15 MB of
 * XML) needs ~30 MB, while 64 MiB of "<a/>" would need 700 MB.
 */
#define XML_MAX_TREE		(128u * 1024 * 1024)
#define XML_MAX_TREE_TEXT	"128 MiB"
#define XML_MAX_TEXT	(4u * 1024 * 1024)	/* per element */

struct xml_node {
	char		*name;		/* local name, namespace stripped */
	char		*text;		/* never NULL; "" when empty */
	struct xml_node	*children;	/* first child */
	struct xml_node	*next;		/* next sibling */
	struct xml_node	*parent;
};

/*
 * Parses data[0..len) and returns the root element (allocated: free with
 * xml_free), or NULL with err filled ("not XML (line 3, column 7: ...)").
 */
struct xml_node	*xml_parse(const char *data, size_t len, struct dlc_err *err);
/* Frees the whole tree from its root; text is wiped first (it may hold keys). */
void		 xml_free(struct xml_node *root);

/*
 * The node at path ("GetCallerIdentityResult/Account"), each step the first
 * child of that name, starting below from; path "" is from itself. NULL if
 * absent.
 */
const struct xml_node *xml_find(const struct xml_node *from, const char *path);
/* The text at path, or NULL when the element is absent. */
const char	*xml_text(const struct xml_node *from, const char *path);
/* The first child of parent named name, or NULL. */
const struct xml_node *xml_child(const struct xml_node *parent, const char *name);
/* The next sibling after node with the same name, or NULL: iterates <member>s. */
const struct xml_node *xml_next(const struct xml_node *node);

#endif
