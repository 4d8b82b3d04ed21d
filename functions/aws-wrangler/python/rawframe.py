"""Typed frames for the datalake_raw database: an explicit schema (column
-> Athena type) decides every column's pandas dtype and the dtype passed
to awswrangler, date partition columns come from one timestamp, and the
write goes through a writer seam (awswrangler's wr.s3.to_parquet in
Lambda, a recorder in the tests).

Every function that writes datalake_raw has it through this layer (the
DynamoDB exports, Salesforce, Mambu), as each function deploys alone.
pandas is imported here (this layer installs it with awswrangler);
awswrangler only inside the writer, so the logic imports without it.
"""
import datetime
import decimal
import json

import pandas as pd

DATABASE = "datalake_raw"
PARTITION_COLS = ["year", "month", "day"]

# Athena type -> the pandas dtype of the frame's column
PANDAS_DTYPES = {
    "string": "string",
    "bigint": "Int64",
    "int": "Int32",
    "double": "float64",
    "boolean": "boolean",
    "timestamp": "datetime64[ns]",
    "date": "object",
    "binary": "object",
}


def pandas_dtype(athena_type):
    if athena_type.startswith("array<"):
        return "object"
    try:
        return PANDAS_DTYPES[athena_type]
    except KeyError:
        raise ValueError("no pandas dtype for Athena type %r" % athena_type) from None


def _number_text(v):
    if isinstance(v, decimal.Decimal) and v == v.to_integral_value():
        return str(v.quantize(decimal.Decimal(1)))
    return str(v)


def coerce(value, athena_type):
    """One value as the column's type wants it (None stays None). A value
    that cannot be had in that type raises ValueError naming both."""
    if value is None:
        return None
    try:
        if athena_type == "string":
            if isinstance(value, (dict, list, tuple)):
                return json.dumps(value, default=_number_text, sort_keys=True)
            if isinstance(value, (decimal.Decimal, int, float)) and not isinstance(value, bool):
                return _number_text(value)
            return str(value)
        if athena_type in ("bigint", "int"):
            if isinstance(value, bool):
                return int(value)
            d = decimal.Decimal(str(value))
            if d != d.to_integral_value():
                raise ValueError("not a whole number")
            return int(d)
        if athena_type == "double":
            return float(value)
        if athena_type == "boolean":
            if isinstance(value, str):
                low = value.strip().lower()
                if low in ("true", "1", "yes"):
                    return True
                if low in ("false", "0", "no"):
                    return False
                raise ValueError("not a boolean")
            return bool(value)
        if athena_type == "timestamp":
            return to_utc(value)
        if athena_type == "date":
            if isinstance(value, datetime.datetime):
                return value.date()
            if isinstance(value, datetime.date):
                return value
            return datetime.date.fromisoformat(str(value)[:10])
        if athena_type == "binary":
            return bytes(value) if not isinstance(value, str) else value.encode()
        if athena_type.startswith("array<"):
            inner = athena_type[len("array<"):-1]
            items = value if isinstance(value, (list, tuple)) else [value]
            return [coerce(x, inner) for x in items]
    except (ValueError, TypeError, decimal.InvalidOperation) as e:
        raise ValueError("%r is not a %s: %s" % (value, athena_type, e)) from None
    raise ValueError("unknown Athena type %r" % athena_type)


def to_utc(value):
    """A timestamp (datetime, ISO 8601 text, epoch seconds) as a naive UTC
    datetime, which is what a parquet timestamp without zone holds."""
    if isinstance(value, datetime.datetime):
        t = value
    elif isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool):
        t = datetime.datetime.fromtimestamp(float(value), tz=datetime.timezone.utc)
    else:
        text = str(value).strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
            text = text[:-2] + ":" + text[-2:]   # Salesforce's +0000
        t = datetime.datetime.fromisoformat(text)
    if t.tzinfo is not None:
        t = t.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return t


def partition_values(when):
    """The date partition columns of a timestamp, as zero-padded text."""
    t = to_utc(when)
    return {"year": "%04d" % t.year, "month": "%02d" % t.month, "day": "%02d" % t.day}


def to_frame(rows, schema, partition_from):
    """rows (flat dicts) as a frame with exactly the schema's columns in
    its order, each of its dtype, then the partition columns taken from
    each row's partition_from column. Returns (frame, unknown) where
    unknown lists the columns the rows had that the schema does not:
    they are left out (a new column is a schema change, made on purpose)."""
    unknown = sorted({k for r in rows for k in r} - set(schema))
    data = {}
    for col, athena_type in schema.items():
        values = [coerce(r.get(col), athena_type) for r in rows]
        dtype = pandas_dtype(athena_type)
        if dtype == "datetime64[ns]":
            data[col] = pd.Series(pd.to_datetime(values), dtype=dtype)
        else:
            data[col] = pd.Series(values, dtype=dtype)
    df = pd.DataFrame(data, columns=list(schema))
    parts = [partition_values(r[partition_from]) for r in rows]
    for col in PARTITION_COLS:
        df[col] = pd.Series([p[col] for p in parts], dtype="string")
    return df, unknown


def glue_dtypes(schema):
    """The dtype argument of wr.s3.to_parquet: every column's Athena type,
    the partition columns as string, so that Glue never guesses."""
    d = dict(schema)
    for col in PARTITION_COLS:
        d[col] = "string"
    return d


def write_call(df, bucket, table, schema, mode):
    """The keyword arguments of the write: one place says how datalake_raw
    is written."""
    return {
        "df": df,
        "path": "s3://%s/%s/" % (bucket, table),
        "dataset": True,
        "database": DATABASE,
        "table": table,
        "partition_cols": list(PARTITION_COLS),
        "dtype": glue_dtypes(schema),
        "mode": mode,
    }


def wrangler_writer(**kwargs):
    """The writer seam in Lambda: awswrangler, imported here only."""
    import awswrangler as wr
    return wr.s3.to_parquet(**kwargs)
