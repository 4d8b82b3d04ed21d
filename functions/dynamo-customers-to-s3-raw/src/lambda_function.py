"""The customers DynamoDB table's changes, from its Kinesis Data Stream
into datalake_raw.customers (parquet, appended, partitioned by the
change's date). The decoding, flattening, typing and the write are the
flattenjson layer's (ddbexport), shared with dynamo-sls-cards-to-s3-raw;
this file holds the table's own schema."""
import logging

import ddbexport

logging.getLogger().setLevel(logging.INFO)

TABLE = "customers"
KEY = ["customer_id"]

# Every column of datalake_raw.customers with its Athena type; nested maps
# arrive flattened with _ (address.city is address_city).
SCHEMA = {
    "customer_id": "string",
    "status": "string",
    "first_name": "string",
    "last_name": "string",
    "birth_date": "date",
    "country": "string",
    "address_city": "string",
    "address_postcode": "string",
    "address_line1": "string",
    "marketing_opt_in": "boolean",
    "credit_limit": "double",
    "loyalty_points": "bigint",
    "segments": "array<string>",
    "created_at": "timestamp",
    "updated_at": "timestamp",
}


lambda_handler = ddbexport.make_handler("customers", TABLE, SCHEMA)
