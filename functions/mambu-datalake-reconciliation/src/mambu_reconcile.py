"""What mambu-datalake-reconciliation compares: Mambu's loan accounts,
clients and deposit accounts now against the day's full snapshot that
mambu-to-s3-raw wrote into datalake_raw (partition year/month/day). A
record Mambu created after the snapshot was extracted is not counted (the
snapshot's _extracted_at says when), so the check can run any time after
the load. This module pages through Mambu (fetch seam), builds the lake's
SQL and the (table, date, key) triples of both sides."""
import datetime
import re

import rawframe

# Mambu API entity -> its datalake_raw table (mambu-to-s3-raw's) and key
ENTITIES = {
    "loans": ("mambu_loan_accounts", ["id"]),
    "clients": ("mambu_clients", ["id"]),
    "deposits": ("mambu_deposit_accounts", ["id"]),
}
PAGE = 1000
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def snapshot_date(event, now):
    """The snapshot checked: the event's "date", else today's (UTC)."""
    d = (event or {}).get("date") or now.astimezone(datetime.timezone.utc).date().isoformat()
    if not _DATE.match(d):
        raise ValueError("%r is not a YYYY-MM-DD date" % d)
    datetime.date.fromisoformat(d)
    return d


def page_all(fetch, page=PAGE):
    """Every record of an entity: fetch(offset, limit) gives a page, and a
    page shorter than the limit is the last."""
    out, offset = [], 0
    while True:
        rows = fetch(offset, page)
        out += rows
        if len(rows) < page:
            return out
        offset += len(rows)


def lake_sql(table, key, date):
    y, m, d = date.split("-")
    cols = ", ".join(key)
    return ("SELECT {cols}, _extracted_at FROM datalake_raw.{table}\n"
            "WHERE year = '{y}' AND month = '{m}' AND day = '{d}'").format(
                cols=cols, table=table, y=y, m=m, d=d)


def cutoff(lake_rows):
    """When the snapshot was extracted (the newest _extracted_at), or
    None for an empty snapshot."""
    times = [rawframe.to_utc(r["_extracted_at"]) for r in lake_rows if r.get("_extracted_at") is not None]
    return max(times) if times else None


def source_triples(table, key, records, date, until):
    """Mambu's records as triples; with until, those created later left out."""
    for r in records:
        created = r.get("creationDate")
        if until is not None and created is not None and rawframe.to_utc(created) > until:
            continue
        yield table, date, tuple(r.get(k) for k in key)


def lake_triples(table, key, rows, date):
    for r in rows:
        yield table, date, tuple(r.get(k) for k in key)
