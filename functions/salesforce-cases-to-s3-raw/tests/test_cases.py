import datetime

import pytest

import cases
import lambda_function

UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 12, 3, 12, 0, 30, tzinfo=UTC)


class FakeSource:
    """Salesforce's query API: pages of records linked by nextRecordsUrl."""

    def __init__(self, pages):
        self.pages = pages
        self.calls = []

    def query(self, soql):
        self.calls.append(("query", soql))
        return self.pages[0]

    def next_page(self, url):
        self.calls.append(("next", url))
        return self.pages[int(url.rsplit("-", 1)[1])]


class FakeCheckpoint:
    def __init__(self, value):
        self.value = value
        self.puts = []

    def get(self):
        return self.value

    def put(self, value):
        self.puts.append(value)
        self.value = value


class Writer:
    def __init__(self, fail=False):
        self.calls = []
        self.fail = fail

    def __call__(self, **kw):
        if self.fail:
            raise RuntimeError("S3 said no")
        self.calls.append(kw)


def case(n, modified):
    return {"attributes": {"type": "Case", "url": "/x"}, "Id": "500%03d" % n,
            "CaseNumber": "%08d" % n, "Status": "New", "Priority": "High",
            "IsClosed": False, "IsEscalated": n % 2 == 0, "IsDeleted": False,
            "CreatedDate": "2026-12-01T08:00:00.000+0000", "LastModifiedDate": modified,
            "ClosedDate": None, "Unexpected__c": "x"}


def pages():
    return [
        {"totalSize": 3, "done": False, "nextRecordsUrl": "/services/data/v59.0/query/01g-1",
         "records": [case(1, "2026-12-02T23:59:59.000+0000"), case(2, "2026-12-03T00:00:01.000+0000")]},
        {"totalSize": 3, "done": True, "records": [case(3, "2026-12-03T11:58:00.000+0000")]},
    ]


def test_window_from_checkpoint_to_now_less_the_lag():
    cp = datetime.datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
    assert cases.window(cp, NOW) == (cp, datetime.datetime(2026, 12, 3, 11, 58, 30, tzinfo=UTC))
    assert cases.window(None, NOW)[0] == NOW - datetime.timedelta(days=1)
    assert cases.window(NOW, NOW) is None


def test_soql_reads_every_field_in_the_window_in_a_stable_order():
    q = cases.soql(datetime.datetime(2026, 12, 3, 11, 0, tzinfo=UTC),
                   datetime.datetime(2026, 12, 3, 11, 58, 30, tzinfo=UTC))
    assert q.startswith("SELECT Id, CaseNumber, Status, ")
    assert q.endswith(" FROM Case WHERE LastModifiedDate > 2026-12-03T11:00:00Z AND "
                      "LastModifiedDate <= 2026-12-03T11:58:30Z ORDER BY LastModifiedDate, Id")


def test_checkpoint_text_round_trips():
    t = cases.parse_checkpoint("2026-12-03T11:58:30Z")
    assert cases.soql_time(t) == "2026-12-03T11:58:30Z"
    assert cases.parse_checkpoint("2026-12-03T11:58:30") == t


def test_a_run_pages_through_writes_and_moves_the_checkpoint():
    src, cp, w = FakeSource(pages()), FakeCheckpoint("2026-12-02T12:00:00Z"), Writer()
    got = lambda_function.run(NOW, src, cp, w, "lake-raw")
    assert got == {"table": "salesforce_cases", "cases": 3, "since": "2026-12-02T12:00:00Z",
                   "until": "2026-12-03T11:58:30Z", "pages": 2}
    assert [c[0] for c in src.calls] == ["query", "next"]
    assert src.calls[1][1] == "/services/data/v59.0/query/01g-1"
    assert cp.puts == ["2026-12-03T11:58:30Z"]
    (call,) = w.calls
    df = call["df"]
    assert call["table"] == "salesforce_cases" and call["mode"] == "append"
    assert call["database"] == "datalake_raw" and call["dtype"]["is_escalated"] == "boolean"
    assert list(df.columns) == list(cases.SCHEMA) + ["year", "month", "day"]
    assert df["case_number"].tolist() == ["00000001", "00000002", "00000003"]
    assert str(df["last_modified_date"].dtype) == "datetime64[ns]"
    assert df["is_escalated"].tolist() == [False, True, False]
    # partitioned by the case's own UTC change date
    assert df["day"].tolist() == ["02", "03", "03"]
    assert df["_extracted_at"].iloc[0] == datetime.datetime(2026, 12, 3, 12, 0, 30)


def test_a_failed_write_leaves_the_checkpoint():
    cp = FakeCheckpoint("2026-12-02T12:00:00Z")
    with pytest.raises(RuntimeError):
        lambda_function.run(NOW, FakeSource(pages()), cp, Writer(fail=True), "lake-raw")
    assert cp.puts == []


def test_no_changes_still_moves_the_checkpoint_and_writes_nothing():
    src = FakeSource([{"totalSize": 0, "done": True, "records": []}])
    cp, w = FakeCheckpoint(None), Writer()
    got = lambda_function.run(NOW, src, cp, w, "lake-raw")
    assert got["cases"] == 0 and w.calls == [] and cp.puts == ["2026-12-03T11:58:30Z"]


def test_an_explicit_since_overrides_the_checkpoint():
    src, cp = FakeSource([{"done": True, "records": []}]), FakeCheckpoint("2026-12-03T11:00:00Z")
    got = lambda_function.run(NOW, src, cp, Writer(), "lake-raw", since_override="2026-11-30T00:00:00Z")
    assert got["since"] == "2026-11-30T00:00:00Z"
    assert "LastModifiedDate > 2026-11-30T00:00:00Z" in src.calls[0][1]


def test_a_page_without_its_next_url_is_an_error():
    with pytest.raises(ValueError, match="nextRecordsUrl"):
        cases.fetch_all(FakeSource([{"done": False, "records": []}]), "q")


def test_the_source_seam_pages_over_http():
    import http.server
    import json
    import os
    import threading
    import urllib.parse

    token = "tok-%d" % os.getpid()  # built here: no secret-like literal in the tree
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.path, self.headers.get("Authorization")))
            if self.path.startswith("/services/data/v59.0/query?q="):
                body = pages()[0]
            else:
                body = pages()[1]
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        src = lambda_function.SalesforceSource("http://127.0.0.1:%d/" % srv.server_address[1], token, timeout=5)
        records, n = cases.fetch_all(src, "SELECT Id FROM Case WHERE LastModifiedDate > 2026-12-03T11:00:00Z")
    finally:
        srv.shutdown()
        srv.server_close()
    assert n == 2 and len(records) == 3
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(seen[0][0]).query)["q"][0]
    assert q == "SELECT Id FROM Case WHERE LastModifiedDate > 2026-12-03T11:00:00Z"
    assert seen[1][0] == "/services/data/v59.0/query/01g-1"
    assert {a for _, a in seen} == {"Bearer " + token}
