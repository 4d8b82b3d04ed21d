#!/usr/bin/env python3
"""DynamoDB expressions (fakeawslib/dynamodb_expr), case by case: what a
condition holds for, what an update writes, and what DynamoDB refuses
before it looks at the item, with its words.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks  # noqa: E402
from fakeawslib import dynamodb_expr as expr  # noqa: E402
from fakeawslib import dynamodb_values as values  # noqa: E402
from fakeawslib.errors import AwsError  # noqa: E402

# A lock item as a lease would write it.
LOCK = {"key": {"S": "alpha/special"}, "owner": {"S": "ana@pc1"},
        "rvn": {"N": "17"}, "lease": {"N": "20.5"}, "held": {"BOOL": True},
        "gone": {"NULL": True}, "what": {"M": {"fn": {"S": "mambu"},
                                              "n": {"N": "3"}}},
        "steps": {"L": [{"S": "build"}, {"N": "2"}]},
        "tags": {"SS": ["a", "b"]}, "nums": {"NS": ["1", "2.50"]},
        "blob": {"B": "AAEC"}}
NAMES = {"#k": "key", "#o": "owner", "#r": "rvn", "#l": "lease",
         "#w": "what", "#s": "steps", "#t": "tags", "#n": "nums",
         "#b": "blob", "#h": "held", "#g": "gone", "#x": "missing"}
VALUES = {":rvn": {"N": "17"}, ":rvn2": {"N": "17.0"}, ":old": {"N": "16"},
          ":big": {"N": "100"}, ":me": {"S": "ana@pc1"},
          ":other": {"S": "bo@pc2"}, ":s17": {"S": "17"},
          ":t": {"BOOL": True}, ":null": {"NULL": True},
          ":map": {"M": {"n": {"N": "3.0"}, "fn": {"S": "mambu"}}},
          ":list": {"L": [{"S": "build"}, {"N": "2"}]},
          ":ss": {"SS": ["b", "a"]}, ":ns": {"NS": ["2.5", "1"]},
          ":b": {"B": "AAEC"}, ":b2": {"B": "AAED"}, ":pre": {"S": "ana"},
          ":typeS": {"S": "S"}, ":typeN": {"S": "N"}, ":two": {"N": "2"},
          ":a": {"S": "a"}, ":z": {"S": "z"}, ":bu": {"S": "build"}}

# condition -> whether it holds for LOCK (and, third, for no item).
CONDITIONS = [
    ("attribute_exists(#k)", True, False),
    ("attribute_not_exists(#k)", False, True),
    ("attribute_not_exists(#x)", True, True),
    ("attribute_exists(#w.fn)", True, False),
    ("attribute_exists(#w.nope)", False, False),
    ("attribute_exists(#s[1])", True, False),
    ("attribute_exists(#s[2])", False, False),
    ("#r = :rvn", True, False),
    ("#r = :rvn2", True, False),          # N compares numerically
    ("#r = :s17", False, False),          # other type: unequal, no error
    ("#r <> :s17", True, True),
    ("#r <> :rvn", False, True),          # missing attribute: <> holds
    ("#x = :rvn", False, False),
    ("#r < :big", True, False),           # 17 < 100 as numbers
    ("#r > :old", True, False),
    ("#r >= :rvn", True, False),
    ("#r <= :old", False, False),
    ("#l > :rvn", True, False),           # 20.5 > 17
    ("#o < :other", True, False),         # strings by bytes
    ("#o > :other", False, False),
    ("#o < :rvn", False, False),          # S vs N: false, not an error
    ("#x < :big", False, False),
    ("#b = :b", True, False),
    ("#b < :b2", True, False),
    ("#h = :t", True, False),
    ("#g = :null", True, False),
    ("#w = :map", True, False),           # maps compare deeply, N numerically
    ("#s = :list", True, False),
    ("#t = :ss", True, False),            # sets compare as sets
    ("#n = :ns", True, False),
    ("#w.n = :s17", False, False),
    ("#w.fn = :pre", False, False),
    ("#s[0] = :bu", True, False),
    ("attribute_not_exists(#k) OR #r = :old", False, True),
    ("attribute_not_exists(#k) OR #r = :rvn", True, True),
    ("attribute_exists(#k) AND #o = :me AND #r = :rvn", True, False),
    ("attribute_exists(#k) AND #o = :other", False, False),
    ("NOT attribute_exists(#k)", False, True),
    ("NOT #o = :other", True, True),
    ("not (#o = :other or #r = :old)", True, True),   # keywords any case
    # AND binds tighter than OR: true OR (false AND false).
    ("#o = :me OR #r = :old AND #l = :old", True, False),
    ("(#o = :me OR #r = :old) AND #l = :old", False, False),
    ("NOT NOT #o = :me", True, False),
    ("((#r = :rvn))", True, False),
    ("#r BETWEEN :old AND :big", True, False),
    ("#r BETWEEN :big AND :big", False, False),
    ("#o IN (:other, :me)", True, False),
    ("#o IN (:other)", False, False),
    ("begins_with(#o, :pre)", True, False),
    ("contains(#t, :a)", True, False),
    ("contains(#t, :z)", False, False),
    ("contains(#s, :bu)", True, False),
    ("contains(#o, :pre)", True, False),
    ("attribute_type(#r, :typeN)", True, False),
    ("attribute_type(#r, :typeS)", False, False),
    ("size(#t) = :two", True, False),
    ("size(#o) > :two", True, False),
    ("size(#x) > :two", False, False),
]

# expression -> the start of DynamoDB's ValidationException message.
BAD_CONDITIONS = [
    ("", "Invalid ConditionExpression: The expression can not be empty;"),
    ("   ", "Invalid ConditionExpression: The expression can not be empty;"),
    ("#r =", 'Invalid ConditionExpression: Syntax error; token: "<EOF>", '
     'near: "="'),
    ("#r = :rvn AND", 'Invalid ConditionExpression: Syntax error; token: '
     '"<EOF>", near: "AND"'),
    ("#r = :rvn :old", 'Invalid ConditionExpression: Syntax error; token: '
     '":old", near: ":rvn :old"'),
    ("(#r = :rvn", 'Invalid ConditionExpression: Syntax error; token: '
     '"<EOF>", near: ":rvn"'),
    ("#r == :rvn", 'Invalid ConditionExpression: Syntax error; token: "=", '
     'near: "=="'),
    ("#r = :rvn ;", 'Invalid ConditionExpression: Syntax error; token: ";"'),
    ("owner = :me", "Invalid ConditionExpression: Attribute name is a "
     "reserved keyword; reserved keyword: owner"),
    ("attribute_exists(key)", "Invalid ConditionExpression: Attribute name "
     "is a reserved keyword; reserved keyword: key"),
    ("#nope = :me", "Invalid ConditionExpression: An expression attribute "
     "name used in the document path is not defined; attribute name: #nope"),
    ("#o = :nope", "Invalid ConditionExpression: An expression attribute "
     "value used in expression is not defined; attribute value: :nope"),
    ("attribute_exist(#o)", "Invalid ConditionExpression: Invalid function "
     "name; function: attribute_exist"),
    ("Attribute_Exists(#o)", "Invalid ConditionExpression: Invalid function "
     "name; function: Attribute_Exists"),   # function names keep their case
    ("attribute_exists(:me)", "Invalid ConditionExpression: Operator or "
     "function requires a document path; operator or function: "
     "attribute_exists"),
    ("attribute_exists(#o, #r)", "Invalid ConditionExpression: Incorrect "
     "number of operands for operator or function; operator or function: "
     "attribute_exists, number of operands: 2"),
    ("#h < :t", "Invalid ConditionExpression: Incorrect operand type for "
     "operator or function; operator or function: <, operand type: BOOL"),
    ("size(#o)", "Invalid ConditionExpression: The function is not allowed "
     "to be used this way in an expression; function: size"),
]


def ph():
    return expr.Placeholders(NAMES, VALUES)


def refusal(fn):
    try:
        fn()
    except AwsError as e:
        return e.code, e.message
    return None


def check_conditions(t):
    for text, on_lock, on_none in CONDITIONS:
        try:
            tree = expr.parse_condition(text, ph())
            got = (expr.evaluate(tree, LOCK), expr.evaluate(tree, {}))
        except AwsError as e:
            got = e.message
        t.equal("condition %r" % text, got, (on_lock, on_none))
    for text, message in BAD_CONDITIONS:
        got = refusal(lambda: expr.parse_condition(text, ph()))
        t.check("refused %r" % text, got is not None and
                got[0] == "com.amazon.coral.validate#ValidationException" and
                got[1].startswith(message), got)


def check_placeholders(t):
    p = expr.Placeholders({"#o": "owner", "#u": "unused"},
                          {":me": {"S": "x"}, ":u1": {"N": "1"}})
    expr.parse_condition("#o = :me", p)
    got = refusal(p.check_unused)
    t.equal("an unused name is refused", got and got[1],
            "Value provided in ExpressionAttributeNames unused in "
            "expressions: keys: {#u}")
    p = expr.Placeholders({"#o": "owner"}, {":me": {"S": "x"},
                                            ":u1": {"N": "1"}})
    expr.parse_condition("#o = :me", p)
    got = refusal(p.check_unused)
    t.equal("an unused value is refused", got and got[1],
            "Value provided in ExpressionAttributeValues unused in "
            "expressions: keys: {:u1}")
    t.equal("empty names are refused",
            (refusal(lambda: expr.Placeholders({}, None)) or ("", ""))[1],
            "ExpressionAttributeNames must not be empty")
    t.equal("empty values are refused",
            (refusal(lambda: expr.Placeholders(None, {})) or ("", ""))[1],
            "ExpressionAttributeValues must not be empty")
    got = refusal(lambda: expr.Placeholders(None, {":n": {"N": "x1"}}))
    t.equal("a value that is not a number", got and got[1],
            "The parameter cannot be converted to a numeric value: x1")
    got = refusal(lambda: expr.Placeholders(None, {":n": {"S": "a",
                                                          "N": "1"}}))
    t.check("a value with two types", got and "more than one datatypes"
            in got[1], got)


def update(text, item, names=None, vals=None):
    p = expr.Placeholders(names or NAMES, vals or VALUES)
    return expr.apply_update(expr.parse_update(text, p), item)


def check_updates(t):
    # What a lease's renewal does: a new version, a new owner, one field
    # gone; the right-hand side reads the item as it was.
    new = update("SET #r = #r + :two, #o = :other REMOVE #g, #h", LOCK)
    t.equal("SET arithmetic and REMOVE",
            (new["rvn"], new["owner"], "gone" in new, "held" in new),
            ({"N": "19"}, {"S": "bo@pc2"}, False, False))
    t.equal("the old item is not changed", LOCK["rvn"], {"N": "17"})
    new = update("SET #l = #r, #r = :big", LOCK)
    t.equal("right-hand sides read the old item", (new["lease"], new["rvn"]),
            ({"N": "17"}, {"N": "100"}))
    new = update("set #x = if_not_exists(#x, :two), #o = if_not_exists(#o, "
                 ":other)", LOCK)
    t.equal("if_not_exists", (new["missing"], new["owner"]),
            ({"N": "2"}, {"S": "ana@pc1"}))
    new = update("SET #w.fn = :pre, #s = list_append(#s, :list)", LOCK)
    t.equal("nested SET and list_append",
            (new["what"]["M"]["fn"], len(new["steps"]["L"])),
            ({"S": "ana"}, 4))
    new = update("ADD #r :two, #t :ss, #x :two DELETE #n :ns", LOCK)
    t.equal("ADD and DELETE", (new["rvn"], sorted(new["tags"]["SS"]),
                               new["missing"], "nums" in new),
            ({"N": "19"}, ["a", "b"], {"N": "2"}, False))
    new = update("SET #r = #r - :big", LOCK)
    t.equal("subtraction goes negative", new["rvn"], {"N": "-83"})
    for text, message in [
            ("SET #x = #x + :two", "The provided expression refers to an "
             "attribute that does not exist in the item"),
            ("SET #r = #o + :two", "An operand in the update expression has "
             "an incorrect data type"),
            ("SET #r = :two REMOVE #r", "Invalid UpdateExpression: Two "
             "document paths overlap with each other; must remove or rewrite "
             "one of these paths; path one: [rvn], path two: [rvn]"),
            ("SET #r = :two SET #o = :me", 'Invalid UpdateExpression: The '
             '"SET" section can only be used once in an update expression;'),
            ("SET #r :two", 'Invalid UpdateExpression: Syntax error; token: '
             '":two", near: "#r :two"'),
            ("PUT #r = :two", 'Invalid UpdateExpression: Syntax error; '
             'token: "PUT"'),
            ("SET owner = :me", "Invalid UpdateExpression: Attribute name is "
             "a reserved keyword; reserved keyword: owner"),
            ("ADD #o :me", "Invalid UpdateExpression: Incorrect operand type "
             "for operator or function; operator: ADD, operand type: S"),
            ("SET #w.a.b = :me", "The document path provided in the update "
             "expression is invalid for update")]:
        got = refusal(lambda: update(text, LOCK))
        t.check("update refused %r" % text, got is not None and
                got[1].startswith(message), got)


def check_values(t):
    t.equal("numbers are normalised", values.check({"N": "001.500"}),
            {"N": "1.5"})
    t.equal("big numbers keep no exponent", values.check({"N": "1e3"}),
            {"N": "1000"})
    t.equal("zero", values.check({"N": "-0.0"}), {"N": "0"})
    for bad in ({"N": "abc"}, {"N": "Infinity"}, {}, {"S": "a", "N": "1"},
                {"X": "1"}, {"NULL": False}, {"SS": []}, {"SS": ["a", "a"]},
                {"B": "not base64!"}):
        t.check("refused AttributeValue %r" % (bad,),
                refusal(lambda: values.check(bad)) is not None)
    kept = {"M": {"l": {"L": [{"BS": ["AAE="]}, {"NULL": True}]}}}
    t.equal("nested values stored as given", values.check(kept), kept)


def check_projection(t):
    p = expr.Placeholders(NAMES, None)
    got = expr.project(LOCK, expr.parse_projection("#o, #w.fn, #x", p))
    t.equal("projection", got, {"owner": {"S": "ana@pc1"},
                                "what": {"M": {"fn": {"S": "mambu"}}}})


def main():
    t = Checks("test_dynamodb_expr")
    check_conditions(t)
    check_placeholders(t)
    check_updates(t)
    check_values(t)
    check_projection(t)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
