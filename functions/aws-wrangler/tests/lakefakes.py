"""Fakes of the reconciliation functions' seams, shared by their tests
(test-only: the zips never hold it)."""


class FakeLake:
    """Athena: the rows of the table named after FROM datalake_raw."""

    def __init__(self, by_table):
        self.by_table = by_table
        self.sql = []

    def query(self, sql):
        self.sql.append(sql)
        return self.by_table.get(sql.split("FROM datalake_raw.")[1].split()[0], [])


class FakeMetrics:
    """reconcile.Metrics: keeps every value put."""

    def __init__(self):
        self.data = []

    def put(self, data):
        self.data += data
