"""@TABLE@'s item columns with their Athena types (the change's own
columns, _event_name, _is_deleted, ..., are added by the flattenjson
layer's ddbexport). Nested maps arrive flattened with "_": address.city is
address_city. Replace these with the source table's attributes; a column
not listed here is left out of the lake (and logged)."""

COLUMNS = {
    "pk": "string",
    "status": "string",
    "amount": "double",
    "visits": "bigint",
    "active": "boolean",
    "address_city": "string",
}

# The item's key: a schema column, so a tombstone still says which item went.
KEY = ["pk"]
