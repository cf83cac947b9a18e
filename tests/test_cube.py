"""The linked-cube suppression (cockpit/cube.py) on hand-made cubes: which cells form blocks, which
figures are whole blocks, and the month-end reference date for suppressing roles."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from cockpit import cube


def cells(*rows) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=["offer_type_code", "offer_id", "owner_type", "month", "spend_dkk", "citizens"],
    )


# January: own offers X (6 citizens), Y (5) and Z (1); a private offer P (7).
JAN = cells(
    ("A", "X", "own", 1, 600.0, 6),
    ("A", "Y", "own", 1, 500.0, 5),
    ("A", "Z", "own", 1, 100.0, 1),
    ("A", "P", "private", 1, 700.0, 7),
)


def test_a_small_cell_is_pooled_with_the_smallest_large_one_of_its_group():
    block = cube.partition(JAN)
    assert block[2] == block[1]  # Z joins Y (5 citizens, the smallest with 5 or more)
    assert len({block[0], block[1], block[3]}) == 3


def test_figures_are_published_only_when_they_are_whole_blocks():
    providers = JAN[["offer_id", "offer_type_code", "spend_dkk", "citizens"]].copy()
    shown = cube.restrict("econ_spend_by_provider", providers, JAN)
    assert list(shown["spend_dkk"].isna()) == [False, True, True, False]
    assert list(shown["suppressed"]) == ["", "–", "–", ""]
    owners = pd.DataFrame({"owner_type": ["own", "private"], "spend_dkk": [1200.0, 700.0]})
    owners["citizens"] = [12, 7]
    shown = cube.restrict("econ_spend_by_owner", owners, JAN, {"offer_type": "A"})
    assert list(shown["spend_dkk"]) == [1200.0, 700.0]  # own = X + (Y + Z): whole blocks


def test_a_group_of_only_small_cells_joins_another_owner_type():
    jan = cells(
        ("A", "X", "own", 1, 600.0, 6),
        ("A", "Q", "region", 1, 50.0, 2),
        ("A", "R", "region", 1, 40.0, 1),
    )
    block = cube.partition(jan)
    assert block[1] == block[2] == block[0]
    owners = pd.DataFrame({"owner_type": ["own", "region"], "spend_dkk": [600.0, 90.0]})
    owners["citizens"] = [6, 3]
    shown = cube.restrict("econ_spend_by_owner", owners, jan)
    assert shown["spend_dkk"].isna().all()  # either would give the other away
    types = pd.DataFrame({"offer_type_code": ["A"], "spend_ytd_dkk": [690.0]})
    assert cube.restrict("kpi_economy_by_offer_type", types, jan)["spend_ytd_dkk"].iloc[0] == 690.0


def test_a_group_of_small_cells_with_five_citizens_in_all_is_a_block_of_its_own():
    jan = cells(
        ("A", "X", "own", 1, 600.0, 6),
        ("A", "Q", "region", 1, 50.0, 3),
        ("A", "R", "region", 1, 40.0, 3),
    )
    groups = pd.DataFrame(
        {
            "offer_type_code": ["A", "A", "A"],
            "owner_type": ["own", "region", None],
            "month": [1, 1, 1],
            "all_owners": [0, 0, 1],
            "citizens": [6, 5, 11],
        }
    )
    block = cube.partition(jan, groups)
    assert block[1] == block[2] != block[0]


def test_published_needs_every_touched_block_whole():
    block = np.array([0, 0, 2, 3])
    assert cube.published(block, np.array([True, True, False, False]))
    assert not cube.published(block, np.array([True, False, True, False]))
    assert cube.published(block, np.zeros(4, dtype=bool))


def test_snap_to_month_end_or_latest_data_date():
    latest = date(2026, 10, 17)
    assert cube.snap(date(2026, 10, 20), latest) == latest
    assert cube.snap(date(2026, 10, 17), latest) == latest
    assert cube.snap(date(2026, 10, 16), latest) == date(2026, 9, 30)
    assert cube.snap(date(2026, 3, 31), latest) == date(2026, 3, 31)
    assert cube.snap(date(2024, 3, 1), None) == date(2024, 2, 29)
    assert cube.snap(date(2026, 1, 10), latest) == date(2026, 1, 31)
    assert cube.snap(date(2026, 1, 10), date(2026, 1, 20)) == date(2026, 1, 20)
