import base64
import datetime
import decimal

import pytest

import ddbjson
from streamevents import change, kinesis_event


def test_every_type_unmarshals():
    blob = base64.b64encode(b"\x00\x01").decode()
    item = {
        "s": {"S": "x"}, "n": {"N": "12.50"}, "i": {"N": "7"}, "t": {"BOOL": True},
        "z": {"NULL": True}, "b": {"B": blob},
        "m": {"M": {"inner": {"S": "y"}, "deep": {"M": {"n": {"N": "1"}}}}},
        "l": {"L": [{"S": "a"}, {"N": "2"}, {"M": {"k": {"BOOL": False}}}]},
        "ss": {"SS": ["b", "a"]}, "ns": {"NS": ["10", "9.5"]},
        "bs": {"BS": [base64.b64encode(b"z").decode(), base64.b64encode(b"a").decode()]},
    }
    got = ddbjson.unmarshal_image(item)
    assert got == {
        "s": "x", "n": decimal.Decimal("12.50"), "i": decimal.Decimal(7), "t": True,
        "z": None, "b": b"\x00\x01",
        "m": {"inner": "y", "deep": {"n": decimal.Decimal(1)}},
        "l": ("a", decimal.Decimal(2), {"k": False}),
        "ss": ("a", "b"), "ns": (decimal.Decimal("9.5"), decimal.Decimal("10")),
        "bs": (b"a", b"z"),
    }


@pytest.mark.parametrize("bad", [{"X": "1"}, {}, {"S": "a", "N": "1"}, "plain"])
def test_unknown_or_malformed_values_are_refused(bad):
    with pytest.raises(ValueError):
        ddbjson.unmarshal(bad)


def test_creation_time_in_seconds_or_milliseconds():
    want = datetime.datetime(2025, 12, 3, 10, 0, tzinfo=datetime.timezone.utc)
    assert ddbjson.creation_time(1764756000) == want
    assert ddbjson.creation_time(1764756000000) == want


def test_kinesis_event_rows_in_order_with_tombstone():
    ev = kinesis_event(
        change("INSERT", {"id": {"S": "1"}}, new={"id": {"S": "1"}, "v": {"N": "1"}}, event_id="a"),
        change("MODIFY", {"id": {"S": "1"}}, new={"id": {"S": "1"}, "v": {"N": "2"}},
               old={"id": {"S": "1"}, "v": {"N": "1"}}, event_id="b"),
        change("REMOVE", {"id": {"S": "1"}}, old={"id": {"S": "1"}, "v": {"N": "2"}}, event_id="c"),
        change("REMOVE", {"id": {"S": "2"}}, event_id="d"),
    )
    rows = ddbjson.rows_from_kinesis_event(ev)
    assert [r["_event_name"] for r in rows] == ["INSERT", "MODIFY", "REMOVE", "REMOVE"]
    assert [r["_is_deleted"] for r in rows] == [False, False, True, True]
    assert rows[1]["v"] == 2 and rows[2]["v"] == 2
    assert rows[3] == {"id": "2", "_event_id": "d", "_event_name": "REMOVE",
                       "_sequence_number": "4959%020d" % 3,
                       "_approximate_creation_time": ddbjson.creation_time(1764756000000),
                       "_is_deleted": True}


def test_other_tables_on_the_stream_are_left_out():
    ev = kinesis_event(change("INSERT", {"id": {"S": "1"}}, new={"id": {"S": "1"}}, table="other"),
                       change("INSERT", {"id": {"S": "2"}}, new={"id": {"S": "2"}}))
    assert [r["id"] for r in ddbjson.rows_from_kinesis_event(ev, "customers")] == ["2"]


def test_arrival_time_stands_in_for_a_missing_creation_time():
    c = change("INSERT", {"id": {"S": "1"}}, new={"id": {"S": "1"}})
    del c["dynamodb"]["ApproximateCreationDateTime"]
    row = ddbjson.rows_from_kinesis_event(kinesis_event(c))[0]
    assert row["_approximate_creation_time"] == ddbjson.creation_time(1764756001.5)


def test_unknown_event_name_is_refused():
    with pytest.raises(ValueError):
        ddbjson.change_row(change("TRUNCATE", {"id": {"S": "1"}}))
