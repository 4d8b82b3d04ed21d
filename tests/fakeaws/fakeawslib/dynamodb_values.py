"""DynamoDB AttributeValues: checking, normalising and comparing them.

An AttributeValue is a one-key dict ({"S": "x"}, {"N": "12"}, {"M": {...}},
...). DynamoDB stores numbers as decimals (38 digits) and answers them
normalised ("1.50" comes back "1.5"), compares N numerically, S and B by
their bytes, and treats values of different types as unequal, never as an
error: that is what a lock's conditions rely on.
"""

import base64
import decimal

from .errors import AwsError

TYPES = ("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS")
VALIDATION = "com.amazon.coral.validate#ValidationException"
_CTX = decimal.Context(prec=38)


def validation(message):
    return AwsError(400, VALIDATION, message)


def _number(text):
    try:
        if not isinstance(text, str):
            raise ValueError
        d = _CTX.create_decimal(text)
        if not d.is_finite():
            raise ValueError
    except (ValueError, decimal.InvalidOperation):
        raise validation("The parameter cannot be converted to a numeric "
                         "value: %s" % (text,))
    return d


def number(av):
    """The Decimal of an N value."""
    return _number(av["N"])


def format_number(d):
    """A Decimal as DynamoDB answers it: no exponent, no trailing zeros."""
    text = format(d.normalize(_CTX), "f")
    return "0" if text in ("-0", "") else text


def _bytes(text):
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        raise validation("One or more parameter values were invalid: "
                         "Invalid binary value")


def check(av):
    """A request's AttributeValue, checked and normalised (a new dict)."""
    if not isinstance(av, dict) or not av:
        raise validation("Supplied AttributeValue is empty, must contain "
                         "exactly one of the supported datatypes")
    if len(av) > 1:
        raise validation("Supplied AttributeValue has more than one "
                         "datatypes set, must contain exactly one of the "
                         "supported datatypes")
    (kind, val), = av.items()
    if kind not in TYPES:
        raise validation("Supplied AttributeValue is empty, must contain "
                         "exactly one of the supported datatypes")
    if kind == "S" and isinstance(val, str):
        return {"S": val}
    if kind == "N":
        return {"N": format_number(_number(val))}
    if kind == "B" and isinstance(val, str):
        _bytes(val)
        return {"B": val}
    if kind in ("BOOL", "NULL") and isinstance(val, bool):
        if kind == "NULL" and not val:
            raise validation("One or more parameter values were invalid: "
                             "Null attribute value types must have the "
                             "value of true")
        return {kind: val}
    if kind == "M" and isinstance(val, dict):
        return {"M": {k: check(v) for k, v in val.items()}}
    if kind == "L" and isinstance(val, list):
        return {"L": [check(v) for v in val]}
    if kind in ("SS", "NS", "BS") and isinstance(val, list):
        if not val:
            raise validation("One or more parameter values were invalid: "
                             "An %s set  may not be empty" % {
                                 "SS": "string", "NS": "number",
                                 "BS": "binary"}[kind])
        if kind == "NS":
            val = [format_number(_number(v)) for v in val]
        elif kind == "BS":
            for v in val:
                _bytes(v)
        elif not all(isinstance(v, str) for v in val):
            raise validation("Supplied AttributeValue is empty, must "
                             "contain exactly one of the supported datatypes")
        if len(set(val)) != len(val):
            raise validation("One or more parameter values were invalid: "
                             "Input collection %s contains duplicates."
                             % val)
        return {kind: list(val)}
    raise validation("Supplied AttributeValue is empty, must contain "
                     "exactly one of the supported datatypes")


def check_map(doc, what):
    """A map of name -> AttributeValue (an Item, a Key, the values)."""
    if not isinstance(doc, dict):
        raise validation("1 validation error detected: Value null at '%s' "
                         "failed to satisfy constraint: Member must not be "
                         "null" % what)
    return {k: check(v) for k, v in doc.items()}


def kind(av):
    return next(iter(av))


def _sortable(av):
    k = kind(av)
    if k == "N":
        return number(av)
    if k == "S":
        return av["S"].encode("utf-8")
    return _bytes(av["B"])


def equal(a, b):
    """Equality as DynamoDB's = has it: same type and same value."""
    if a is None or b is None or kind(a) != kind(b):
        return False
    k = kind(a)
    if k in ("S", "N", "B"):
        return _sortable(a) == _sortable(b)
    if k in ("SS", "BS"):
        return set(a[k]) == set(b[k])
    if k == "NS":
        return {_number(v) for v in a[k]} == {_number(v) for v in b[k]}
    if k == "M":
        return a[k].keys() == b[k].keys() and all(
            equal(v, b[k][n]) for n, v in a[k].items())
    if k == "L":
        return len(a[k]) == len(b[k]) and all(
            equal(x, y) for x, y in zip(a[k], b[k]))
    return a[k] == b[k]


def ordered(a, b):
    """(a's key, b's key) when a and b can be ordered (both S, both N or
    both B), else None: < and friends are then false."""
    if a is None or b is None or kind(a) != kind(b) or \
            kind(a) not in ("S", "N", "B"):
        return None
    return _sortable(a), _sortable(b)


def size(av):
    """DynamoDB's size(): bytes of S and B, members of sets, L and M."""
    k = kind(av)
    if k == "S":
        return len(av["S"].encode("utf-8"))
    if k == "B":
        return len(_bytes(av["B"]))
    if k in ("SS", "NS", "BS", "L", "M"):
        return len(av[k])
    return None


def item_size(item):
    """An item's size as DynamoDB counts it, near enough for ItemCount
    and TableSizeBytes: names plus values."""
    total = 0
    for name, av in item.items():
        total += len(name.encode("utf-8"))
        k = kind(av)
        if k in ("S", "N", "B"):
            total += len(_sortable(av)) if k != "N" else len(av["N"])
        else:
            total += len(str(av[k]))
    return total
