import pandas as pd

from pipeline.traits import rules


def test_sex_from_membrane_status():
    assert rules.sex(pd.Series([True, False, pd.NA], dtype="boolean")).tolist() == ["male", "female", "female"]


def test_weight_is_kda_as_kg_one_decimal():
    assert rules.weight_kg(pd.Series([3_816_030.05, 62_328.84, 43_653.18])).tolist() == [3816.0, 62.3, 43.7]


def test_age_from_2020_may_be_negative():
    assert rules.age(pd.Series([1986, 2020, 2024], dtype="Int64")).tolist() == [34, 0, -4]


def test_factions():
    roles = pd.Series(["oncogene", "tumor_suppressor", "both", "none", None])
    assert rules.faction(roles).tolist() == ["pro-growth", "pro-control", "turncoat", "none", "none"]
