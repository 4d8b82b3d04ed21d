"""What dynamodb-datalake-reconciliation compares: for each DynamoDB
table, its items whose date attribute (updated_at) falls in the checked
dates, against the newest version of each key in its datalake_raw table
(tombstones out) with that date. Both sides are the table's current
state, so a lost, extra or changed change record shows. This module
builds the lake's SQL and the (table, date, key) triples of both sides;
reading DynamoDB and Athena is the seams' (lambda_function.py)."""
import datetime
import re

import rawframe

# datalake_raw table -> its source and columns
TABLES = {
    "customers": {"source_table": "customers", "key": ["customer_id"], "date_column": "updated_at"},
    "sls_cards": {"source_table": "sls-cards", "key": ["card_id"], "date_column": "updated_at"},
}
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _ident(name):
    if not _IDENT.match(name):
        raise ValueError("%r is not a plain column or table name" % name)
    return name


def _date(text):
    if not _DATE.match(text):
        raise ValueError("%r is not a YYYY-MM-DD date" % text)
    datetime.date.fromisoformat(text)
    return text


def utc_day(value):
    """The UTC date of a timestamp value (ISO text, epoch, datetime)."""
    return rawframe.to_utc(value).date().isoformat()


def lake_sql(table, cfg, date_from, date_to):
    """The newest version of every key of the lake's table whose date
    column falls in [date_from, date_to], tombstones left out."""
    keys = ", ".join(_ident(k) for k in cfg["key"])
    dc = _ident(cfg["date_column"])
    end = (datetime.date.fromisoformat(_date(date_to)) + datetime.timedelta(days=1)).isoformat()
    return (
        "SELECT {keys}, date_format({dc}, '%Y-%m-%d') AS day\n"
        "FROM (\n"
        "    SELECT {keys}, {dc}, _is_deleted,\n"
        "           row_number() OVER (PARTITION BY {keys}\n"
        "                              ORDER BY _approximate_creation_time DESC, _sequence_number DESC) AS rn\n"
        "    FROM datalake_raw.{table}\n"
        ")\n"
        "WHERE rn = 1 AND NOT _is_deleted\n"
        "  AND {dc} >= TIMESTAMP '{start} 00:00:00' AND {dc} < TIMESTAMP '{end} 00:00:00'"
    ).format(keys=keys, dc=dc, table=_ident(table), start=_date(date_from), end=end)


def source_triples(table, cfg, items, dates):
    """DynamoDB items (plain Python values) as (table, date, keys), those
    outside the dates (or without the date attribute) left out."""
    wanted = set(dates)
    for item in items:
        when = item.get(cfg["date_column"])
        if when is None:
            continue
        day = utc_day(when)
        if day in wanted:
            yield table, day, tuple(item.get(k) for k in cfg["key"])


def lake_triples(table, cfg, records):
    """The lake query's rows (dicts with the keys and day) as triples."""
    for r in records:
        yield table, r["day"], tuple(r.get(k) for k in cfg["key"])


def scan_filter(cfg, date_from, date_to):
    """The DynamoDB scan's projection and filter: the keys and the date
    attribute, ISO text between the first day's start and the last day's
    end (a day's items may carry an offset: source_triples re-dates them
    in UTC, so the filter is one day wider on each side)."""
    a = datetime.date.fromisoformat(_date(date_from)) - datetime.timedelta(days=1)
    b = datetime.date.fromisoformat(_date(date_to)) + datetime.timedelta(days=2)
    names = {"#k%d" % i: k for i, k in enumerate(cfg["key"])}
    names["#d"] = cfg["date_column"]
    return {
        "ProjectionExpression": ", ".join(list(names)),
        "FilterExpression": "#d >= :a AND #d < :b",
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": {":a": a.isoformat(), ":b": b.isoformat()},
    }
