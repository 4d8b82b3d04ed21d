"""CloudWatch Logs filter patterns: compile(pattern) -> match(message).

The forms dlc's users type, with CloudWatch's meaning:

- empty (or only blanks, or "") matches every event;
- terms separated by blanks must all appear, case-sensitively, as
  substrings; "a quoted phrase" is one term (\\" inside it is a quote);
- ?term: at least one of the ?terms must appear (the plain terms still
  must, and -terms still must not);
- -term: the term must not appear ("ERROR -Retry"); a pattern of only
  -terms matches every event that has none of them;
- %regex%: a Python re search (CloudWatch's regex subset fits in it);
- { JSON } patterns over a message that is a JSON object:
  $.a.b, $.list[0].x selectors; = and != against "strings" (with *
  wildcards), bare words or numbers; < > <= >= against numbers;
  IS NULL, IS TRUE, IS FALSE, NOT EXISTS; && || and parentheses.
  A message that is not a JSON object never matches.

Space-delimited patterns ([ip, user, ...]) are not implemented: they are
refused as invalid, which is what a mistyped pattern gets from AWS too.
Anything malformed raises ValueError; the service turns it into
InvalidParameterException "Invalid filter pattern".
"""

import json
import re

MAX_LEN = 1024


def compile(pattern):  # noqa: A001 - named like re.compile on purpose
    """A function message -> bool for the pattern, or ValueError."""
    if pattern is None:
        return _always
    if len(pattern) > MAX_LEN:
        raise ValueError("filter pattern longer than %d" % MAX_LEN)
    text = pattern.strip()
    if text.startswith("{"):
        return _compile_json(text)
    if text.startswith("["):
        raise ValueError("space-delimited patterns are not supported")
    if len(text) >= 2 and text.startswith("%") and text.endswith("%"):
        try:
            rx = re.compile(text[1:-1])
        except re.error as e:
            raise ValueError("bad regex: %s" % e)
        return lambda message: rx.search(message) is not None
    return _compile_terms(text)


def _always(_message):
    return True


# Text patterns ----------------------------------------------------------

def _split_terms(text):
    """[(kind, term)] with kind '', '?' or '-'."""
    terms, i, n = [], 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        kind = ""
        if text[i] in "?-" and i + 1 < n and not text[i + 1].isspace():
            kind = text[i]
            i += 1
        if text[i] == '"':
            i += 1
            chars = []
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n:
                    i += 1
                chars.append(text[i])
                i += 1
            if i >= n:
                raise ValueError("unterminated quote")
            i += 1
            if i < n and not text[i].isspace():
                raise ValueError("text after a closing quote")
            term = "".join(chars)
        else:
            start = i
            while i < n and not text[i].isspace():
                if text[i] == '"':
                    raise ValueError("quote inside a term")
                i += 1
            term = text[start:i]
        terms.append((kind, term))
    return terms


def _compile_terms(text):
    terms = _split_terms(text)
    need = [t for k, t in terms if k == "" and t]
    anyof = [t for k, t in terms if k == "?" and t]
    nots = [t for k, t in terms if k == "-" and t]
    if not (need or anyof or nots):
        return _always

    def match(message):
        if any(t not in message for t in need):
            return False
        if anyof and not any(t in message for t in anyof):
            return False
        return not any(t in message for t in nots)
    return match


# JSON patterns ----------------------------------------------------------

TOKEN_RE = re.compile(r"""
    (?P<space>\s+)
  | (?P<op>&&|\|\||!=|<=|>=|=|<|>|\(|\)|\{|\})
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<selector>\$(?:\.[A-Za-z0-9_@-]+|\[\d+\])*)
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![A-Za-z0-9_*.:/-]))
  | (?P<word>[A-Za-z0-9_.*:/@+-]+)
""", re.VERBOSE)

MISSING = object()


def _tokens(text):
    out, pos = [], 0
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m:
            raise ValueError("unexpected %r" % text[pos])
        pos = m.end()
        kind = m.lastgroup
        if kind != "space":
            out.append((kind, m.group(kind)))
    return out


class _Parser:
    def __init__(self, tokens):
        self.toks = tokens
        self.i = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self, kind=None, value=None):
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind) or \
                (value is not None and tok[1] != value):
            raise ValueError("expected %s near token %d" % (
                value or kind, self.i))
        self.i += 1
        return tok

    def parse_or(self):
        node = self.parse_and()
        while self.peek() == ("op", "||"):
            self.take()
            right = self.parse_and()
            node = (lambda a, b: lambda d: a(d) or b(d))(node, right)
        return node

    def parse_and(self):
        node = self.parse_unary()
        while self.peek() == ("op", "&&"):
            self.take()
            right = self.parse_unary()
            node = (lambda a, b: lambda d: a(d) and b(d))(node, right)
        return node

    def parse_unary(self):
        if self.peek() == ("op", "("):
            self.take()
            node = self.parse_or()
            self.take("op", ")")
            return node
        return self.parse_comparison()

    def parse_comparison(self):
        path = _path(self.take("selector")[1])
        kind, value = self.peek()
        if kind == "word" and value.upper() in ("IS", "NOT"):
            self.take()
            what = self.take("word")[1].upper()
            get = lambda d: _select(d, path)  # noqa: E731
            if value.upper() == "NOT":
                if what != "EXISTS":
                    raise ValueError("NOT must be followed by EXISTS")
                return lambda d: get(d) is MISSING
            want = {"NULL": None, "TRUE": True, "FALSE": False}
            if what not in want:
                raise ValueError("IS takes NULL, TRUE or FALSE")
            w = want[what]
            return lambda d: get(d) is not MISSING and get(d) is w
        op = self.take("op")[1]
        if op not in ("=", "!=", "<", ">", "<=", ">="):
            raise ValueError("expected a comparison, got %s" % op)
        vkind, raw = self.peek()
        if vkind not in ("string", "number", "word"):
            raise ValueError("expected a value after %s" % op)
        self.take()
        if vkind == "number":
            return _numeric(path, op, float(raw))
        if op not in ("=", "!="):
            raise ValueError("%s needs a number" % op)
        text = json.loads(raw) if vkind == "string" else raw
        return _textual(path, op, text)


def _path(selector):
    parts = re.findall(r"\.([A-Za-z0-9_@-]+)|\[(\d+)\]", selector[1:])
    if not parts:
        raise ValueError("a selector needs a field: $.name")
    return [name if name else int(index) for name, index in parts]


def _select(doc, path):
    for step in path:
        if isinstance(step, int):
            if not isinstance(doc, list) or step >= len(doc):
                return MISSING
            doc = doc[step]
        else:
            if not isinstance(doc, dict) or step not in doc:
                return MISSING
            doc = doc[step]
    return doc


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _numeric(path, op, want):
    compare = {"=": lambda a: a == want, "!=": lambda a: a != want,
               "<": lambda a: a < want, ">": lambda a: a > want,
               "<=": lambda a: a <= want, ">=": lambda a: a >= want}[op]

    def match(doc):
        got = _select(doc, path)
        return _is_number(got) and compare(got)
    return match


def _textual(path, op, text):
    rx = re.compile("^" + ".*".join(re.escape(p) for p in text.split("*"))
                    + "$", re.DOTALL)

    def match(doc):
        got = _select(doc, path)
        if got is MISSING or got is None or isinstance(got, (dict, list)):
            return False
        if isinstance(got, bool):
            got = "true" if got else "false"
        elif _is_number(got):
            got = json.dumps(got)
        hit = rx.match(got) is not None
        return hit if op == "=" else not hit
    return match


def _compile_json(text):
    toks = _tokens(text)
    if not toks or toks[0] != ("op", "{") or toks[-1] != ("op", "}"):
        raise ValueError("a JSON pattern is { ... }")
    parser = _Parser(toks[1:-1])
    if not parser.toks:
        raise ValueError("empty JSON pattern")
    node = parser.parse_or()
    if parser.i != len(parser.toks):
        raise ValueError("unexpected text after the expression")

    def match(message):
        try:
            doc = json.loads(message)
        except ValueError:
            return False
        return isinstance(doc, dict) and node(doc)
    return match
