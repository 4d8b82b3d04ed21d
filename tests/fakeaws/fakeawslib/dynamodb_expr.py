"""DynamoDB expressions: condition (and filter), update and projection.

Parsed into small tuples and evaluated against an item (a dict of
name -> AttributeValue). What a lease lock needs is here in full:
attribute_exists / attribute_not_exists, = <> < <= > >=, AND OR NOT,
parentheses, #name and :value placeholders, SET / REMOVE (and ADD /
DELETE) updates. The checks DynamoDB makes before it looks at the item are
made here too, with its words: syntax errors, reserved words, undefined
or unused placeholders, operand types.
"""

import copy
import re

from . import dynamodb_values as values
from .dynamodb_reserved import is_reserved
from .dynamodb_values import validation
from .errors import AwsError

TOKEN_RE = re.compile(r"\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|"
                      r"(?P<ph>[#:][A-Za-z0-9_]+)|(?P<num>[0-9]+)|"
                      r"(?P<op><>|<=|>=|[=<>(),.\[\]+-]))")
COMPARATORS = ("=", "<>", "<", "<=", ">", ">=")
ORDERING = ("<", "<=", ">", ">=")
CONDITION_FUNCTIONS = ("attribute_exists", "attribute_not_exists",
                       "attribute_type", "begins_with", "contains")
TYPE_NAMES = values.TYPES
UPDATE_CLAUSES = ("SET", "REMOVE", "ADD", "DELETE")


class Placeholders:
    """A request's ExpressionAttributeNames and Values, and which of them
    its expressions used (DynamoDB refuses unused ones)."""

    def __init__(self, names, vals):
        if names is not None and (not isinstance(names, dict) or not names):
            raise validation("ExpressionAttributeNames must not be empty")
        if vals is not None and (not isinstance(vals, dict) or not vals):
            raise validation("ExpressionAttributeValues must not be empty")
        self.names = names or {}
        self.values = values.check_map(vals, "expressionAttributeValues") \
            if vals is not None else {}
        self.used_names = set()
        self.used_values = set()

    def name(self, ph, label):
        if ph not in self.names:
            raise validation("Invalid %s: An expression attribute name used "
                             "in the document path is not defined; attribute "
                             "name: %s" % (label, ph))
        self.used_names.add(ph)
        return self.names[ph]

    def value(self, ph, label):
        if ph not in self.values:
            raise validation("Invalid %s: An expression attribute value used "
                             "in expression is not defined; attribute value: "
                             "%s" % (label, ph))
        self.used_values.add(ph)
        return self.values[ph]

    def check_unused(self):
        unused = sorted(set(self.names) - self.used_names)
        if unused:
            raise validation("Value provided in ExpressionAttributeNames "
                             "unused in expressions: keys: {%s}"
                             % ", ".join(unused))
        unused = sorted(set(self.values) - self.used_values)
        if unused:
            raise validation("Value provided in ExpressionAttributeValues "
                             "unused in expressions: keys: {%s}"
                             % ", ".join(unused))


def _tokens(text, label):
    out, pos = [], 0
    while True:
        m = TOKEN_RE.match(text, pos)
        if not m:
            rest = text[pos:].strip()
            if not rest:
                break
            raise validation('Invalid %s: Syntax error; token: "%s", near: '
                             '"%s"' % (label, rest[0], text[pos:].lstrip()
                                       [:2].strip()))
        kind = m.lastgroup
        out.append((kind, m.group(kind), m.start(kind), m.end()))
        pos = m.end()
    out.append(("eof", "<EOF>", len(text), len(text)))
    return out


class _Parser:
    def __init__(self, text, label, ph):
        if not isinstance(text, str) or not text.strip():
            raise validation("Invalid %s: The expression can not be empty;"
                             % label)
        self.text = text
        self.label = label
        self.ph = ph
        self.toks = _tokens(text, label)
        self.i = 0

    def peek(self, ahead=0):
        return self.toks[min(self.i + ahead, len(self.toks) - 1)]

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def keyword(self, word):
        tok = self.peek()
        return tok[0] == "name" and tok[1].upper() == word

    def error(self):
        tok = self.peek()
        start = self.toks[self.i - 1][2] if self.i else tok[2]
        near = self.text[start:tok[3]].strip()
        raise validation('Invalid %s: Syntax error; token: "%s", near: "%s"'
                         % (self.label, tok[1], near))

    def expect(self, text):
        if self.peek()[1] != text or self.peek()[0] not in ("op",):
            self.error()
        self.take()

    def at_end(self):
        if self.peek()[0] != "eof":
            self.error()

    # Paths and operands ---------------------------------------------

    def segment_name(self):
        kind, text, _, _ = self.take()
        if kind == "name":
            if is_reserved(text):
                raise validation("Invalid %s: Attribute name is a reserved "
                                 "keyword; reserved keyword: %s"
                                 % (self.label, text))
            return text
        if kind == "ph" and text[0] == "#":
            return self.ph.name(text, self.label)
        self.i -= 1
        self.error()

    def path(self):
        segs = [("attr", self.segment_name())]
        while True:
            if self.peek()[1] == "." and self.peek()[0] == "op":
                self.take()
                segs.append(("attr", self.segment_name()))
            elif self.peek()[1] == "[" and self.peek()[0] == "op":
                self.take()
                kind, text, _, _ = self.take()
                if kind != "num":
                    self.i -= 1
                    self.error()
                segs.append(("index", int(text)))
                self.expect("]")
            else:
                return ("path", segs)

    def operand(self):
        kind, text, _, _ = self.peek()
        if kind == "ph" and text[0] == ":":
            self.take()
            return ("value", self.ph.value(text, self.label))
        if kind == "name" and self.peek(1)[1] == "(":
            return self.function()
        if kind == "name" or (kind == "ph" and text[0] == "#"):
            return self.path()
        self.error()

    def args(self):
        self.expect("(")
        out = [self.operand()]
        while self.peek()[1] == ",":
            self.take()
            out.append(self.operand())
        self.expect(")")
        return out

    def function(self):
        name = self.take()[1]
        allowed = self.functions()
        if name not in allowed:
            raise validation("Invalid %s: Invalid function name; function: "
                             "%s" % (self.label, name))
        args = self.args()
        want = allowed[name]
        if len(args) != want:
            raise validation("Invalid %s: Incorrect number of operands for "
                             "operator or function; operator or function: "
                             "%s, number of operands: %d"
                             % (self.label, name, len(args)))
        if name in ("attribute_exists", "attribute_not_exists", "size",
                    "attribute_type", "begins_with", "contains",
                    "if_not_exists") and args[0][0] != "path":
            raise validation("Invalid %s: Operator or function requires a "
                             "document path; operator or function: %s"
                             % (self.label, name))
        if name == "attribute_type":
            t = args[1]
            if t[0] != "value" or values.kind(t[1]) != "S" or \
                    t[1]["S"] not in TYPE_NAMES:
                raise validation("Invalid %s: Invalid attribute type name "
                                 "found; type: %s, valid types: %s"
                                 % (self.label, t[1] if t[0] == "value"
                                    else "path", ", ".join(TYPE_NAMES)))
        return ("fn", name, args)

    def functions(self):
        return {}


class _ConditionParser(_Parser):
    def functions(self):
        return {"attribute_exists": 1, "attribute_not_exists": 1,
                "attribute_type": 2, "begins_with": 2, "contains": 2,
                "size": 1}

    def parse(self):
        tree = self.disjunction()
        self.at_end()
        return tree

    def disjunction(self):
        left = self.conjunction()
        while self.keyword("OR"):
            self.take()
            left = ("or", left, self.conjunction())
        return left

    def conjunction(self):
        left = self.negation()
        while self.keyword("AND"):
            self.take()
            left = ("and", left, self.negation())
        return left

    def negation(self):
        if self.keyword("NOT"):
            self.take()
            return ("not", self.negation())
        return self.primary()

    def primary(self):
        if self.peek()[1] == "(" and self.peek()[0] == "op":
            self.take()
            inner = self.disjunction()
            self.expect(")")
            return inner
        left = self.operand()
        if left[0] == "fn" and left[1] != "size":
            return left
        tok = self.peek()
        if tok[0] == "op" and tok[1] in COMPARATORS:
            self.take()
            right = self.operand()
            self.check_operands(tok[1], (left, right))
            return ("cmp", tok[1], left, right)
        if self.keyword("BETWEEN"):
            self.take()
            low = self.operand()
            if not self.keyword("AND"):
                self.error()
            self.take()
            high = self.operand()
            self.check_operands("BETWEEN", (left, low, high))
            return ("between", left, low, high)
        if self.keyword("IN"):
            self.take()
            return ("in", left, self.args())
        if left[0] == "fn":
            raise validation("Invalid %s: The function is not allowed to be "
                             "used this way in an expression; function: %s"
                             % (self.label, left[1]))
        self.error()

    def check_operands(self, op, operands):
        if op not in ORDERING and op != "BETWEEN":
            return
        for o in operands:
            if o[0] == "value" and values.kind(o[1]) not in ("S", "N", "B"):
                raise validation("Invalid %s: Incorrect operand type for "
                                 "operator or function; operator or "
                                 "function: %s, operand type: %s"
                                 % (self.label, op, values.kind(o[1])))


def parse_condition(text, ph, label="ConditionExpression"):
    return _ConditionParser(text, label, ph).parse()


# Evaluation -----------------------------------------------------------

def get(item, path):
    """The AttributeValue at a path, or None when it is not there."""
    segs = path[1]
    cur = item.get(segs[0][1])
    for kind, key in segs[1:]:
        if cur is None:
            return None
        if kind == "attr" and values.kind(cur) == "M":
            cur = cur["M"].get(key)
        elif kind == "index" and values.kind(cur) == "L" and \
                key < len(cur["L"]):
            cur = cur["L"][key]
        else:
            return None
    return cur


def _value(item, operand):
    kind = operand[0]
    if kind == "value":
        return operand[1]
    if kind == "path":
        return get(item, operand)
    if kind == "fn" and operand[1] == "size":
        av = get(item, operand[2][0])
        n = values.size(av) if av is not None else None
        return {"N": str(n)} if n is not None else None
    raise AssertionError(operand)


def _compare(op, a, b):
    if op == "=":
        return values.equal(a, b)
    if op == "<>":
        return not values.equal(a, b)
    pair = values.ordered(a, b)
    if pair is None:
        return False
    x, y = pair
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]


def _contains(av, needle):
    if av is None or needle is None:
        return False
    k = values.kind(av)
    if k == "S":
        return values.kind(needle) == "S" and needle["S"] in av["S"]
    if k in ("SS", "NS", "BS"):
        return any(values.equal({k[0]: m}, needle) for m in av[k])
    if k == "L":
        return any(values.equal(m, needle) for m in av["L"])
    return False


def evaluate(tree, item):
    """Whether the condition holds for item ({} when there is none)."""
    kind = tree[0]
    if kind == "or":
        return evaluate(tree[1], item) or evaluate(tree[2], item)
    if kind == "and":
        return evaluate(tree[1], item) and evaluate(tree[2], item)
    if kind == "not":
        return not evaluate(tree[1], item)
    if kind == "cmp":
        return _compare(tree[1], _value(item, tree[2]),
                        _value(item, tree[3]))
    if kind == "between":
        v = _value(item, tree[1])
        return _compare(">=", v, _value(item, tree[2])) and \
            _compare("<=", v, _value(item, tree[3]))
    if kind == "in":
        v = _value(item, tree[1])
        return any(values.equal(v, _value(item, o)) for o in tree[2])
    name, args = tree[1], tree[2]
    if name == "attribute_exists":
        return get(item, args[0]) is not None
    if name == "attribute_not_exists":
        return get(item, args[0]) is None
    av = get(item, args[0])
    if name == "attribute_type":
        return av is not None and values.kind(av) == args[1][1]["S"]
    if name == "begins_with":
        prefix = _value(item, args[1])
        if av is None or prefix is None or \
                values.kind(av) != values.kind(prefix) or \
                values.kind(av) not in ("S", "B"):
            return False
        return values.ordered(av, av)[0].startswith(
            values.ordered(prefix, prefix)[0])
    if name == "contains":
        return _contains(av, _value(item, args[1]))
    raise AssertionError(tree)


# Updates --------------------------------------------------------------

class _UpdateParser(_Parser):
    def functions(self):
        return {"if_not_exists": 2, "list_append": 2}

    def parse(self):
        """[(clause, [action...])]: SET (path, value-tree), REMOVE path,
        ADD / DELETE (path, value)."""
        seen, out = set(), []
        while self.peek()[0] != "eof":
            tok = self.peek()
            word = tok[1].upper() if tok[0] == "name" else None
            if word not in UPDATE_CLAUSES:
                self.error()
            if word in seen:
                raise validation('Invalid UpdateExpression: The "%s" section '
                                 'can only be used once in an update '
                                 'expression;' % word)
            seen.add(word)
            self.take()
            actions = [self.action(word)]
            while self.peek()[1] == "," and self.peek()[0] == "op":
                self.take()
                actions.append(self.action(word))
            out.append((word, actions))
        self.check_overlap(out)
        return out

    def action(self, word):
        path = self.path()
        if word == "REMOVE":
            return path
        if word == "SET":
            self.expect("=")
            left = self.operand()
            tok = self.peek()
            if tok[0] == "op" and tok[1] in ("+", "-"):
                self.take()
                return (path, ("arith", tok[1], left, self.operand()))
            return (path, left)
        value = self.operand()
        if value[0] != "value":
            self.error()
        k = values.kind(value[1])
        if (word == "ADD" and k not in ("N", "SS", "NS", "BS")) or \
                (word == "DELETE" and k not in ("SS", "NS", "BS")):
            raise validation("Invalid UpdateExpression: Incorrect operand "
                             "type for operator or function; operator: %s, "
                             "operand type: %s" % (word, k))
        return (path, value)

    def check_overlap(self, clauses):
        seen = []
        for word, actions in clauses:
            for a in actions:
                segs = (a if word == "REMOVE" else a[0])[1]
                for other in seen:
                    n = min(len(other), len(segs))
                    if other[:n] == segs[:n]:
                        raise validation(
                            "Invalid UpdateExpression: Two document paths "
                            "overlap with each other; must remove or rewrite "
                            "one of these paths; path one: [%s], path two: "
                            "[%s]" % (_show(other), _show(segs)))
                seen.append(segs)


def _show(segs):
    return ", ".join(str(k) if kind == "attr" else "[%d]" % k
                     for kind, k in segs)


def parse_update(text, ph):
    return _UpdateParser(text, "UpdateExpression", ph).parse()


def update_paths(clauses):
    """The top-level attribute names an update touches."""
    out = []
    for word, actions in clauses:
        for a in actions:
            out.append((a if word == "REMOVE" else a[0])[1][0][1])
    return out


def _bad_type():
    return validation("An operand in the update expression has an incorrect "
                      "data type")


def _set_value(item, tree):
    kind = tree[0]
    if kind == "arith":
        a, b = _set_value(item, tree[2]), _set_value(item, tree[3])
        if values.kind(a) != "N" or values.kind(b) != "N":
            raise _bad_type()
        x, y = values.number(a), values.number(b)
        r = values._CTX.add(x, y) if tree[1] == "+" else \
            values._CTX.subtract(x, y)
        return {"N": values.format_number(r)}
    if kind == "fn" and tree[1] == "if_not_exists":
        have = get(item, tree[2][0])
        return have if have is not None else _set_value(item, tree[2][1])
    if kind == "fn" and tree[1] == "list_append":
        a, b = _set_value(item, tree[2][0]), _set_value(item, tree[2][1])
        if values.kind(a) != "L" or values.kind(b) != "L":
            raise _bad_type()
        return {"L": a["L"] + b["L"]}
    if kind == "fn":
        raise _bad_type()
    v = _value(item, tree)
    if v is None:
        raise validation("The provided expression refers to an attribute "
                         "that does not exist in the item")
    return v


def _container(item, segs):
    """(dict or list, key) that holds the last segment, or raise."""
    cur = item
    for i, (kind, key) in enumerate(segs[:-1]):
        if isinstance(cur, dict):
            nxt = cur.get(key) if kind == "attr" else None
        else:
            nxt = cur[key] if kind == "index" and key < len(cur) else None
        if nxt is None:
            raise validation("The document path provided in the update "
                             "expression is invalid for update")
        k = values.kind(nxt)
        want = "M" if segs[i + 1][0] == "attr" else "L"
        if k != want:
            raise validation("The document path provided in the update "
                             "expression is invalid for update")
        cur = nxt[k]
    return cur, segs[-1][1]


def _put(item, segs, av):
    holder, key = _container(item, segs)
    if isinstance(holder, list):
        if key < len(holder):
            holder[key] = av
        else:
            holder.append(av)
    else:
        holder[key] = av


def _remove(item, segs):
    try:
        holder, key = _container(item, segs)
    except AwsError:
        return      # nothing there to remove
    if isinstance(holder, list):
        if key < len(holder):
            del holder[key]
    else:
        holder.pop(key, None)


def apply_update(clauses, old):
    """The item after the update (a new dict). Right-hand sides read the
    item as it was, as DynamoDB's do."""
    new = copy.deepcopy(old)
    sets = []
    for word, actions in clauses:
        if word == "SET":
            sets += [(p[1], _set_value(old, v)) for p, v in actions]
    for segs, av in sets:
        _put(new, segs, copy.deepcopy(av))
    for word, actions in clauses:
        if word == "REMOVE":
            for p in sorted(actions, key=lambda p: [k for _, k in p[1]
                                                    if isinstance(k, int)],
                            reverse=True):
                _remove(new, p[1])
        elif word in ("ADD", "DELETE"):
            for p, v in actions:
                _add_delete(new, word, p[1], v[1])
    return new


def _add_delete(item, word, segs, av):
    have = get(item, ("path", segs))
    k = values.kind(av)
    if have is None:
        if word == "ADD":
            _put(item, segs, dict(av))
        return
    if values.kind(have) != k:
        raise _bad_type()
    if k == "N":
        total = values._CTX.add(values.number(have), values.number(av))
        _put(item, segs, {"N": values.format_number(total)})
        return
    members = list(have[k])
    if word == "ADD":
        members += [m for m in av[k] if not any(
            values.equal({k[0]: m}, {k[0]: x}) for x in members)]
    else:
        members = [m for m in members if not any(
            values.equal({k[0]: m}, {k[0]: x}) for x in av[k])]
    if members:
        _put(item, segs, {k: members})
    else:
        _remove(item, segs)


# Projections ----------------------------------------------------------

class _ProjectionParser(_Parser):
    def parse(self):
        out = [self.path()]
        while self.peek()[1] == "," and self.peek()[0] == "op":
            self.take()
            out.append(self.path())
        self.at_end()
        return out


def parse_projection(text, ph):
    return _ProjectionParser(text, "ProjectionExpression", ph).parse()


def project(item, paths):
    """The item cut down to the paths (maps kept nested, as DynamoDB
    answers; list elements selected by index come back compacted)."""
    out = {}
    for path in paths:
        av = get(item, path)
        if av is None:
            continue
        segs = path[1]
        cur = out
        for i, (kind, key) in enumerate(segs[:-1]):
            nxt_kind = segs[i + 1][0]
            if kind == "attr" and nxt_kind == "attr":
                cur = cur.setdefault(key, {"M": {}})["M"]
            else:
                raise validation("fakeaws: projections through list "
                                 "elements are not implemented")
        cur[segs[-1][1]] = av
    return out
