"""The settings: the raw zone's bucket is required, the table defaults to
@TABLE@."""
import pytest

import config


def test_the_defaults():
    cfg = config.load({"RAW_BUCKET": "lake-raw"})
    assert (cfg.bucket, cfg.table, cfg.source_table) == ("lake-raw", "@TABLE@", "@TABLE@")


def test_a_missing_bucket_is_refused():
    with pytest.raises(KeyError, match="RAW_BUCKET"):
        config.load({})
