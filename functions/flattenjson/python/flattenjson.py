"""Flatten nested JSON records into dotted column names for the raw zone."""


def flatten(record, prefix="", sep="."):
    out = {}
    for key, value in record.items():
        name = f"{prefix}{sep}{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.update(flatten(value, name, sep))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    out.update(flatten(item, f"{name}{sep}{i}", sep))
                else:
                    out[f"{name}{sep}{i}"] = item
        else:
            out[name] = value
    return out
