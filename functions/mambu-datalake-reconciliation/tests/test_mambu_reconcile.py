import datetime

import pytest

import lambda_function
import mambu_reconcile
from lakefakes import FakeLake, FakeMetrics

NOW = datetime.datetime(2026, 12, 3, 7, 0, tzinfo=datetime.timezone.utc)


class FakeMambu:
    def __init__(self, by_entity):
        self.by_entity = by_entity
        self.calls = []

    def fetcher(self, entity):
        def fetch(offset, limit):
            self.calls.append((entity, offset, limit))
            return self.by_entity.get(entity, [])[offset:offset + limit]
        return fetch


def test_paging_stops_at_a_short_page():
    m = FakeMambu({"loans": [{"id": str(i)} for i in range(5)]})
    assert len(mambu_reconcile.page_all(m.fetcher("loans"), page=2)) == 5
    assert m.calls == [("loans", 0, 2), ("loans", 2, 2), ("loans", 4, 2)]
    m = FakeMambu({"loans": [{"id": "1"}, {"id": "2"}]})
    mambu_reconcile.page_all(m.fetcher("loans"), page=2)
    assert m.calls[-1] == ("loans", 2, 2)  # a full last page needs one empty page more


def test_lake_sql_reads_the_days_partition():
    assert mambu_reconcile.lake_sql("mambu_clients", ["id"], "2026-12-03") == (
        "SELECT id, _extracted_at FROM datalake_raw.mambu_clients\n"
        "WHERE year = '2026' AND month = '12' AND day = '03'")


def test_snapshot_date():
    assert mambu_reconcile.snapshot_date({}, NOW) == "2026-12-03"
    assert mambu_reconcile.snapshot_date({"date": "2026-12-01"}, NOW) == "2026-12-01"
    with pytest.raises(ValueError):
        mambu_reconcile.snapshot_date({"date": "2026-12-01' --"}, NOW)


def test_records_created_after_the_snapshot_are_not_counted():
    lake = FakeLake({
        "mambu_clients": [{"id": "C1", "_extracted_at": "2026-12-03T02:00:00"},
                          {"id": "C2", "_extracted_at": "2026-12-03T02:00:00"}],
        "mambu_loan_accounts": [{"id": "L1", "_extracted_at": "2026-12-03T02:00:00"}],
    })
    mambu = FakeMambu({
        "clients": [{"id": "C1", "creationDate": "2020-01-01T00:00:00+01:00"},
                    {"id": "C2", "creationDate": "2026-12-03T01:59:00Z"},
                    {"id": "C3", "creationDate": "2026-12-03T06:00:00Z"}],
        "loans": [{"id": "L1", "creationDate": "2026-01-01T00:00:00Z"},
                  {"id": "L9", "creationDate": "2026-01-01T00:00:00Z"}],
    })
    m = FakeMetrics()
    doc = lambda_function.run({}, NOW, mambu, lake, m)
    by = {r["table"]: r for r in doc["rows"]}
    assert doc["source"] == "mambu" and doc["from"] == doc["to"] == "2026-12-03"
    assert by["mambu_clients"]["status"] == "ok" and by["mambu_clients"]["source_rows"] == 2
    assert by["mambu_loan_accounts"]["row_diff"] == -1 and by["mambu_loan_accounts"]["status"] == "mismatch"
    # no deposits anywhere: checked, and equal
    assert by["mambu_deposit_accounts"]["status"] == "ok" and by["mambu_deposit_accounts"]["source_rows"] == 0
    assert doc["mismatches"] == 1 and doc["checked"] == 3 and len(m.data) == 12


def test_an_empty_snapshot_counts_everything_in_mambu():
    doc = lambda_function.run({}, NOW, FakeMambu({"clients": [{"id": "C1", "creationDate": "2026-12-03T06:00:00Z"}]}),
                              FakeLake({}), FakeMetrics())
    clients = [r for r in doc["rows"] if r["table"] == "mambu_clients"][0]
    assert clients["source_rows"] == 1 and clients["lake_rows"] == 0 and not doc["ok"]


def test_the_mambu_seam_asks_for_a_page_with_its_credentials(monkeypatch):
    import os
    import sys
    import types

    sent = []

    class Response:
        def raise_for_status(self):
            pass

        def json(self):
            return [{"id": "L1"}]

    class Session:
        def __init__(self):
            self.headers = {}
            self.auth = None

        def get(self, url, **kw):
            sent.append((url, kw, dict(self.headers), self.auth))
            return Response()

    requests = types.ModuleType("requests")
    requests.Session = Session
    monkeypatch.setitem(sys.modules, "requests", requests)
    key = "k%d" % os.getpid()  # built here: no secret-like literal in the tree
    api = lambda_function.MambuApi({"subdomain": "demo", "apikey": key}, timeout=7)
    assert api.fetcher("loans")(2000, 1000) == [{"id": "L1"}]
    url, kw, headers, auth = sent[0]
    assert url == "https://demo.mambu.com/api/loans" and kw["timeout"] == 7
    assert kw["params"] == {"offset": 2000, "limit": 1000, "paginationDetails": "OFF", "detailsLevel": "BASIC"}
    assert headers == {"Accept": "application/vnd.mambu.v2+json", "apikey": key} and auth is None
    user = {"subdomain": "demo", "username": "u", "password": "p%d" % os.getpid()}
    api = lambda_function.MambuApi(user)
    api.fetcher("clients")(0, 10)
    assert sent[1][3] == ("u", user["password"]) and "apikey" not in sent[1][2]
