"""@NAME@'s logic without AWS or the source: paging, the checkpoint (read,
and moved only after the write), the schema's dtypes, the date
partitions, and the call handed to the writer."""
import datetime
import io
import json
import types

import pytest

import checkpoint
import config
import lambda_function
import schema
import source

CFG = config.load({"RAW_BUCKET": "lake-raw"})
NOW = datetime.datetime(2026, 12, 3, 6, 0, tzinfo=datetime.timezone.utc)


class NoSuchKey(Exception):
    pass


class FakeS3:
    exceptions = types.SimpleNamespace(NoSuchKey=NoSuchKey)

    def __init__(self, objects=None):
        self.objects = dict(objects or {})

    def get_object(self, Bucket, Key):
        if (Bucket, Key) not in self.objects:
            raise NoSuchKey(Key)
        return {"Body": io.BytesIO(self.objects[(Bucket, Key)])}

    def put_object(self, Bucket, Key, Body, ContentType):
        self.objects[(Bucket, Key)] = Body


class Pages:
    """A source of pages, recording each request."""

    def __init__(self, pages):
        self.pages = pages
        self.requests = []

    def __call__(self, params):
        self.requests.append(dict(params))
        return self.pages[len(self.requests) - 1]



PAGES = [
    {"items": [{"id": "a", "status": "open", "amount": 1, "owner": {"email": "a@example.com"},
                "updated_at": "2026-12-02T10:00:00Z"}], "next": "p2"},
    {"items": [{"id": "b", "status": "closed", "amount": 2.5, "owner": {"email": "b@example.com"},
                "updated_at": "2026-12-03T01:00:00Z", "unlisted": True}], "next": None},
]


def test_a_run_reads_every_page_since_the_checkpoint_and_moves_it(write):
    key = ("lake-raw", checkpoint.key("@TABLE@"))
    s3 = FakeS3({key: json.dumps({"until": "2026-12-02T06:00:00+00:00"}).encode()})
    fetch = Pages(PAGES)

    out = lambda_function.handle({}, CFG, fetch, s3, write, NOW)

    assert fetch.requests == [
        {"since": "2026-12-02T06:00:00+00:00", "until": NOW.isoformat(), "page": None},
        {"since": "2026-12-02T06:00:00+00:00", "until": NOW.isoformat(), "page": "p2"},
    ]
    assert out["rows"] == 2
    assert out["partitions"] == ["2026-12-02", "2026-12-03"] and out["unknown_columns"] == ["unlisted"]
    (call,) = write.calls
    assert call["database"] == "datalake_raw" and call["table"] == "@TABLE@"
    assert call["mode"] == "append" and call["partition_cols"] == ["year", "month", "day"]
    assert call["dtype"] == dict(schema.COLUMNS, year="string", month="string", day="string")
    frame = call["df"]
    assert list(frame.columns) == list(schema.COLUMNS) + ["year", "month", "day"]
    assert str(frame["amount"].dtype) == "float64"
    assert str(frame["updated_at"].dtype) == "datetime64[ns]"
    assert list(frame["owner_email"]) == ["a@example.com", "b@example.com"]
    assert json.loads(s3.objects[key]) == {"until": NOW.isoformat()}


def test_the_first_run_reads_one_day_back(write):
    fetch = Pages([{"items": []}])
    s3 = FakeS3()

    out = lambda_function.handle({}, CFG, fetch, s3, write, NOW)

    assert fetch.requests[0]["since"] == "2026-12-02T06:00:00+00:00"
    assert out["rows"] == 0


def test_the_event_may_name_since_for_a_backfill(write):
    fetch = Pages([{"items": []}])

    lambda_function.handle({"since": "2026-11-01T00:00:00+00:00"}, CFG, fetch, FakeS3(), write, NOW)

    assert fetch.requests[0]["since"] == "2026-11-01T00:00:00+00:00"


def test_a_failed_write_leaves_the_checkpoint_where_it_was(failing_write):
    key = ("lake-raw", checkpoint.key("@TABLE@"))
    before = json.dumps({"until": "2026-12-02T06:00:00+00:00"}).encode()
    s3 = FakeS3({key: before})

    with pytest.raises(RuntimeError):
        lambda_function.handle({}, CFG, Pages(PAGES), s3, failing_write, NOW)

    assert s3.objects[key] == before


def test_a_source_whose_next_never_ends_is_stopped(monkeypatch):
    monkeypatch.setattr(source, "MAX_PAGES", 3)
    with pytest.raises(RuntimeError):
        source.rows(lambda params: {"items": [], "next": "again"}, "a", "b")
