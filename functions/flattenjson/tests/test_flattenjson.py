from flattenjson import flatten


def test_nested_maps_and_lists_become_columns():
    assert flatten({"a": {"b": 1, "c": {"d": "x"}}, "l": [{"k": 2}, 3]}) == {
        "a.b": 1, "a.c.d": "x", "l.0.k": 2, "l.1": 3}


def test_separator_and_tuples_stay_whole():
    assert flatten({"a": {"b": (1, 2)}, "s": "t"}, sep="_") == {"a_b": (1, 2), "s": "t"}


def test_empty_map_gives_no_column():
    assert flatten({"a": {}, "b": None}) == {"b": None}
