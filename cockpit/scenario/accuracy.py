"""Prognosens træfsikkerhed: how close the individual-based year-end forecast made at each month
end came to the year's actual result, over the closed years in the data (queries/
scenario_accuracy.sql). Pure functions of that frame."""

from __future__ import annotations

import calendar
from datetime import date

import pandas as pd

from cockpit.present import fmt

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)

CAVEAT = (
    "Beregnet på dagens data: datagrundlaget har ingen registreringsdatoer, så bevillinger og "
    "posteringer, der blev registreret for sent, indgår allerede i de tidlige prognoser. Det får "
    "prognosen til at se lidt mere træfsikker ud, end den var."
)


def month_of_knowledge(as_of: date) -> int:
    """The last month end on or before the reference date (1-11; a December date gives 11, the
    last month whose forecast is not the accounts themselves; January before its end gives 1)."""
    last = (
        as_of.month
        if as_of.day == calendar.monthrange(as_of.year, as_of.month)[1]
        else as_of.month - 1
    )
    return min(max(last, 1), 11)


def errors(frame: pd.DataFrame) -> pd.DataFrame:
    """Per closed year and month: the forecast's error against the actual result, as a share
    ((forecast − actual) / actual) and absolute."""
    out = frame[["year", "month", "forecast_dkk", "actual_dkk"]].copy()
    out = out[out["actual_dkk"].notna() & (out["actual_dkk"] != 0)]
    out["error"] = (out["forecast_dkk"] - out["actual_dkk"]) / out["actual_dkk"]
    out["abs_error"] = out["error"].abs()
    return out.reset_index(drop=True)


def mape_by_month(frame: pd.DataFrame) -> pd.DataFrame:
    """Per month of knowledge (1 = the forecast at the end of January): the mean absolute
    percentage error over the closed years (`mape`, a share), the largest one (`worst`), and how
    many years it is averaged over. Empty when the data hold no closed year."""
    e = errors(frame)
    if e.empty:
        return pd.DataFrame(columns=["month", "mape", "worst", "years"])
    g = e.groupby("month")["abs_error"]
    out = pd.DataFrame({"mape": g.mean(), "worst": g.max(), "years": g.size()}).reset_index()
    return out.sort_values("month").reset_index(drop=True)


def sentence(mape: pd.DataFrame, month: int) -> str | None:
    """ "Prognosen ved udgangen af maj ramte regnskabet inden for ±2,1 %" (the mean over the closed
    years) for one month of knowledge; None when there is no figure for it."""
    row = mape[mape["month"] == month]
    if row.empty or pd.isna(row["mape"].iloc[0]):
        return None
    years = int(row["years"].iloc[0])
    return (
        f"Prognosen ved udgangen af {MONTHS[month - 1]} ramte regnskabet inden for "
        f"±{fmt.number(float(row['mape'].iloc[0]) * 100, 1)} % i gennemsnit "
        f"({years} {'afsluttet år' if years == 1 else 'afsluttede år'})."
    )


def table(mape: pd.DataFrame) -> pd.DataFrame:
    """For display and download: Danish headers, shares as numbers."""
    return pd.DataFrame(
        {
            "Prognose ved udgangen af": [MONTHS[m - 1] for m in mape["month"]],
            "Gennemsnitlig afvigelse": mape["mape"].astype(float),
            "Største afvigelse": mape["worst"].astype(float),
            "Antal år": mape["years"].astype(int),
        }
    )
