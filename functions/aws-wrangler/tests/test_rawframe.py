import datetime
import decimal

import pytest

import rawframe

SCHEMA = {"id": "string", "n": "bigint", "x": "double", "ok": "boolean",
          "at": "timestamp", "d": "date", "tags": "array<string>", "small": "int"}


def test_frame_has_the_schema_columns_dtypes_and_partitions():
    rows = [
        {"id": "a", "n": decimal.Decimal("3"), "x": decimal.Decimal("1.5"), "ok": True,
         "at": "2026-12-02T23:30:00+01:00", "d": "1990-05-01", "tags": ("p", "q"), "small": 4,
         "extra": 1},
        {"id": 7, "n": None, "x": None, "ok": None, "at": "2026-12-03T00:10:00Z",
         "d": None, "tags": None, "small": None},
    ]
    df, unknown = rawframe.to_frame(rows, SCHEMA, "at")
    assert unknown == ["extra"]
    assert list(df.columns) == list(SCHEMA) + ["year", "month", "day"]
    assert {c: str(t) for c, t in df.dtypes.items()} == {
        "id": "string", "n": "Int64", "x": "float64", "ok": "boolean",
        "at": "datetime64[ns]", "d": "object", "tags": "object", "small": "Int32",
        "year": "string", "month": "string", "day": "string"}
    assert df["id"].tolist() == ["a", "7"]
    assert df["n"].iloc[0] == 3 and df["n"].isna().iloc[1]
    assert df["at"].iloc[0] == datetime.datetime(2026, 12, 2, 22, 30)
    assert df["d"].iloc[0] == datetime.date(1990, 5, 1)
    assert df["tags"].iloc[0] == ["p", "q"]
    # the partition is the UTC date: 23:30 at +01:00 is the 2nd, 00:10Z the 3rd
    assert df[["year", "month", "day"]].values.tolist() == [["2026", "12", "02"], ["2026", "12", "03"]]


def test_values_that_do_not_fit_their_type_are_refused():
    with pytest.raises(ValueError, match="bigint"):
        rawframe.coerce(decimal.Decimal("1.5"), "bigint")
    with pytest.raises(ValueError, match="boolean"):
        rawframe.coerce("maybe", "boolean")
    with pytest.raises(ValueError):
        rawframe.pandas_dtype("map<string,string>")


def test_coercions():
    assert rawframe.coerce(decimal.Decimal("12.00"), "string") == "12"
    assert rawframe.coerce({"b": 1, "a": [2]}, "string") == '{"a": [2], "b": 1}'
    assert rawframe.coerce("false", "boolean") is False
    assert rawframe.coerce(True, "bigint") == 1
    assert rawframe.coerce("2026-01-02T03:04:05.000+0000", "timestamp") == datetime.datetime(2026, 1, 2, 3, 4, 5)
    assert rawframe.coerce(0, "timestamp") == datetime.datetime(1970, 1, 1)
    assert rawframe.coerce("x", "binary") == b"x"


def test_write_call_names_database_table_partitions_and_every_dtype():
    call = rawframe.write_call("DF", "lake-raw", "customers", {"id": "string"}, "append")
    assert call == {"df": "DF", "path": "s3://lake-raw/customers/", "dataset": True,
                    "database": "datalake_raw", "table": "customers",
                    "partition_cols": ["year", "month", "day"],
                    "dtype": {"id": "string", "year": "string", "month": "string", "day": "string"},
                    "mode": "append"}


def test_empty_rows_give_an_empty_typed_frame():
    df, unknown = rawframe.to_frame([], {"id": "string", "at": "timestamp"}, "at")
    assert len(df) == 0 and unknown == [] and str(df["at"].dtype) == "datetime64[ns]"


def test_the_writer_seam_calls_awswrangler_to_parquet(monkeypatch):
    import sys
    import types

    calls = []
    wr = types.ModuleType("awswrangler")
    wr.s3 = types.SimpleNamespace(to_parquet=lambda **kw: calls.append(kw) or {"paths": ["p"]})
    monkeypatch.setitem(sys.modules, "awswrangler", wr)
    call = rawframe.write_call("DF", "b", "t", {"id": "string"}, "append")
    assert rawframe.wrangler_writer(**call) == {"paths": ["p"]}
    assert calls == [call]
