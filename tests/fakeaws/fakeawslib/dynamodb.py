"""DynamoDB over json 1.0 (X-Amz-Target DynamoDB_20120810.<Op>): what a
lease lock and `dlc lock ls` need.

CreateTable, DescribeTable, DeleteTable, GetItem, PutItem, DeleteItem,
UpdateItem and Scan, on tables kept per account (gone on /_fakeaws/reset).
Errors carry DynamoDB's namespaced __type; a failed condition answers
ConditionalCheckFailedException with the current item when the request
asked for ReturnValuesOnConditionCheckFailure=ALL_OLD.

Items are never expired: DynamoDB's TTL deletes lazily, up to days late,
so a lock must not depend on it and this fake does not pretend it would.

Test knobs per table (admin endpoint /_fakeaws/dynamodb/table): the next
N writes fail ambiguously (applied, then a 500 or a dropped connection),
and a latency added to every request on the table.
"""

import hashlib
import json
import re
import time
import uuid

from . import dynamodb_expr as expr
from . import dynamodb_values as values
from .dynamodb_values import validation
from .errors import AwsError, DropConnection, json_response

PREFIX = "DynamoDB_20120810"
CONTENT_TYPE = "application/x-amz-json-1.0"
NS = "com.amazonaws.dynamodb.v20120810#"
NAME_RE = re.compile(r"^[a-zA-Z0-9_.-]+$")
ITEM_LIMIT = 400 * 1024
PAGE_BYTES = 1024 * 1024
RETURN_VALUES = ("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW")
KNOBS = ("fail_next_writes", "fail_mode", "fail_applies", "latency_ms")
FAIL_MODES = ("500", "reset")


def _answer(obj):
    return json_response(obj, content_type=CONTENT_TYPE)


def _error(code, message, **extra):
    return AwsError(500 if code == "InternalServerError" else 400,
                    NS + code, message, sender=code != "InternalServerError",
                    extra=extra)


def _not_found():
    return _error("ResourceNotFoundException", "Requested resource not found")


def _constraint(field, value, text):
    shown = "null" if value is None else "'%s'" % (value,)
    return validation("1 validation error detected: Value %s at '%s' failed "
                      "to satisfy constraint: %s" % (shown, field, text))


class Table:
    def __init__(self, name, account, region, key_schema, definitions,
                 billing, throughput):
        self.name = name
        self.arn = "arn:aws:dynamodb:%s:%s:table/%s" % (region, account, name)
        self.id = str(uuid.uuid4())
        self.created = time.time()
        self.key_schema = key_schema
        self.definitions = definitions
        self.types = {d["AttributeName"]: d["AttributeType"]
                      for d in definitions}
        self.keys = [k["AttributeName"] for k in key_schema]
        self.billing = billing
        self.throughput = throughput
        self.items = {}     # key tuple -> item
        self.fail_next_writes = 0
        self.fail_mode = "500"
        self.fail_applies = True
        self.latency_ms = 0

    def describe(self, status="ACTIVE"):
        size = sum(values.item_size(i) for i in self.items.values())
        out = {"AttributeDefinitions": self.definitions,
               "TableName": self.name, "KeySchema": self.key_schema,
               "TableStatus": status, "CreationDateTime": self.created,
               "ProvisionedThroughput": {
                   "NumberOfDecreasesToday": 0,
                   "ReadCapacityUnits": self.throughput[0],
                   "WriteCapacityUnits": self.throughput[1]},
               "TableSizeBytes": size, "ItemCount": len(self.items),
               "TableArn": self.arn, "TableId": self.id,
               "DeletionProtectionEnabled": False}
        if self.billing == "PAY_PER_REQUEST":
            out["BillingModeSummary"] = {
                "BillingMode": "PAY_PER_REQUEST",
                "LastUpdateToPayPerRequestDateTime": self.created}
        return out

    def key_of(self, doc, param):
        """The storage key of a Key (param "key") or an Item ("item")."""
        if param == "key" and set(doc) != set(self.keys):
            raise validation("The provided key element does not match the "
                             "schema")
        out = []
        for name in self.keys:
            av = doc.get(name)
            if av is None:
                raise validation("One or more parameter values were invalid: "
                                 "Missing the key %s in the item" % name)
            want = self.types[name]
            if values.kind(av) != want:
                if param == "key":
                    raise validation("The provided key element does not "
                                     "match the schema")
                raise validation("One or more parameter values were invalid: "
                                 "Type mismatch for key %s expected: %s "
                                 "actual: %s" % (name, want, values.kind(av)))
            if av[want] == "":
                raise validation("One or more parameter values are not "
                                 "valid. The AttributeValue for a key "
                                 "attribute cannot contain an empty %s "
                                 "value. Key: %s" % (
                                     "string" if want == "S" else "binary",
                                     name))
            out.append(av[want])
        return tuple(out)

    def key_item(self, key):
        return {n: {self.types[n]: v} for n, v in zip(self.keys, key)}

    def order(self, key):
        # Scans come back in hash order, not in the order items were put:
        # a reader that assumes otherwise breaks here as on AWS.
        return hashlib.md5(json.dumps(key).encode()).hexdigest(), key

    def take_failure(self):
        """Whether this write is one the test asked to fail, and how."""
        if self.fail_next_writes <= 0:
            return None
        self.fail_next_writes -= 1
        return self.fail_mode


def _tables(ctx):
    acct = ctx.caller.account
    return acct.tables


def _table_name(doc):
    name = doc.get("TableName")
    if not isinstance(name, str):
        raise _constraint("tableName", None, "Member must not be null")
    return name


def _check_name(name):
    if len(name) < 3:
        raise _constraint("tableName", name, "Member must have length "
                          "greater than or equal to 3")
    if len(name) > 255:
        raise _constraint("tableName", name, "Member must have length less "
                          "than or equal to 255")
    if not NAME_RE.match(name):
        raise _constraint("tableName", name, "Member must satisfy regular "
                          "expression pattern: [a-zA-Z0-9_.-]+")


def _find(ctx, doc):
    name = _table_name(doc)
    acct = ctx.caller.account
    if name.startswith("arn:"):
        prefix = "arn:aws:dynamodb:%s:%s:table/" % (ctx.state.region,
                                                    acct.account_id)
        if not name.startswith(prefix):
            raise _not_found()
        name = name[len(prefix):]
    else:
        _check_name(name)
    table = _tables(ctx).get(name)
    if table is None:
        raise _not_found()
    return table


def _enum(doc, field, allowed, default):
    value = doc.get(field, default)
    if value not in allowed:
        raise _constraint(field[0].lower() + field[1:], value,
                          "Member must satisfy enum value set: [%s]"
                          % ", ".join(allowed))
    return value


def _no_legacy(doc, *fields):
    for f in fields:
        if f in doc:
            raise validation("fakeaws: the legacy parameter %s is not "
                             "implemented; use expressions" % f)


def _placeholders(doc, expressions):
    """Placeholders for the request, refusing names or values that come
    without an expression to use them, as DynamoDB does."""
    present = [e for e in expressions if doc.get(e) is not None]
    for field in ("ExpressionAttributeNames", "ExpressionAttributeValues"):
        if doc.get(field) is None or present:
            continue
        if field == "ExpressionAttributeValues" and \
                expressions == ("ProjectionExpression",):
            continue
        nulls = " and ".join(expressions)
        raise validation("%s can only be specified when using expressions: "
                         "%s %s null" % (field, nulls,
                                         "are" if len(expressions) > 1
                                         else "is"))
    return expr.Placeholders(doc.get("ExpressionAttributeNames"),
                             doc.get("ExpressionAttributeValues"))


def _condition(doc, ph):
    text = doc.get("ConditionExpression")
    return None if text is None else expr.parse_condition(text, ph)


def _capacity(doc, table, units):
    if doc.get("ReturnConsumedCapacity") in ("TOTAL", "INDEXES"):
        return {"ConsumedCapacity": {"TableName": table.name,
                                     "CapacityUnits": units}}
    return {}


def _check_failed(doc, old):
    """ConditionalCheckFailedException, with the item when asked."""
    mode = _enum(doc, "ReturnValuesOnConditionCheckFailure",
                 ("ALL_OLD", "NONE"), "NONE")
    extra = {"Item": old} if mode == "ALL_OLD" and old else {}
    return _error("ConditionalCheckFailedException",
                  "The conditional request failed", **extra)


def _write(ctx, doc, change):
    """Run one write under the state lock (change(table) -> the answer),
    then the table's knobs: latency, an ambiguous failure that hides
    whatever the write did (applied, or refused by its condition)."""
    with ctx.state.lock:
        table = _find(ctx, doc)
        failure = table.take_failure()
        answer = None
        try:
            if not failure or table.fail_applies:
                answer = change(table)
        except AwsError:
            if not failure:
                raise
        latency = table.latency_ms
    if latency:
        time.sleep(latency / 1000.0)
    if failure == "reset":
        raise DropConnection()
    if failure:
        raise _error("InternalServerError", "Internal server error")
    return _answer(answer)


def _write_returns(doc, allowed):
    value = _enum(doc, "ReturnValues", RETURN_VALUES, "NONE")
    if value not in allowed:
        raise validation("ReturnValues can only be ALL_OLD or NONE")
    return value


def _put_or_delete(ctx, doc, field):
    """PutItem (field "Item") and DeleteItem ("Key"): the same condition,
    ReturnValues and failure rules around one change to one item."""
    _no_legacy(doc, "Expected", "ConditionalOperator")
    given = values.check_map(doc.get(field), field.lower())
    ph = _placeholders(doc, ("ConditionExpression",))
    cond = _condition(doc, ph)
    ph.check_unused()
    returns = _write_returns(doc, ("NONE", "ALL_OLD"))
    _enum(doc, "ReturnValuesOnConditionCheckFailure", ("ALL_OLD", "NONE"),
          "NONE")
    if field == "Item" and values.item_size(given) > ITEM_LIMIT:
        raise validation("Item size has exceeded the maximum allowed size")

    def change(table):
        key = table.key_of(given, field.lower())
        old = table.items.get(key)
        if cond is not None and not expr.evaluate(cond, old or {}):
            raise _check_failed(doc, old)
        if field == "Item":
            table.items[key] = given
        else:
            table.items.pop(key, None)
        out = _capacity(doc, table, 1.0)
        if returns == "ALL_OLD" and old:
            out["Attributes"] = old
        return out
    return _write(ctx, doc, change)


def put_item(ctx, doc):
    return _put_or_delete(ctx, doc, "Item")


def delete_item(ctx, doc):
    return _put_or_delete(ctx, doc, "Key")


def update_item(ctx, doc):
    _no_legacy(doc, "Expected", "ConditionalOperator", "AttributeUpdates")
    key_doc = values.check_map(doc.get("Key"), "key")
    ph = _placeholders(doc, ("UpdateExpression", "ConditionExpression"))
    text = doc.get("UpdateExpression")
    clauses = expr.parse_update(text, ph) if text is not None else []
    cond = _condition(doc, ph)
    ph.check_unused()
    returns = _write_returns(doc, RETURN_VALUES)
    _enum(doc, "ReturnValuesOnConditionCheckFailure", ("ALL_OLD", "NONE"),
          "NONE")
    touched = expr.update_paths(clauses)

    def change(table):
        key = table.key_of(key_doc, "key")
        for name in touched:
            if name in table.keys:
                raise validation("One or more parameter values were "
                                 "invalid: Cannot update attribute %s. This "
                                 "attribute is part of the key" % name)
        old = table.items.get(key)
        if cond is not None and not expr.evaluate(cond, old or {}):
            raise _check_failed(doc, old)
        base = old if old is not None else table.key_item(key)
        new = expr.apply_update(clauses, base)
        if values.item_size(new) > ITEM_LIMIT:
            raise validation("Item size to update has exceeded the maximum "
                             "allowed size")
        table.items[key] = new
        out = _capacity(doc, table, 1.0)
        shown = {"ALL_OLD": old, "ALL_NEW": new,
                 "UPDATED_OLD": {n: v for n, v in (old or {}).items()
                                 if n in touched},
                 "UPDATED_NEW": {n: v for n, v in new.items()
                                 if n in touched}}.get(returns)
        if shown:
            out["Attributes"] = shown
        return out
    return _write(ctx, doc, change)


def _projection(doc, ph):
    text = doc.get("ProjectionExpression")
    return None if text is None else expr.parse_projection(text, ph)


def _slow(table):
    if table.latency_ms:
        time.sleep(table.latency_ms / 1000.0)


def get_item(ctx, doc):
    _no_legacy(doc, "AttributesToGet")
    key_doc = values.check_map(doc.get("Key"), "key")
    if doc.get("ExpressionAttributeValues") is not None:
        raise validation("ExpressionAttributeValues can only be specified "
                         "when using expressions: ProjectionExpression is "
                         "null")
    ph = _placeholders(doc, ("ProjectionExpression",))
    paths = _projection(doc, ph)
    ph.check_unused()
    consistent = doc.get("ConsistentRead", False)
    with ctx.state.lock:
        table = _find(ctx, doc)
        item = table.items.get(table.key_of(key_doc, "key"))
    _slow(table)
    out = _capacity(doc, table, 1.0 if consistent else 0.5)
    if item is not None:
        out["Item"] = expr.project(item, paths) if paths else item
    return _answer(out)


def scan(ctx, doc):
    _no_legacy(doc, "AttributesToGet", "ScanFilter", "ConditionalOperator",
               "Segment", "TotalSegments", "IndexName")
    limit = doc.get("Limit")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise _constraint("limit", limit, "Member must have value greater "
                          "than or equal to 1")
    select = _enum(doc, "Select", ("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES",
                                   "SPECIFIC_ATTRIBUTES", "COUNT"),
                   "ALL_ATTRIBUTES")
    ph = _placeholders(doc, ("ProjectionExpression", "FilterExpression"))
    paths = _projection(doc, ph)
    text = doc.get("FilterExpression")
    filt = expr.parse_condition(text, ph, "FilterExpression") \
        if text is not None else None
    ph.check_unused()
    start = doc.get("ExclusiveStartKey")
    with ctx.state.lock:
        table = _find(ctx, doc)
        after = None
        if start is not None:
            try:
                after = table.order(table.key_of(
                    values.check_map(start, "exclusiveStartKey"), "key"))
            except AwsError:
                raise validation("The provided starting key is invalid: The "
                                 "provided key element does not match the "
                                 "schema")
        keys = sorted((table.order(k) for k in table.items))
        if after is not None:
            keys = [k for k in keys if k > after]
        items, scanned, size, last = [], 0, 0, None
        for order in keys:
            item = table.items[order[1]]
            scanned += 1
            size += values.item_size(item)
            if filt is None or expr.evaluate(filt, item):
                items.append(expr.project(item, paths) if paths else item)
            if (limit is not None and scanned >= limit) or \
                    size >= PAGE_BYTES:
                last = table.key_item(order[1])
                break
    _slow(table)
    out = {"Count": len(items), "ScannedCount": scanned}
    if select != "COUNT":
        out["Items"] = items
    if last is not None:
        out["LastEvaluatedKey"] = last
    out.update(_capacity(doc, table, max(0.5, scanned / 2.0)))
    return _answer(out)


def _key_schema(doc):
    schema = doc.get("KeySchema")
    defs = doc.get("AttributeDefinitions")
    if not isinstance(schema, list) or not schema:
        raise _constraint("keySchema", None, "Member must not be null")
    if not isinstance(defs, list) or not defs:
        raise _constraint("attributeDefinitions", None, "Member must not be "
                          "null")
    kinds = [k.get("KeyType") for k in schema]
    if kinds not in (["HASH"], ["HASH", "RANGE"]):
        raise validation("1 validation error detected: Value '%s' at "
                         "'keySchema' failed to satisfy constraint: Member "
                         "must have length less than or equal to 2" % schema
                         if len(schema) > 2 else
                         "Invalid KeySchema: The first KeySchemaElement is "
                         "not a HASH key type")
    names = [k.get("AttributeName") for k in schema]
    defined = [d.get("AttributeName") for d in defs]
    for d in defs:
        if d.get("AttributeType") not in ("S", "N", "B"):
            raise _constraint("attributeDefinitions.member.attributeType",
                              d.get("AttributeType"), "Member must satisfy "
                              "enum value set: [B, N, S]")
    missing = [n for n in names if n not in defined]
    if missing:
        raise validation("One or more parameter values were invalid: Some "
                         "index key attributes are not defined in "
                         "AttributeDefinitions. Keys: [%s], "
                         "AttributeDefinitions: [%s]"
                         % (", ".join(names), ", ".join(defined)))
    if len(defined) != len(names):
        raise validation("One or more parameter values were invalid: Number "
                         "of attributes in KeySchema does not exactly match "
                         "number of attributes defined in "
                         "AttributeDefinitions")
    return ([{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]}
             for k in schema],
            [{"AttributeName": d["AttributeName"],
              "AttributeType": d["AttributeType"]} for d in defs])


def _billing(doc):
    mode = _enum(doc, "BillingMode", ("PROVISIONED", "PAY_PER_REQUEST"),
                 "PROVISIONED")
    pt = doc.get("ProvisionedThroughput")
    if mode == "PAY_PER_REQUEST":
        if pt is not None:
            raise validation("One or more parameter values were invalid: "
                             "Neither ReadCapacityUnits nor "
                             "WriteCapacityUnits can be specified when "
                             "BillingMode is PAY_PER_REQUEST")
        return mode, (0, 0)
    if not isinstance(pt, dict) or not isinstance(
            pt.get("ReadCapacityUnits"), int) or not isinstance(
            pt.get("WriteCapacityUnits"), int):
        raise validation("One or more parameter values were invalid: "
                         "ReadCapacityUnits and WriteCapacityUnits must both "
                         "be specified when BillingMode is PROVISIONED")
    return mode, (pt["ReadCapacityUnits"], pt["WriteCapacityUnits"])


def create(state, acct, name, schema, defs, billing, throughput):
    """Make a table in an account (CreateTable and the admin endpoint)."""
    with state.lock:
        if name in acct.tables:
            raise _error("ResourceInUseException",
                         "Table already exists: %s" % name)
        table = Table(name, acct.account_id, state.region, schema, defs,
                      billing, throughput)
        acct.tables[name] = table
        return table


def create_table(ctx, doc):
    name = _table_name(doc)
    _check_name(name)
    schema, defs = _key_schema(doc)
    billing, throughput = _billing(doc)
    for f in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes",
              "StreamSpecification"):
        if doc.get(f):
            raise validation("fakeaws: %s is not implemented" % f)
    table = create(ctx.state, ctx.caller.account, name, schema, defs,
                   billing, throughput)
    # AWS answers CREATING; here the table is ACTIVE at once, so the next
    # DescribeTable (what `aws dynamodb wait table-exists` polls) says so.
    return _answer({"TableDescription": table.describe("CREATING")})


def describe_table(ctx, doc):
    name = _table_name(doc)
    try:
        with ctx.state.lock:
            return _answer({"Table": _find(ctx, doc).describe()})
    except AwsError as e:
        if e.code == NS + "ResourceNotFoundException":
            raise _error("ResourceNotFoundException", "Requested resource "
                         "not found: Table: %s not found" % name)
        raise


def delete_table(ctx, doc):
    with ctx.state.lock:
        table = _find(ctx, doc)
        del _tables(ctx)[table.name]
        return _answer({"TableDescription": table.describe("DELETING")})


OPERATIONS = {"CreateTable": create_table, "DescribeTable": describe_table,
              "DeleteTable": delete_table, "GetItem": get_item,
              "PutItem": put_item, "DeleteItem": delete_item,
              "UpdateItem": update_item, "Scan": scan}


# Admin knobs ----------------------------------------------------------

def configure(state, acct, doc):
    """POST /_fakeaws/dynamodb/table: make a table (`create`) and set its
    knobs; answers the table's knobs and item count."""
    name = doc.pop("table")
    spec = doc.pop("create", None)
    for k in doc:
        if k not in KNOBS:
            raise ValueError("unknown knob %s (knobs: %s)"
                             % (k, ", ".join(KNOBS)))
    if spec is not None:
        if not isinstance(spec, dict) or not isinstance(
                spec.get("hash"), str):
            raise ValueError("create: {\"hash\": NAME, \"type\": \"S\", "
                             "\"range\": NAME, \"range_type\": \"N\"}")
        schema = [{"AttributeName": spec["hash"], "KeyType": "HASH"}]
        defs = [{"AttributeName": spec["hash"],
                 "AttributeType": spec.get("type", "S")}]
        if spec.get("range"):
            schema.append({"AttributeName": spec["range"],
                           "KeyType": "RANGE"})
            defs.append({"AttributeName": spec["range"],
                         "AttributeType": spec.get("range_type", "S")})
        try:
            create(state, acct, name, schema, defs, "PAY_PER_REQUEST",
                   (0, 0))
        except AwsError as e:
            raise ValueError(e.message)
    with state.lock:
        table = acct.tables.get(name)
        if table is None:
            raise ValueError("no table %s in %s" % (name, acct.account_id))
        n = doc.get("fail_next_writes")
        if n is not None:
            if not isinstance(n, int) or n < 0:
                raise ValueError("fail_next_writes: a count")
            table.fail_next_writes = n
        mode = doc.get("fail_mode")
        if mode is not None:
            if mode not in FAIL_MODES:
                raise ValueError("fail_mode: one of %s" % ", ".join(
                    FAIL_MODES))
            table.fail_mode = mode
        if "fail_applies" in doc:
            table.fail_applies = bool(doc["fail_applies"])
        ms = doc.get("latency_ms")
        if ms is not None:
            if not isinstance(ms, (int, float)) or not 0 <= ms <= 60000:
                raise ValueError("latency_ms: 0 to 60000")
            table.latency_ms = ms
        return {"table": name, "account": acct.account_id,
                "knobs": {k: getattr(table, k) for k in KNOBS},
                "items": len(table.items)}


def dump(state, acct, name):
    """GET /_fakeaws/dynamodb/items: a table's items in scan order."""
    with state.lock:
        table = acct.tables.get(name)
        if table is None:
            raise ValueError("no table %s in %s" % (name, acct.account_id))
        return {"table": name, "account": acct.account_id,
                "items": [table.items[o[1]] for o in
                          sorted(table.order(k) for k in table.items)]}
