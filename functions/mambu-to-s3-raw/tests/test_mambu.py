import datetime
import json
import os
import subprocess
import sys
import textwrap

import pytest

import lambda_function
import mambu_extract

NOW = datetime.datetime(2026, 12, 3, 2, 0, tzinfo=datetime.timezone.utc)

# Stand-ins for the packaged entry points: the same command lines and the
# same singer messages on the pipe as tap-mambu and target-jsonl.
FAKE_TAP = textwrap.dedent('''\
    import json, sys
    args = sys.argv[1:]
    cfg = json.load(open(args[args.index("--config") + 1]))
    assert cfg["subdomain"] == "demo", cfg
    streams = ["loan_accounts", "clients", "deposit_accounts", "branches"]
    if "--discover" in args:
        print(json.dumps({"streams": [{"tap_stream_id": s, "stream": s, "schema": {},
            "metadata": [{"breadcrumb": [], "metadata": {"selected": True}}]} for s in streams]}))
        sys.exit(0)
    cat = json.load(open(args[args.index("--catalog") + 1]))
    chosen = [s["tap_stream_id"] for s in cat["streams"] if s["metadata"][0]["metadata"]["selected"]]
    data = {"clients": [{"id": "C1", "encodedKey": "8a1", "state": "ACTIVE", "birthDate": "1980-02-03",
                         "creationDate": "2020-01-01T00:00:00Z", "lastModifiedDate": "2026-12-02T10:00:00Z",
                         "customFields": {"x": 1}}],
            "loan_accounts": [{"id": "L1", "encodedKey": "8a2", "loanAmount": 1000,
                               "balances": {"principalDue": 10.5}},
                              {"id": "L2", "encodedKey": "8a3", "loanAmount": "2500.75"}],
            "branches": [{"id": "B1"}]}
    for s in chosen:
        print(json.dumps({"type": "SCHEMA", "stream": s, "schema": {}, "key_properties": ["id"]}))
        for r in data.get(s, []):
            print(json.dumps({"type": "RECORD", "stream": s, "record": r}))
    print(json.dumps({"type": "STATE", "value": {}}))
''')
FAKE_TARGET = textwrap.dedent('''\
    import json, os, sys
    args = sys.argv[1:]
    cfg = json.load(open(args[args.index("--config") + 1]))
    for line in sys.stdin:
        m = json.loads(line)
        if m["type"] == "RECORD":
            with open(os.path.join(cfg["destination_path"], m["stream"] + ".jsonl"), "a") as f:
                f.write(json.dumps(m["record"]) + "\\n")
''')


@pytest.fixture
def task_root(tmp_path):
    root = tmp_path / "task"
    root.mkdir()
    (root / "tap-mambu").write_text(FAKE_TAP)
    (root / "target-jsonl").write_text(FAKE_TARGET)
    return str(root)


class Writer:
    def __init__(self):
        self.calls = []

    def __call__(self, **kw):
        self.calls.append(kw)


def test_argv_runs_the_packaged_programs_with_this_interpreter():
    assert mambu_extract.tap_argv("/var/task", "/tmp/c.json", "/tmp/k.json") == [
        sys.executable, "/var/task/tap-mambu", "--config", "/tmp/c.json", "--catalog", "/tmp/k.json"]
    assert mambu_extract.discover_argv("/var/task", "/tmp/c.json")[-1] == "--discover"
    assert mambu_extract.target_argv("/var/task", "/tmp/t.json") == [
        sys.executable, "/var/task/target-jsonl", "--config", "/tmp/t.json"]


def test_select_marks_exactly_the_wanted_streams():
    cat = {"streams": [{"tap_stream_id": "clients", "metadata": []},
                       {"tap_stream_id": "branches",
                        "metadata": [{"breadcrumb": [], "metadata": {"selected": True}}]}]}
    got = mambu_extract.select(cat, ["clients"])
    sel = {s["tap_stream_id"]: s["metadata"][0]["metadata"]["selected"] for s in got["streams"]}
    assert sel == {"clients": True, "branches": False}
    assert cat["streams"][1]["metadata"][0]["metadata"]["selected"] is True  # not changed in place
    with pytest.raises(ValueError, match="loan_accounts"):
        mambu_extract.select(cat, ["clients", "loan_accounts"])


def test_snake_case_and_rows_of_the_schema():
    assert mambu_extract.snake("encodedKey") == "encoded_key" and mambu_extract.snake("id") == "id"
    rows = mambu_extract.to_rows([{"encodedKey": "k", "loanAmount": 5, "other": 1}], "loan_accounts", NOW)
    assert rows[0]["encoded_key"] == "k" and rows[0]["loan_amount"] == 5
    assert "other" not in rows[0] and rows[0]["_extracted_at"] == NOW


def test_a_bad_jsonl_line_names_file_and_line(tmp_path):
    p = tmp_path / "clients.jsonl"
    p.write_text('{"id": "1"}\n{broken\n')
    with pytest.raises(ValueError, match="clients.jsonl:2"):
        mambu_extract.read_jsonl(str(p))


def test_a_run_pipes_the_tap_into_the_target_and_overwrites_the_days_partitions(task_root):
    w = Writer()
    runner = lambda_function.ProcessRunner(task_root, timeout=60)
    got = lambda_function.run(NOW, {"subdomain": "demo"}, runner, w, "lake-raw", task_root=task_root)
    assert got == {"day": "2026-12-03", "written": {
        "mambu_loan_accounts": 2, "mambu_clients": 1, "mambu_deposit_accounts": 0}}
    by = {c["table"]: c for c in w.calls}
    assert sorted(by) == ["mambu_clients", "mambu_loan_accounts"]
    loans = by["mambu_loan_accounts"]
    assert loans["mode"] == "overwrite_partitions" and loans["database"] == "datalake_raw"
    df = loans["df"]
    assert df["loan_amount"].tolist() == [1000.0, 2500.75]
    assert json.loads(df["balances"].iloc[0]) == {"principalDue": 10.5} and df["balances"].isna().iloc[1]
    assert df[["year", "month", "day"]].values.tolist() == [["2026", "12", "03"]] * 2
    clients = by["mambu_clients"]["df"]
    assert clients["birth_date"].iloc[0] == datetime.date(1980, 2, 3)
    assert str(clients["last_modified_date"].dtype) == "datetime64[ns]"
    assert by["mambu_clients"]["dtype"]["birth_date"] == "date"


def test_the_config_file_is_private(task_root, tmp_path):
    seen = {}

    class Spy(lambda_function.ProcessRunner):
        def output(self, argv):
            path = argv[argv.index("--config") + 1]
            seen["mode"] = os.stat(path).st_mode & 0o777
            return super().output(argv)

    work = tmp_path / "w"
    work.mkdir()
    lambda_function.extract(str(work), {"subdomain": "demo"}, ["clients"], Spy(task_root, 60), task_root)
    assert seen["mode"] == 0o600


def test_a_failing_tap_fails_the_run(task_root):
    with open(os.path.join(task_root, "tap-mambu"), "a") as f:
        f.write("sys.exit(3)\n")
    with pytest.raises(subprocess.CalledProcessError):
        lambda_function.run(NOW, {"subdomain": "demo"}, lambda_function.ProcessRunner(task_root, 60),
                            Writer(), "lake-raw", task_root=task_root)
