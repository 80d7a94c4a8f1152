"""The simple isomorphisms: sex, weight, age and faction.

Each rule is a pure function of one gene-table column so that a student can
check it by hand: transmembrane -> male, 1 kDa -> 1 kg, age = 2020 - year,
cancer role -> faction.
"""

from __future__ import annotations

import pandas as pd

from ..records import CancerRole, Faction, Sex

# The reference year of the age rule. Fixed (not "this year") so that a
# character never ages between two builds; genes named after 2020 get a
# negative age, which the text reads as "not yet born".
AGE_REFERENCE_YEAR = 2020

FACTIONS = {
    CancerRole.ONCOGENE.value: Faction.PRO_GROWTH.value,
    CancerRole.TUMOR_SUPPRESSOR.value: Faction.PRO_CONTROL.value,
    CancerRole.BOTH.value: Faction.TURNCOAT.value,
    CancerRole.NONE.value: Faction.NONE.value,
}


def sex(transmembrane: pd.Series) -> pd.Series:
    """Transmembrane -> ``male``, soluble -> ``female``; unknown membrane status reads as soluble."""
    return transmembrane.fillna(False).astype(bool).map({True: Sex.MALE.value, False: Sex.FEMALE.value})


def weight_kg(mass_da: pd.Series) -> pd.Series:
    """Protein mass in kDa read as kilograms, one decimal (TTN 3816.0, COASY 62.3)."""
    return (mass_da / 1000.0).round(1)


def age(discovery_year: pd.Series) -> pd.Series:
    """``2020 - discovery_year``; negative for genes first noted after 2020."""
    return (AGE_REFERENCE_YEAR - discovery_year).astype("Int64")


def faction(cancer_role: pd.Series) -> pd.Series:
    """Cancer role -> political faction; an unknown role is ``none``."""
    return cancer_role.map(FACTIONS).fillna(Faction.NONE.value)
