"""Running the tap-mambu singer tap into target-jsonl and reading what it
wrote: the argv of each program (no shell: the config holds the Mambu
credentials), the catalog selection, the streams' JSONL files, and the
rows as the datalake_raw tables want them (an explicit schema per stream).
The processes themselves are started through a runner seam. (Not named
singer.py: tap-mambu brings the singer-python package, `singer`.)"""
import json
import os
import re
import sys

# tap-mambu's stream -> (datalake_raw table, its columns and Athena types).
# Nested objects (balances, interest settings...) are kept as JSON text:
# their shape changes with Mambu's products, and a reader parses them.
STREAMS = {
    "loan_accounts": ("mambu_loan_accounts", {
        "id": "string",
        "encoded_key": "string",
        "account_holder_key": "string",
        "account_holder_type": "string",
        "account_state": "string",
        "account_sub_state": "string",
        "product_type_key": "string",
        "loan_name": "string",
        "loan_amount": "double",
        "currency_code": "string",
        "balances": "string",
        "interest_settings": "string",
        "creation_date": "timestamp",
        "approved_date": "timestamp",
        "closed_date": "timestamp",
        "last_modified_date": "timestamp",
    }),
    "clients": ("mambu_clients", {
        "id": "string",
        "encoded_key": "string",
        "state": "string",
        "first_name": "string",
        "last_name": "string",
        "gender": "string",
        "birth_date": "date",
        "assigned_branch_key": "string",
        "preferred_language": "string",
        "creation_date": "timestamp",
        "activation_date": "timestamp",
        "last_modified_date": "timestamp",
    }),
    "deposit_accounts": ("mambu_deposit_accounts", {
        "id": "string",
        "encoded_key": "string",
        "account_holder_key": "string",
        "account_holder_type": "string",
        "account_state": "string",
        "account_type": "string",
        "product_type_key": "string",
        "currency_code": "string",
        "balances": "string",
        "creation_date": "timestamp",
        "activation_date": "timestamp",
        "closed_date": "timestamp",
        "last_modified_date": "timestamp",
    }),
}
EXTRACTED_AT = "_extracted_at"


def schema_of(stream):
    s = dict(STREAMS[stream][1])
    s[EXTRACTED_AT] = "timestamp"
    return s


def program(task_root, name):
    """The argv start of a packaged entry point: the build moved tap-mambu
    and target-jsonl to the zip's top, and their #! names the build's
    interpreter, which Lambda does not have: run them with this one."""
    return [sys.executable, os.path.join(task_root, name)]


def discover_argv(task_root, config_path):
    return program(task_root, "tap-mambu") + ["--config", config_path, "--discover"]


def tap_argv(task_root, config_path, catalog_path):
    return program(task_root, "tap-mambu") + ["--config", config_path, "--catalog", catalog_path]


def target_argv(task_root, config_path):
    return program(task_root, "target-jsonl") + ["--config", config_path]


def target_config(out_dir):
    # one file a stream, named STREAM.jsonl, so the loader knows where
    return {"destination_path": out_dir, "do_timestamp_file": False}


def select(catalog, streams):
    """The discovered catalog with exactly these streams selected (the
    stream's breadcrumb [] metadata), every other one not. A stream the
    tap does not offer is an error: the tables would silently go stale."""
    offered = {s["tap_stream_id"] for s in catalog.get("streams", [])}
    missing = sorted(set(streams) - offered)
    if missing:
        raise ValueError("tap-mambu offers no stream %s" % ", ".join(missing))
    out = {"streams": []}
    for s in catalog["streams"]:
        s = json.loads(json.dumps(s))
        want = s["tap_stream_id"] in streams
        meta = s.setdefault("metadata", [])
        top = [m for m in meta if m.get("breadcrumb") == []]
        if not top:
            top = [{"breadcrumb": [], "metadata": {}}]
            meta.insert(0, top[0])
        top[0]["metadata"]["selected"] = want
        out["streams"].append(s)
    return out


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake(name):
    """encodedKey -> encoded_key (tap-mambu's versions disagree on case)."""
    return _CAMEL.sub("_", name).lower()


def read_jsonl(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except ValueError as e:
                    raise ValueError("%s:%d: %s" % (path, n, e)) from None
    return rows


def to_rows(records, stream, extracted_at):
    """A stream's records as rows of its schema (keys in snake case,
    unknown keys left out, every row stamped with the extraction time)."""
    schema = STREAMS[stream][1]
    rows = []
    for r in records:
        r = {snake(k): v for k, v in r.items()}
        row = {col: r.get(col) for col in schema}
        row[EXTRACTED_AT] = extracted_at
        rows.append(row)
    return rows
