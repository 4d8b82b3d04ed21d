"""writer.write is the one call to awswrangler: checked against a fake
awswrangler module, since Debian has neither it nor a parquet engine."""
import sys
import types

import pandas as pd

import config
import writer


def test_write_appends_a_partitioned_dataset_to_the_glue_table(monkeypatch):
    calls = []
    fake = types.ModuleType("awswrangler")
    fake.s3 = types.SimpleNamespace(to_parquet=lambda **kw: calls.append(kw) or {"paths": []})
    monkeypatch.setitem(sys.modules, "awswrangler", fake)
    cfg = config.load({"BUCKET": "lake-bucket"})
    frame = pd.DataFrame({"id": ["a"], "year": ["2026"]})

    writer.write(frame, cfg, ["year"], {"id": "string"})

    assert len(calls) == 1
    call = calls[0]
    assert call["df"] is frame
    assert call["path"] == "s3://lake-bucket/datalake_raw/@TABLE@/"
    assert call["dataset"] is True
    assert call["database"] == "datalake_raw"
    assert call["table"] == "@TABLE@"
    assert call["partition_cols"] == ["year"]
    assert call["dtype"] == {"id": "string"}
    assert call["mode"] == "append"


def test_config_refuses_a_missing_bucket():
    try:
        config.load({})
    except KeyError as e:
        assert "BUCKET" in str(e)
    else:
        raise AssertionError("a missing BUCKET was accepted")
