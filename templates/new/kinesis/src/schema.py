"""@TABLE@'s columns with their Athena types: the record's own columns
(flattened with "_": customer.country is customer_country), then when it
reached the stream. Replace the record's columns with the producer's; a
column not listed here is left out of the lake (and logged)."""

COLUMNS = {
    # the record: the producer's fields
    "id": "string",
    "status": "string",
    "amount": "double",
    "created_at": "timestamp",
    "customer_country": "string",
    # the stream
    "arrived_at": "timestamp",
    "sequence_number": "string",
}

# The date partitions (year, month, day: rawframe's) come from the record's own time when it has one.
PARTITION_FROM = "created_at"

