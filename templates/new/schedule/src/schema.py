"""@TABLE@'s columns with their Athena types, as the source returns them
(flattened with "_": owner.email is owner_email). Replace them with the
source's; a column not listed here is left out of the lake (and logged)."""

COLUMNS = {
    "id": "string",
    "status": "string",
    "amount": "double",
    "owner_email": "string",
    "updated_at": "timestamp",
}

# The date partitions (year, month, day: rawframe's) come from when a row changed at the source: a run
# appends the rows changed since the last run's checkpoint (deltas).
PARTITION_FROM = "updated_at"

