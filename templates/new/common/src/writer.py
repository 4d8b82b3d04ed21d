"""The one place @NAME@ writes to the lake. awswrangler (the aws-wrangler
layer) is imported here only, so the rest is tested without it: the tests
hand the handler a recording writer, and check this call with a fake
awswrangler module."""


def write(frame, config, partition_cols, dtype):
    import awswrangler as wr

    return wr.s3.to_parquet(
        df=frame,
        path=config.path,
        dataset=True,
        database=config.database,
        table=config.table,
        partition_cols=partition_cols,
        dtype=dtype,
        mode="append",
    )
