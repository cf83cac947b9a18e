"""Issue 12 point 4 through AppTest: a table's numeric columns reach the browser as numbers (they
sort as numbers) while the text the user reads is Danish (pandas Styler display values)."""

from __future__ import annotations

import pandas as pd
from conftest import shown_table
from streamlit.testing.v1 import AppTest


def app() -> None:
    import pandas as pd
    import streamlit as st

    from cockpit import downloads

    frame = pd.DataFrame(
        {
            "Indsatstype": ["Bostøtte", "Botilbud", "Misbrug"],
            "Forbrug": [1_234_500.0, -52_652.0, 6_275_165.433914021],
            "Borgere": [1234, "<5", 12],
            "Andel": [0.2106, 0.5, None],
            "Siden": pd.to_datetime(["2026-10-31", None, "2026-01-02"]),
        }
    )
    units = {"Forbrug": "mio", "Borgere": "count", "Andel": "share", "Siden": "date"}
    st.dataframe(downloads.screen_styler(downloads.Table("T", frame, units)), hide_index=True)


def test_numbers_stay_numbers_and_read_danish():
    at = AppTest.from_function(app).run(timeout=60)
    assert not at.exception
    element = at.dataframe[0]
    data = element.value
    assert list(data.columns) == ["Indsatstype", "Forbrug", "Borgere", "Andel", "Siden"]
    for column in ("Forbrug", "Borgere", "Andel"):
        assert pd.api.types.is_numeric_dtype(data[column]), data.dtypes
    assert pd.api.types.is_datetime64_any_dtype(data["Siden"])
    # Sorting the column sorts numbers: -52.652 < 1.234.500 < 6.275.165.
    assert list(data.sort_values("Forbrug")["Indsatstype"]) == [
        "Botilbud",
        "Bostøtte",
        "Misbrug",
    ]
    text = shown_table(element)
    assert text.values.tolist() == [
        ["Bostøtte", "1,2 mio. kr.", "1.234", "21,1 %", "31. oktober 2026"],
        ["Botilbud", "-52.652 kr.", "<5", "50,0 %", "–"],
        ["Misbrug", "6,3 mio. kr.", "12", "–", "2. januar 2026"],
    ]


def test_the_monthly_decisions_chart_has_a_table():
    """Visitation's stacked monthly chart tells its series apart by colour; its table does not."""
    from cockpit.views import visitation

    rows = pd.DataFrame(
        {"month": [1, 1, 2], "kind": ["new", "change", "new"], "decisions": [3, 2, 4]}
    )
    table = visitation.months_table(rows, 2026)
    assert table.to_dict("records") == [
        {"Måned": "Januar 2026", "Ny ansøgning": 3, "Ændring": 2, "I alt": 5},
        {"Måned": "Februar 2026", "Ny ansøgning": 4, "Ændring": 0, "I alt": 4},
    ]
