"""Mambu's loan accounts, clients and deposit accounts into datalake_raw,
a full snapshot a day: tap-mambu (discover, then the selected streams)
piped into target-jsonl, both run as processes with argv lists, then each
stream's JSONL typed by its schema and written with mode
overwrite_partitions, so the day's partition is replaced, never doubled.

The seams: the Mambu credentials (Secrets Manager), the process runner,
and the writer (rawframe.wrangler_writer, of the aws-wrangler layer).
boto3 is imported inside them only."""
import datetime
import json
import os
import subprocess
import tempfile

import mambu_extract
import rawframe

TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.path.dirname(os.path.abspath(__file__)))


def secret_config(secret_id):
    """tap-mambu's config (username, password, subdomain, start_date...)
    from Secrets Manager, never from the code or the environment."""
    import boto3
    return json.loads(boto3.client("secretsmanager").get_secret_value(SecretId=secret_id)["SecretString"])


class ProcessRunner:
    """Runs the tap alone (discover) or the tap into the target, with the
    task root on PYTHONPATH (the programs import their packages from it)."""

    def __init__(self, task_root, timeout=840):
        self.env = dict(os.environ, PYTHONPATH=task_root)
        self.timeout = timeout

    def output(self, argv):
        # stderr is the tap's log: it goes to the function's log as it is
        return subprocess.run(argv, check=True, stdout=subprocess.PIPE, env=self.env,
                              timeout=self.timeout).stdout

    def pipe(self, tap, target):
        with subprocess.Popen(tap, stdout=subprocess.PIPE, env=self.env) as t:
            try:
                subprocess.run(target, stdin=t.stdout, check=True, env=self.env, timeout=self.timeout)
            finally:
                t.stdout.close()
            if t.wait(timeout=self.timeout) != 0:
                raise subprocess.CalledProcessError(t.returncode, tap)


def _write_json(path, doc):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f)


def extract(workdir, tap_config, streams, runner, task_root=TASK_ROOT):
    """Runs the tap into the target in workdir; returns the output folder."""
    config = os.path.join(workdir, "tap-config.json")
    catalog = os.path.join(workdir, "catalog.json")
    target = os.path.join(workdir, "target-config.json")
    out = os.path.join(workdir, "out")
    os.makedirs(out, exist_ok=True)
    _write_json(config, tap_config)
    discovered = json.loads(runner.output(mambu_extract.discover_argv(task_root, config)))
    _write_json(catalog, mambu_extract.select(discovered, streams))
    _write_json(target, mambu_extract.target_config(out))
    runner.pipe(mambu_extract.tap_argv(task_root, config, catalog), mambu_extract.target_argv(task_root, target))
    return out


def load(out_dir, streams, extracted_at, writer, bucket):
    """Each stream's JSONL into its table; a stream with no file wrote no
    record (an empty Mambu entity): its partition is left as it was."""
    written = {}
    for stream in streams:
        path = os.path.join(out_dir, stream + ".jsonl")
        records = mambu_extract.read_jsonl(path) if os.path.exists(path) else []
        table = mambu_extract.STREAMS[stream][0]
        written[table] = len(records)
        if not records:
            continue
        schema = mambu_extract.schema_of(stream)
        df, _ = rawframe.to_frame(mambu_extract.to_rows(records, stream, extracted_at), schema,
                                  mambu_extract.EXTRACTED_AT)
        writer(**rawframe.write_call(df, bucket, table, schema, "overwrite_partitions"))
    return written


def run(now, tap_config, runner, writer, bucket, streams=tuple(mambu_extract.STREAMS), task_root=TASK_ROOT):
    with tempfile.TemporaryDirectory(prefix="mambu-") as workdir:
        out = extract(workdir, tap_config, streams, runner, task_root)
        written = load(out, streams, now, writer, bucket)
    return {"day": now.strftime("%Y-%m-%d"), "written": written}


def lambda_handler(event, context):
    summary = run(datetime.datetime.now(datetime.timezone.utc),
                  secret_config(os.environ["MAMBU_SECRET"]), ProcessRunner(TASK_ROOT),
                  rawframe.wrangler_writer, os.environ["RAW_BUCKET"])
    print(json.dumps(summary))
    return summary
