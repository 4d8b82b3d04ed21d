"""Salesforce cases changed since the last successful run: the window
(checkpoint to now less a lag), the SOQL that reads it, the pages it
comes in, and the rows as datalake_raw.salesforce_cases wants them.
No network here: the source and the checkpoint store are seams (see
lambda_function.py)."""
import datetime

TABLE = "salesforce_cases"

# Salesforce field -> (column, Athena type): every column, explicitly.
FIELDS = {
    "Id": ("id", "string"),
    "CaseNumber": ("case_number", "string"),
    "Status": ("status", "string"),
    "Priority": ("priority", "string"),
    "Origin": ("origin", "string"),
    "Type": ("type", "string"),
    "Reason": ("reason", "string"),
    "AccountId": ("account_id", "string"),
    "ContactId": ("contact_id", "string"),
    "OwnerId": ("owner_id", "string"),
    "IsClosed": ("is_closed", "boolean"),
    "IsEscalated": ("is_escalated", "boolean"),
    "IsDeleted": ("is_deleted", "boolean"),
    "CreatedDate": ("created_date", "timestamp"),
    "LastModifiedDate": ("last_modified_date", "timestamp"),
    "ClosedDate": ("closed_date", "timestamp"),
}
SCHEMA = {col: typ for col, typ in FIELDS.values()}
SCHEMA["_extracted_at"] = "timestamp"
PARTITION_FROM = "last_modified_date"

# Records still being committed in Salesforce when the run starts may carry
# a LastModifiedDate a little in the past: the window ends this far back,
# and the next run starts there, so none falls between two runs.
LAG = datetime.timedelta(minutes=2)
# With no checkpoint yet (the first run), this far back.
FIRST_RUN_LOOKBACK = datetime.timedelta(days=1)


def soql_time(t):
    """A SOQL datetime literal (unquoted, UTC, second precision)."""
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_checkpoint(text):
    """The stored checkpoint (ISO 8601, UTC) as an aware datetime."""
    t = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return t


def window(checkpoint, now):
    """(since, until): since is the checkpoint (exclusive), until now less
    the lag (inclusive). A checkpoint at or past until gives an empty
    window (None): nothing to read yet."""
    until = now - LAG
    since = checkpoint if checkpoint is not None else now - FIRST_RUN_LOOKBACK
    if since >= until:
        return None
    return since, until


def soql(since, until):
    """The query of one window, every schema field, in a stable order (so
    that paging through a changing table stays consistent)."""
    return ("SELECT %s FROM Case WHERE LastModifiedDate > %s AND LastModifiedDate <= %s "
            "ORDER BY LastModifiedDate, Id" % (", ".join(FIELDS), soql_time(since), soql_time(until)))


def fetch_all(source, query):
    """Every record of a query, page by page: source.query(soql) gives the
    first page, source.next_page(url) the page at nextRecordsUrl, until
    done. Each page is a Salesforce query response."""
    page = source.query(query)
    records = list(page.get("records", []))
    pages = 1
    while not page.get("done", True):
        url = page.get("nextRecordsUrl")
        if not url:
            raise ValueError("Salesforce page %d is not done but has no nextRecordsUrl" % pages)
        page = source.next_page(url)
        records += page.get("records", [])
        pages += 1
    return records, pages


def to_rows(records, extracted_at):
    """Salesforce records as rows of the schema's columns (attributes and
    unknown fields left out)."""
    rows = []
    for r in records:
        row = {col: r.get(field) for field, (col, _) in FIELDS.items()}
        row["_extracted_at"] = extracted_at
        rows.append(row)
    return rows
