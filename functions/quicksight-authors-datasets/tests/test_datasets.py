import datetime

import pytest

import datasets
import lambda_function

NOW = datetime.datetime(2026, 12, 3, 5, 30, tzinfo=datetime.timezone.utc)


class FakeAthena:
    def __init__(self, fail_on=None):
        self.sql = []
        self.fail_on = fail_on

    def run(self, sql):
        if self.fail_on and self.fail_on in sql:
            raise RuntimeError("Athena query q1 FAILED: COLUMN_NOT_FOUND")
        self.sql.append(sql)
        return "q%d" % len(self.sql)


class FakeS3:
    def __init__(self):
        self.calls = []

    def remove_except(self, bucket, prefix, keep):
        self.calls.append((bucket, prefix, keep))
        return 3


def test_the_shipped_sql_files_are_both_single_selects():
    got = datasets.load()
    assert [t for t, _ in got] == ["dataset_14108_customer_detail", "dataset_6185_customer_mambu"]
    for _, select in got:
        assert select.startswith("WITH") and ";" not in select and "--" not in select
        assert "datalake_raw.customers" in select


@pytest.mark.parametrize("text,why", [
    ("SELECT 1; DROP TABLE x", "more than one statement"),
    ("DELETE FROM t", "not a SELECT"),
    ("SELECT 'open", "unclosed"),
])
def test_what_cannot_be_wrapped_is_refused(text, why):
    with pytest.raises(ValueError, match=why):
        datasets.strip_sql(text)


def test_comments_and_the_trailing_semicolon_go():
    assert datasets.strip_sql("-- head\nSELECT a -- why\nFROM t;\n") == "SELECT a \nFROM t"


def test_file_names_give_table_names():
    assert datasets.table_name("6185_customer_mambu.sql") == "dataset_6185_customer_mambu"
    with pytest.raises(ValueError, match="NUMBER_name"):
        datasets.table_name("customer.sql")


def test_statements_drop_then_create_in_the_runs_own_folder():
    sqls, loc = datasets.statements("datalake_curated", "dataset_1_x", "SELECT 1", "cur", "/quicksight/", "R")
    assert loc == "s3://cur/quicksight/dataset_1_x/run=R/"
    assert sqls == [
        "DROP TABLE IF EXISTS `datalake_curated`.`dataset_1_x`",
        "CREATE TABLE \"datalake_curated\".\"dataset_1_x\"\nWITH (format = 'PARQUET', "
        "write_compression = 'SNAPPY', external_location = 's3://cur/quicksight/dataset_1_x/run=R/')\nAS\nSELECT 1",
    ]
    with pytest.raises(ValueError):
        datasets.statements("datalake curated; x", "t", "SELECT 1", "b", "p", "R")


def test_a_run_overwrites_every_dataset_and_removes_old_runs_files():
    a, s3 = FakeAthena(), FakeS3()
    got = lambda_function.run(NOW, a, s3, "datalake_curated", "cur", "quicksight")
    assert got["run"] == "20261203T053000Z"
    assert [s.split("\n")[0] for s in a.sql] == [
        "DROP TABLE IF EXISTS `datalake_curated`.`dataset_14108_customer_detail`",
        'CREATE TABLE "datalake_curated"."dataset_14108_customer_detail"',
        "DROP TABLE IF EXISTS `datalake_curated`.`dataset_6185_customer_mambu`",
        'CREATE TABLE "datalake_curated"."dataset_6185_customer_mambu"']
    assert s3.calls[1] == ("cur", "quicksight/dataset_6185_customer_mambu/",
                           "quicksight/dataset_6185_customer_mambu/run=20261203T053000Z/")
    assert got["datasets"][0]["old_objects_removed"] == 3


def test_a_failed_query_stops_the_run_before_files_are_removed():
    a, s3 = FakeAthena(fail_on="CREATE TABLE \"datalake_curated\".\"dataset_14108"), FakeS3()
    with pytest.raises(RuntimeError, match="COLUMN_NOT_FOUND"):
        lambda_function.run(NOW, a, s3, "datalake_curated", "cur", "quicksight")
    assert s3.calls == [] and len(a.sql) == 1


def test_an_empty_sql_folder_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="no .sql file"):
        datasets.load(str(tmp_path))


class FakeAthenaClient:
    """boto3's athena client: a query that runs, then ends in a state."""

    def __init__(self, states):
        self.states = list(states)
        self.started = []
        self.stopped = []

    def start_query_execution(self, **kw):
        self.started.append(kw)
        return {"QueryExecutionId": "q-1"}

    def get_query_execution(self, QueryExecutionId):
        state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
        return {"QueryExecution": {"Status": {"State": state, "StateChangeReason": "line 3: no such column"}}}

    def stop_query_execution(self, QueryExecutionId):
        self.stopped.append(QueryExecutionId)


def athena_with(client, timeout=600):
    a = lambda_function.Athena.__new__(lambda_function.Athena)
    a.client, a.workgroup, a.poll, a.timeout = client, "wg", 0.0, timeout
    return a


def test_the_athena_seam_waits_for_the_end():
    c = FakeAthenaClient(["QUEUED", "RUNNING", "SUCCEEDED"])
    assert athena_with(c).run("SELECT 1") == "q-1"
    assert c.started == [{"QueryString": "SELECT 1", "WorkGroup": "wg"}]
    with pytest.raises(RuntimeError, match="FAILED: line 3: no such column"):
        athena_with(FakeAthenaClient(["RUNNING", "FAILED"])).run("SELECT x")
    c = FakeAthenaClient(["RUNNING"])
    with pytest.raises(TimeoutError):
        athena_with(c, timeout=-1).run("SELECT 1")
    assert c.stopped == ["q-1"]
