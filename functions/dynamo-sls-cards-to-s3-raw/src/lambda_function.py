"""The sls-cards DynamoDB table's changes, from its Kinesis Data Stream
into datalake_raw.sls_cards (parquet, appended, partitioned by the
change's date). The decoding, flattening, typing and the write are the
flattenjson layer's (ddbexport), shared with dynamo-customers-to-s3-raw;
this file holds the table's own schema."""
import logging

import ddbexport

logging.getLogger().setLevel(logging.INFO)

TABLE = "sls_cards"
KEY = ["card_id"]

# Every column of datalake_raw.sls_cards with its Athena type; nested maps
# arrive flattened with _ (limits.daily is limits_daily).
SCHEMA = {
    "card_id": "string",
    "customer_id": "string",
    "status": "string",
    "product": "string",
    "last4": "string",
    "expiry_month": "int",
    "expiry_year": "int",
    "contactless": "boolean",
    "limits_daily": "double",
    "limits_monthly": "double",
    "wallets": "array<string>",
    "issued_at": "timestamp",
    "updated_at": "timestamp",
}


lambda_handler = ddbexport.make_handler("sls-cards", TABLE, SCHEMA)
