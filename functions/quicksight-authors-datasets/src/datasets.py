"""The curated datasets QuickSight reads: one SQL file each under sql/
(NUMBER_NAME.sql, NUMBER being the QuickSight dataset's), run on Athena
as a CREATE TABLE AS SELECT into the curated database, the previous table
dropped first: each run is a full overwrite, as QuickSight refreshes the
whole dataset. This module reads and checks the files and assembles the
statements; running them is the Athena seam's (lambda_function.py)."""
import os
import re

SQL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sql")
_NAME = re.compile(r"^([0-9]+)_([a-z0-9_]+)\.sql$")
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def strip_sql(text):
    """The statement without -- comments, surrounding space and its one
    trailing semicolon. A SQL file holds one SELECT (or WITH ... SELECT):
    anything else is refused, since it is wrapped into a CTAS."""
    lines = []
    for line in text.splitlines():
        # a -- inside a string literal would be cut: the files have none,
        # and the check below refuses what that would leave broken
        i = line.find("--")
        lines.append(line if i < 0 else line[:i])
    body = "\n".join(lines).strip()
    if body.endswith(";"):
        body = body[:-1].rstrip()
    if ";" in body:
        raise ValueError("more than one statement")
    if not re.match(r"(?is)^(select|with)\b", body):
        raise ValueError("not a SELECT")
    if body.count("'") % 2:
        raise ValueError("an unclosed string literal")
    return body


def table_name(file_name):
    """6185_customer_mambu.sql -> dataset_6185_customer_mambu (a Glue
    table's name may not start with a digit)."""
    m = _NAME.match(file_name)
    if not m:
        raise ValueError("%s: a dataset's SQL file is named NUMBER_name.sql" % file_name)
    return "dataset_%s_%s" % (m.group(1), m.group(2))


def load(sql_dir=SQL_DIR):
    """[(table, select)] for every .sql file, in file-name order."""
    out = []
    for name in sorted(os.listdir(sql_dir)):
        if not name.endswith(".sql"):
            continue
        with open(os.path.join(sql_dir, name), encoding="utf-8") as f:
            try:
                out.append((table_name(name), strip_sql(f.read())))
            except ValueError as e:
                raise ValueError("%s: %s" % (name, e)) from None
    if not out:
        raise ValueError("no .sql file in %s" % sql_dir)
    return out


def statements(database, table, select, bucket, prefix, run_id):
    """The two statements of one dataset: drop the old table (its files
    are the previous run's folder, removed after), create the new one in
    this run's own folder (CTAS refuses a folder that holds files)."""
    for ident in (database, table):
        if not _IDENT.match(ident):
            raise ValueError("%r is not a plain identifier" % ident)
    location = "s3://%s/%s/%s/run=%s/" % (bucket, prefix.strip("/"), table, run_id)
    return [
        "DROP TABLE IF EXISTS `%s`.`%s`" % (database, table),
        'CREATE TABLE "%s"."%s"\nWITH (format = \'PARQUET\', write_compression = \'SNAPPY\', '
        "external_location = '%s')\nAS\n%s" % (database, table, location, select),
    ], location
