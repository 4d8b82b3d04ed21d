#!/usr/bin/env python3
"""fakeaws's DynamoDB over raw HTTP: the wire shapes a lease lock reads
(ConditionalCheckFailedException with the current item, __type names,
x-amz-crc32), Scan paging, the checks made before an item is looked at,
and the test knobs (ambiguous writes, latency).

The Debian aws CLI (v2.9.19) predates ReturnValuesOnConditionCheckFailure
(July 2023), so the error body carrying "Item" is checked here with a
signed request of our own; test_with_aws_cli.py checks the rest with AWS's
client.
"""

import json
import os
import sys
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Checks, FakeAws  # noqa: E402
from test_server import Client, SANDBOX  # noqa: E402

NS = "com.amazonaws.dynamodb.v20120810#"
VALIDATION = "com.amazon.coral.validate#ValidationException"
TABLE = "dlc-locks"


def call(c, op, doc, **kw):
    """(status, body JSON, response) of one DynamoDB call."""
    r, data = c.send("POST", "/", json.dumps(doc).encode(),
                     [("X-Amz-Target", "DynamoDB_20120810." + op),
                      ("Content-Type", "application/x-amz-json-1.0")],
                     service="dynamodb", **kw)
    return r.status, json.loads(data) if data else None, r, data


def make_table(c, name=TABLE, **kw):
    return call(c, "CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "key",
                                  "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "key", "KeyType": "HASH"}]}, **kw)


def lock(owner, rvn):
    return {"key": {"S": "alpha/special"}, "owner": {"S": owner},
            "rvn": {"N": str(rvn)}, "lease": {"N": "2"},
            "ttl": {"N": str(int(time.time()) - 3600)}}


TAKE = {"ConditionExpression": "attribute_not_exists(#k) OR #r = :seen",
        "ExpressionAttributeNames": {"#k": "key", "#r": "rvn"},
        "ExpressionAttributeValues": {":seen": {"N": "1"}}}


def check_shapes(t, c):
    st, doc, r, data = make_table(c)
    t.check("CreateTable answers CREATING with the table's ARN",
            st == 200 and doc["TableDescription"]["TableStatus"] ==
            "CREATING" and doc["TableDescription"]["TableArn"] ==
            "arn:aws:dynamodb:eu-west-1:111111111111:table/" + TABLE, doc)
    t.equal("json 1.0 content type", r.getheader("Content-Type"),
            "application/x-amz-json-1.0")
    t.equal("x-amz-crc32 is the body's CRC32", r.getheader("x-amz-crc32"),
            str(zlib.crc32(data)))
    st, doc, r, _ = call(c, "ListStreams", {})
    t.check("an operation not served: UnknownOperationException, json 1.0",
            st == 400 and doc["__type"] == "UnknownOperationException" and
            r.getheader("Content-Type") == "application/x-amz-json-1.0",
            (st, doc))
    st, doc, r, _ = make_table(c)
    t.equal("CreateTable twice: ResourceInUseException", (st, doc),
            (400, {"__type": NS + "ResourceInUseException",
                   "message": "Table already exists: " + TABLE}))
    st, doc, _, _ = call(c, "DescribeTable", {"TableName": TABLE})
    t.check("DescribeTable: ACTIVE", st == 200 and
            doc["Table"]["TableStatus"] == "ACTIVE" and
            doc["Table"]["KeySchema"] == [{"AttributeName": "key",
                                           "KeyType": "HASH"}], doc)
    st, doc, _, _ = call(c, "GetItem", {"TableName": "nope-table",
                                        "Key": {"key": {"S": "x"}}})
    t.equal("a missing table: ResourceNotFoundException", (st, doc),
            (400, {"__type": NS + "ResourceNotFoundException",
                   "message": "Requested resource not found"}))
    st, doc, _, _ = call(c, "DescribeTable", {"TableName": "nope-table"})
    t.equal("DescribeTable of a missing table names it", doc["message"],
            "Requested resource not found: Table: nope-table not found")
    st, doc, _, _ = call(c, "GetItem", {"TableName": TABLE, "Key": {
        "key": {"S": "x"}}}, keys=SANDBOX)
    t.equal("tables belong to their account", doc["__type"],
            NS + "ResourceNotFoundException")

    # Take, then fail to take: the error body as AWS shapes it.
    first = dict(TAKE, TableName=TABLE, Item=lock("ana@pc1", 1))
    st, doc, _, _ = call(c, "PutItem", first)
    t.equal("a conditional PutItem on no item succeeds", (st, doc), (200, {}))
    second = dict(TAKE, TableName=TABLE, Item=lock("bo@pc2", 2),
                  ExpressionAttributeValues={":seen": {"N": "0"}},
                  ReturnValuesOnConditionCheckFailure="ALL_OLD")
    st, doc, r, data = call(c, "PutItem", second)
    t.equal("a failed condition: 400 with the current item",
            (st, doc), (400, {
                "__type": NS + "ConditionalCheckFailedException",
                "message": "The conditional request failed",
                "Item": lock("ana@pc1", 1)}))
    t.equal("an error's x-amz-crc32 too", r.getheader("x-amz-crc32"),
            str(zlib.crc32(data)))
    second.pop("ReturnValuesOnConditionCheckFailure")
    st, doc, _, _ = call(c, "PutItem", second)
    t.equal("without ALL_OLD, no Item", (st, doc), (400, {
        "__type": NS + "ConditionalCheckFailedException",
        "message": "The conditional request failed"}))
    st, doc, _, _ = call(c, "DeleteItem", {
        "TableName": TABLE, "Key": {"key": {"S": "nobody"}},
        "ConditionExpression": "attribute_exists(#k)",
        "ExpressionAttributeNames": {"#k": "key"},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
    t.equal("ALL_OLD of no item: no Item", doc, {
        "__type": NS + "ConditionalCheckFailedException",
        "message": "The conditional request failed"})

    # A renewal: a new version, only if the version is still ours.
    st, doc, _, _ = call(c, "UpdateItem", {
        "TableName": TABLE, "Key": {"key": {"S": "alpha/special"}},
        "UpdateExpression": "SET #r = :new REMOVE #t",
        "ConditionExpression": "#r = :mine AND #o = :me",
        "ExpressionAttributeNames": {"#r": "rvn", "#o": "owner",
                                     "#t": "ttl"},
        "ExpressionAttributeValues": {":new": {"N": "2"},
                                      ":mine": {"N": "1.0"},
                                      ":me": {"S": "ana@pc1"}},
        "ReturnValues": "UPDATED_NEW"})
    t.equal("a renewal answers the updated attributes", (st, doc),
            (200, {"Attributes": {"rvn": {"N": "2"}}}))
    st, doc, _, _ = call(c, "GetItem", {
        "TableName": TABLE, "Key": {"key": {"S": "alpha/special"}},
        "ConsistentRead": True})
    t.check("GetItem sees the renewal; the expired ttl did not delete it",
            st == 200 and doc["Item"]["rvn"] == {"N": "2"} and
            "ttl" not in doc["Item"], doc)
    st, doc, _, _ = call(c, "GetItem", {
        "TableName": TABLE, "Key": {"key": {"S": "absent"}}})
    t.equal("GetItem of no item: {}", (st, doc), (200, {}))
    st, doc, _, _ = call(c, "PutItem", {
        "TableName": TABLE, "Item": lock("ana@pc1", 5),
        "ReturnValues": "ALL_OLD"})
    t.equal("PutItem ReturnValues ALL_OLD", doc["Attributes"]["rvn"],
            {"N": "2"})
    st, doc, _, _ = call(c, "DeleteItem", {
        "TableName": TABLE, "Key": {"key": {"S": "alpha/special"}},
        "ConditionExpression": "#r = :v",
        "ExpressionAttributeNames": {"#r": "rvn"},
        "ExpressionAttributeValues": {":v": {"N": "5"}},
        "ReturnValues": "ALL_OLD"})
    t.check("a release: conditional DeleteItem with ALL_OLD",
            st == 200 and doc["Attributes"]["owner"] == {"S": "ana@pc1"},
            doc)


def check_validation(t, c):
    cases = [
        ("PutItem", {"TableName": TABLE, "Item": {"key": {"S": "k"}},
                     "ConditionExpression": "owner = :v",
                     "ExpressionAttributeValues": {":v": {"S": "x"}}},
         "Invalid ConditionExpression: Attribute name is a reserved "
         "keyword; reserved keyword: owner"),
        ("PutItem", {"TableName": TABLE, "Item": {"key": {"S": "k"}},
                     "ConditionExpression": "attribute_exists(#k)",
                     "ExpressionAttributeNames": {"#k": "key", "#u": "x"}},
         "Value provided in ExpressionAttributeNames unused in expressions: "
         "keys: {#u}"),
        ("PutItem", {"TableName": TABLE, "Item": {"key": {"S": "k"}},
                     "ExpressionAttributeValues": {":v": {"S": "x"}}},
         "ExpressionAttributeValues can only be specified when using "
         "expressions: ConditionExpression is null"),
        ("PutItem", {"TableName": TABLE, "Item": {"other": {"S": "k"}}},
         "One or more parameter values were invalid: Missing the key key in "
         "the item"),
        ("PutItem", {"TableName": TABLE, "Item": {"key": {"N": "1"}}},
         "One or more parameter values were invalid: Type mismatch for key "
         "key expected: S actual: N"),
        ("PutItem", {"TableName": TABLE, "Item": {"key": {"S": ""}}},
         "One or more parameter values are not valid. The AttributeValue "
         "for a key attribute cannot contain an empty string value. Key: "
         "key"),
        ("PutItem", {"TableName": TABLE, "Item": {"key": {"S": "k"}},
                     "ReturnValues": "ALL_NEW"},
         "ReturnValues can only be ALL_OLD or NONE"),
        ("GetItem", {"TableName": TABLE, "Key": {"key": {"S": "k"},
                                                 "x": {"S": "y"}}},
         "The provided key element does not match the schema"),
        ("GetItem", {"Key": {"key": {"S": "k"}}},
         "1 validation error detected: Value null at 'tableName' failed to "
         "satisfy constraint: Member must not be null"),
        ("UpdateItem", {"TableName": TABLE, "Key": {"key": {"S": "k"}},
                        "UpdateExpression": "SET #k = :v",
                        "ExpressionAttributeNames": {"#k": "key"},
                        "ExpressionAttributeValues": {":v": {"S": "x"}}},
         "One or more parameter values were invalid: Cannot update "
         "attribute key. This attribute is part of the key"),
        ("UpdateItem", {"TableName": TABLE, "Key": {"key": {"S": "k"}},
                        "UpdateExpression": "SET a = :v AND",
                        "ExpressionAttributeValues": {":v": {"S": "x"}}},
         'Invalid UpdateExpression: Syntax error; token: "AND"'),
        ("Scan", {"TableName": TABLE, "Limit": 0},
         "1 validation error detected: Value '0' at 'limit' failed to "
         "satisfy constraint: Member must have value greater than or equal "
         "to 1"),
        ("CreateTable", {"TableName": "t-x", "BillingMode": "PAY_PER_REQUEST",
                         "AttributeDefinitions": [{"AttributeName": "id",
                                                   "AttributeType": "S"}],
                         "KeySchema": [{"AttributeName": "key",
                                        "KeyType": "HASH"}]},
         "One or more parameter values were invalid: Some index key "
         "attributes are not defined in AttributeDefinitions. Keys: [key], "
         "AttributeDefinitions: [id]"),
    ]
    for op, doc, message in cases:
        st, got, _, _ = call(c, op, doc)
        t.check("%s refused: %s" % (op, message[:60]), st == 400 and
                got.get("__type") == VALIDATION and
                got.get("message", "").startswith(message), (st, got))
    st, doc, _, _ = call(c, "GetItem", {"TableName": TABLE, "Key": {
        "key": {"S": "k"}}, "ProjectionExpression": "#o",
        "ExpressionAttributeNames": {"#o": "owner"}})
    t.equal("a projection with a placeholder is fine", (st, doc), (200, {}))


def check_scan(t, c):
    call(c, "CreateTable", {
        "TableName": "scan-me", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "key",
                                  "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "key", "KeyType": "HASH"}]})
    put = ["k%02d" % i for i in range(25)]
    for k in put:
        call(c, "PutItem", {"TableName": "scan-me", "Item": {
            "key": {"S": k}, "n": {"N": k[1:]}}})
    seen, pages, start = [], 0, None
    while pages < 20:
        doc = {"TableName": "scan-me", "Limit": 7}
        if start:
            doc["ExclusiveStartKey"] = start
        st, page, _, _ = call(c, "Scan", doc)
        pages += 1
        seen += [i["key"]["S"] for i in page.get("Items", [])]
        t.check("scan page %d: Count and ScannedCount" % pages,
                page["Count"] == len(page["Items"]) == page["ScannedCount"]
                <= 7, page)
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    t.equal("Scan with Limit 7 pages through all 25 once",
            (sorted(seen), pages), (put, 4))
    t.check("Scan order is not insertion order", seen != put, seen)
    st, page, _, _ = call(c, "Scan", {"TableName": "scan-me", "Limit": 25})
    t.check("a page that ends at Limit carries LastEvaluatedKey even at the "
            "end", "LastEvaluatedKey" in page, page)
    st, page, _, _ = call(c, "Scan", {
        "TableName": "scan-me", "FilterExpression": "#n >= :ten",
        "ExpressionAttributeNames": {"#n": "n"},
        "ExpressionAttributeValues": {":ten": {"N": "10"}}})
    t.equal("FilterExpression: Count after, ScannedCount before",
            (page["Count"], page["ScannedCount"]), (15, 25))
    st, page, _, _ = call(c, "Scan", {"TableName": "scan-me",
                                      "ExclusiveStartKey": {"key": {
                                          "N": "1"}}})
    t.check("a start key off the schema is refused", st == 400 and
            page["message"].startswith("The provided starting key is "
                                       "invalid"), page)


def admin_table(fa, **doc):
    return fa.admin_raw("POST", "dynamodb/table", dict(doc, table=TABLE))


def check_knobs(t, c, fa):
    st, doc = admin_table(fa, fail_next_writes=1)
    t.check("knob set", st == 200 and doc["knobs"]["fail_next_writes"] == 1,
            doc)
    item = lock("ana@pc1", 7)
    st, doc, _, _ = call(c, "PutItem", {"TableName": TABLE, "Item": item},
                         new_conn=True)
    t.equal("an ambiguous write answers 500 InternalServerError", (st, doc),
            (500, {"__type": NS + "InternalServerError",
                   "message": "Internal server error"}))
    st, doc, _, _ = call(c, "GetItem", {"TableName": TABLE, "Key": {
        "key": item["key"]}, "ConsistentRead": True})
    t.equal("... and was applied", doc.get("Item"), item)
    st, doc, _, _ = call(c, "PutItem", {"TableName": TABLE,
                                        "Item": lock("bo@pc2", 8)})
    t.equal("only the next N writes fail", st, 200)

    admin_table(fa, fail_next_writes=1, fail_mode="reset")
    try:
        call(c, "PutItem", {"TableName": TABLE, "Item": lock("cy@pc3", 9)},
             new_conn=True)
        dropped = False
    except ConnectionError:
        dropped = True
    t.check("fail_mode reset: the connection drops without an answer",
            dropped)
    st, doc, _, _ = call(c, "GetItem", {"TableName": TABLE, "Key": {
        "key": item["key"]}}, new_conn=True)
    t.equal("... and the write was applied", doc["Item"]["owner"],
            {"S": "cy@pc3"})

    admin_table(fa, fail_next_writes=1, fail_mode="500", fail_applies=False)
    st, _, _, _ = call(c, "PutItem", {"TableName": TABLE,
                                      "Item": lock("dee@pc4", 10)})
    st2, doc, _, _ = call(c, "GetItem", {"TableName": TABLE, "Key": {
        "key": item["key"]}})
    t.equal("fail_applies false: 500 and not applied",
            (st, doc["Item"]["owner"]), (500, {"S": "cy@pc3"}))

    admin_table(fa, fail_next_writes=1, fail_applies=True, fail_mode="500")
    st, doc, _, _ = call(c, "PutItem", {
        "TableName": TABLE, "Item": lock("eve@pc5", 11),
        "ConditionExpression": "attribute_not_exists(#k)",
        "ExpressionAttributeNames": {"#k": "key"}})
    t.equal("an ambiguous write hides a failed condition too",
            (st, doc["__type"]), (500, NS + "InternalServerError"))

    admin_table(fa, latency_ms=400)
    t0 = time.monotonic()
    st, _, _, _ = call(c, "GetItem", {"TableName": TABLE, "Key": {
        "key": item["key"]}})
    took = time.monotonic() - t0
    t.check("latency_ms slows each request", st == 200 and took >= 0.4,
            took)
    st, doc = admin_table(fa, latency_ms=0)
    st, doc = fa.admin_raw("POST", "dynamodb/table",
                           {"table": TABLE, "bogus": 1})
    t.check("an unknown knob is refused by name",
            st == 400 and "bogus" in doc["error"], doc)
    st, doc = fa.admin_raw("POST", "dynamodb/table", {
        "table": "made-by-admin", "account": "sandbox",
        "create": {"hash": "id"}})
    t.check("the admin endpoint makes a table", st == 200, doc)
    st, doc, _, _ = call(c, "DescribeTable", {"TableName": "made-by-admin"},
                         keys=SANDBOX)
    t.equal("... in the account it named",
            doc["Table"]["KeySchema"][0]["AttributeName"], "id")
    st, doc = fa.admin_raw("GET", "dynamodb/items?table=" + TABLE)
    t.check("dynamodb/items lists a table's items",
            st == 200 and doc["items"][0]["owner"] == {"S": "cy@pc3"}, doc)
    fa.admin("POST", "reset")
    st, doc, _, _ = call(c, "DescribeTable", {"TableName": TABLE},
                         new_conn=True)
    t.equal("reset drops the tables", doc["__type"],
            NS + "ResourceNotFoundException")


def main():
    t = Checks("test_dynamodb")
    with FakeAws() as fa:
        c = Client(fa)
        check_shapes(t, c)
        check_validation(t, c)
        check_scan(t, c)
        check_knobs(t, c, fa)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
