"""A batch of rows as a DataFrame with exactly the schema's columns and
types, plus the date partition columns: the types are set here, never
guessed from one batch, so a column that is empty today does not change
type in the Glue table tomorrow."""
import pandas as pd

import schema

# Athena's types (what the Glue table holds) as pandas dtypes.
PANDAS_DTYPES = {
    "string": "string",
    "bigint": "Int64",
    "int": "Int32",
    "double": "float64",
    "boolean": "boolean",
}

# The partitions, from schema.PARTITION_FROM's date.
PARTITION_COLS = ["year", "month", "day"]


def dtype():
    """awswrangler's dtype: every column typed, partitions as strings."""
    types = dict(schema.COLUMNS)
    types.update({c: "string" for c in PARTITION_COLS})
    return types


def build(rows):
    """(frame, unknown): the typed frame, and the columns the rows had that
    the schema does not (left out, for the caller to log)."""
    raw = pd.DataFrame.from_records(rows)
    unknown = sorted(set(raw.columns) - set(schema.COLUMNS))
    frame = raw.reindex(columns=list(schema.COLUMNS))
    for column, athena in schema.COLUMNS.items():
        if athena == "timestamp":
            stamps = pd.to_datetime(frame[column], utc=True)
            frame[column] = stamps.dt.tz_localize(None)
        else:
            frame[column] = frame[column].astype(PANDAS_DTYPES[athena])
    stamps = frame[schema.PARTITION_FROM]
    if stamps.isna().any():
        raise ValueError(f"{schema.PARTITION_FROM} is empty in "
                         f"{int(stamps.isna().sum())} rows: no partition for them")
    frame["year"] = stamps.dt.strftime("%Y").astype("string")
    frame["month"] = stamps.dt.strftime("%m").astype("string")
    frame["day"] = stamps.dt.strftime("%d").astype("string")
    return frame, unknown


def partitions(frame):
    """The partitions a frame writes to, as year=YYYY/month=MM/day=DD."""
    keys = frame[PARTITION_COLS].drop_duplicates().itertuples(index=False)
    return sorted("/".join(f"{c}={v}" for c, v in zip(PARTITION_COLS, k))
                  for k in keys)
