"""@TABLE@'s columns with their Athena types: the change's own columns
first, then the item's (flattened with "_": address.city is address_city).
Replace the item's columns with the source table's; a column not listed
here is left out of the lake (and logged)."""

COLUMNS = {
    # the change
    "id": "string",
    "event_id": "string",
    "event_name": "string",
    "event_time": "timestamp",
    "is_deleted": "boolean",
    # the item: the source table's attributes
    "status": "string",
    "amount": "double",
    "visits": "bigint",
    "active": "boolean",
    "address_city": "string",
}

# The date partitions (year, month, day) come from the change's time, so a late batch lands
# in the day the change happened.
PARTITION_FROM = "event_time"

