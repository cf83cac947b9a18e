"""The social-professional view's logic: Danish labels for codes, breakdown tables with shares,
display tables for the citizen-level lists, and the URL validation of offer and citizen ids; pure
(no Streamlit), so every rule here is tested without a browser."""

from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd

from cockpit import fmt

KIND_LABELS = {
    "new": "Ny ansøgning",
    "change": "Ændring",
    "revisitation": "Revisitation",
    "end": "Ophør",
}
OUTCOME_LABELS = {
    "granted": "Bevilget",
    "rejected": "Afslag",
    "changed": "Ændret",
    "ended": "Ophørt",
}
DECIDED_BY_LABELS = {
    "committee": "Visitationsudvalg",
    "leader": "Leder",
    "caseworker": "Sagsbehandler",
}
OWNER_LABELS = {
    "own": "Egen kommune",
    "other_municipality": "Anden kommune",
    "region": "Region",
    "private": "Privat",
}
THEME_LABELS = {
    "praktiske_opgaver": "Praktiske opgaver",
    "egenomsorg": "Egenomsorg",
    "mobilitet": "Mobilitet",
    "kommunikation": "Kommunikation",
    "samfundsliv": "Samfundsliv",
    "relationer": "Relationer",
    "mentale_funktioner": "Mentale funktioner",
    "sundhed": "Sundhed",
}
GOAL_TYPE_LABELS = {"develop": "Udvikle", "maintain": "Fastholde", "limit_loss": "Begrænse tab"}
TARGET_GROUP_LABELS = {
    "handicap": "Funktionsnedsættelse",
    "psykiatri": "Psykiatri",
    "udsat": "Socialt udsat",
    "misbrug": "Misbrug",
}
TEMPLATE_LABELS = {"kl_standard": "KL's standardkontrakt", "other": "Anden skabelon"}
LEVEL_LABELS = {0: "Ingen", 1: "Let", 2: "Moderat", 3: "Svær", 4: "Fuldstændig"}

DIMENSION_LABELS = {
    "kind": "Art",
    "outcome": "Udfald",
    "offer_type": "Indsatstype",
    "decided_by": "Truffet af",
    "theme": "Tema",
    "offer": "Tilbud",
    "owner_type": "Ejerform",
}
NO_GRANT = "Uden bevilling"
UNKNOWN = "Ukendt"

# Processing-time buckets (days from application to decision), upper bounds included.
PROCESSING_BUCKETS = ((14, "0-14 dage"), (30, "15-30 dage"), (60, "31-60 dage"), (90, "61-90 dage"))
PROCESSING_TAIL = "Over 90 dage"

# Pseudonyms and offer ids in the URL: short, plain characters; anything else is refused before a
# query sees it.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


# ---------------------------------------------------------------- small helpers


def is_missing(v: object) -> bool:
    """None, NaN, NA or NaT: a value the database did not have."""
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def label(mapping: dict, code: object) -> str:
    """The Danish label of a code; unknown codes are shown as they are, missing as 'Ukendt'."""
    if is_missing(code) or code == "":
        return UNKNOWN
    return mapping.get(code, str(code).replace("_", " ").capitalize())


def theme_label(theme: object) -> str:
    return label(THEME_LABELS, theme)


def level_label(level: object) -> str:
    """3 → '3 Svær'."""
    if is_missing(level):
        return fmt.DASH
    return f"{int(level)} {LEVEL_LABELS.get(int(level), '')}".strip()


def as_date(v: object) -> date | None:
    """A date from whatever the database driver returned (date, Timestamp, ISO text or null)."""
    if is_missing(v):
        return None
    return pd.Timestamp(v).date()


def short_date(v: object) -> str:
    """date(2026, 10, 31) → '31.10.2026'; missing → '–'."""
    d = as_date(v)
    return fmt.DASH if d is None else f"{d.day:02d}.{d.month:02d}.{d.year}"


def share(numerator: float | None, denominator: float | None) -> float | None:
    """A ratio whose denominator is 0 (or missing) is None, as everywhere in the cockpit."""
    if is_missing(numerator) or is_missing(denominator) or not denominator:
        return None
    return float(numerator) / float(denominator)


def valid_id(text: object) -> bool:
    """Whether a URL value can be an offer id or citizen pseudonym at all."""
    return isinstance(text, str) and bool(_ID.match(text))


def month_start(year: object, month: object) -> pd.Timestamp:
    return pd.Timestamp(int(year), int(month), 1)


# ---------------------------------------------------------------- visitation


def decisions_by_month(df: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rows of social_decisions_by_month with a month date and the Danish kind, for a stacked chart."""
    out = df.copy()
    out["Måned"] = [month_start(year, m) for m in out["month"]]
    out["Art"] = [label(KIND_LABELS, k) for k in out["kind"]]
    out["Afgørelser"] = out["decisions"].astype(int)
    return out[["Måned", "Art", "Afgørelser"]]


def decision_table(df: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """One dimension of social_decisions_by_group as a Danish table: decisions, citizens, approval
    rate of new applications, committee share of housing decisions, median processing time."""
    rows = df[df["dimension"] == dimension]
    labels = {
        "kind": KIND_LABELS,
        "outcome": OUTCOME_LABELS,
        "decided_by": DECIDED_BY_LABELS,
    }.get(dimension)
    names = [
        label(labels, k) if labels else (n if not is_missing(n) else UNKNOWN)
        for k, n in zip(rows["group_key"], rows["group_name"], strict=True)
    ]
    out = pd.DataFrame(
        {
            DIMENSION_LABELS[dimension]: names,
            "Afgørelser": [fmt.number(v) for v in rows["decisions"]],
            "Borgere": [fmt.number(v) for v in rows["citizens"]],
            "Bevillingsprocent, nye": [
                fmt.percent(share(a, b))
                for a, b in zip(rows["new_granted"], rows["new_decided"], strict=True)
            ],
            "Boligafgørelser i udvalg": [
                fmt.percent(share(a, b))
                for a, b in zip(rows["housing_committee"], rows["housing"], strict=True)
            ],
            "Sagsbehandlingstid, median": [fmt.days(v) for v in rows["processing_days_median"]],
        }
    )
    order = rows["decisions"].astype(int).to_numpy().argsort(kind="stable")[::-1]
    return out.iloc[order].reset_index(drop=True)


def weighted_median(values: pd.Series, counts: pd.Series) -> float | None:
    """The median of values repeated counts times, interpolated like percentile_cont(0.5)."""
    pairs = sorted(
        (float(v), int(c)) for v, c in zip(values, counts, strict=True) if not is_missing(v) and c
    )
    n = sum(c for _, c in pairs)
    if n == 0:
        return None

    def nth(k: int) -> float:  # the k-th smallest value, 0-based
        seen = 0
        for v, c in pairs:
            seen += c
            if k < seen:
                return v
        raise IndexError(k)

    lower, upper = nth((n - 1) // 2), nth(n // 2)
    return (lower + upper) / 2


def processing_distribution(df: pd.DataFrame) -> pd.DataFrame:
    """social_processing_days in fixed buckets (0-14, 15-30, 31-60, 61-90, over 90 days), every
    bucket present, in order."""
    buckets = [name for _, name in PROCESSING_BUCKETS] + [PROCESSING_TAIL]
    counts = dict.fromkeys(buckets, 0)
    for days, n in zip(df["processing_days"], df["decisions"], strict=True):
        name = next((b for limit, b in PROCESSING_BUCKETS if days <= limit), PROCESSING_TAIL)
        counts[name] += int(n)
    return pd.DataFrame({"Sagsbehandlingstid": buckets, "Afgørelser": list(counts.values())})


def overdue_table(df: pd.DataFrame) -> pd.DataFrame:
    """list_followups_overdue for display."""
    return pd.DataFrame(
        {
            "Borger": df["citizen_id"].astype(str),
            "Indsats": df["offer_type_name"],
            "Tilbud": df["offer_name"].map(lambda v: fmt.DASH if is_missing(v) else v),
            "Planlagt opfølgning": df["next_followup_date"].map(short_date),
            "Dage over tid": [fmt.number(v) for v in df["days_overdue"]],
            "Seneste opfølgning": df["last_performed"].map(short_date),
            "Månedspris": [fmt.money(v) for v in df["monthly_price"]],
        }
    )


# ---------------------------------------------------------------- progression


def progression_table(
    progression: pd.DataFrame,
    attainment: pd.DataFrame,
    horizon: pd.DataFrame,
    dimension: str,
) -> pd.DataFrame:
    """One dimension (theme, offer_type or offer) of the three progression breakdowns side by side:
    progression and decline (over citizen-theme pairs), goals achieved, grants with a time-bound
    goal. A group missing from one breakdown shows '–' there."""
    keys: dict[str, str] = {}
    frames = {}
    for name, df in (("p", progression), ("a", attainment), ("h", horizon)):
        rows = df[df["dimension"] == dimension]
        frames[name] = {
            str(k): r for k, r in zip(rows["group_key"], rows.itertuples(), strict=True)
        }
        for k, n in zip(rows["group_key"], rows["group_name"], strict=True):
            keys.setdefault(str(k), n)

    def group_name(key: str, name: object) -> str:
        if dimension == "theme":
            return theme_label(key)
        if key == "":
            return NO_GRANT
        return str(name) if not is_missing(name) else key

    out = []
    for key, name in keys.items():
        p, a, h = frames["p"].get(key), frames["a"].get(key), frames["h"].get(key)
        out.append(
            {
                "key": key,
                DIMENSION_LABELS[dimension]: group_name(key, name),
                "Vurderede temaer": int(p.pairs) if p else 0,
                "Fremgang": share(p.improved, p.pairs) if p else None,
                "Tilbagegang": share(p.declined, p.pairs) if p else None,
                "Mål med frist": int(a.goals) if a else 0,
                "Mål nået": share(a.achieved, a.goals) if a else None,
                "Aktive bevillinger": int(h.grants) if h else 0,
                "Med tidsfastsatte mål": share(h.with_horizon, h.grants) if h else None,
                "Borgere": max(
                    int(p.citizens) if p else 0,
                    int(a.citizens) if a else 0,
                    int(h.citizens) if h else 0,
                ),
            }
        )
    frame = pd.DataFrame(out)
    if frame.empty:
        return frame
    return frame.sort_values(
        [DIMENSION_LABELS[dimension]], key=lambda s: s.str.lower()
    ).reset_index(drop=True)


GRANT_COLUMNS = ("Aktive bevillinger", "Med tidsfastsatte mål")


def progression_display(table: pd.DataFrame, with_grants: bool = True) -> pd.DataFrame:
    """progression_table with Danish-formatted counts and percentages (the key column dropped;
    without the grant columns for themes, which grants do not have)."""
    if table.empty:
        return table
    out = table.drop(columns=["key"]).copy()
    for col in ("Fremgang", "Tilbagegang", "Mål nået", "Med tidsfastsatte mål"):
        out[col] = [fmt.percent(v) for v in out[col]]
    for col in ("Vurderede temaer", "Mål med frist", "Aktive bevillinger", "Borgere"):
        out[col] = [fmt.number(v) for v in out[col]]
    return out if with_grants else out.drop(columns=list(GRANT_COLUMNS))


def group_progression(table: pd.DataFrame, key: str) -> pd.DataFrame:
    """One group's row of progression_table (e.g. one offer), formatted, without its name column;
    empty when the group has no assessments, goals or active grants."""
    if table.empty:
        return table
    row = table[table["key"] == str(key)]
    return progression_display(row).drop(columns=[table.columns[1]])


def next_step_text(row: pd.Series) -> str:
    """'Midlertidigt botilbud · typisk 64.612 kr./md.' or '–' for grants not on (or at the foot of)
    the indsatstrappe."""
    if is_missing(row.get("next_offer_type_name")):
        return fmt.DASH
    price = row.get("next_median_monthly_price")
    typical = "ingen aktive bevillinger" if is_missing(price) else f"typisk {fmt.money(price)}/md."
    return f"{row['next_offer_type_name']} · {typical}"


def signal_difference(row: pd.Series) -> float | None:
    """The grant's monthly price minus the typical price one step down (None when there is none)."""
    if is_missing(row.get("next_median_monthly_price")):
        return None
    return float(row["monthly_price"]) - float(row["next_median_monthly_price"])


def signal_summary(df: pd.DataFrame) -> dict:
    """What is in play: number of grants and citizens, their monthly price in total, and the sum
    of the differences to the typical price one step down (where there is one)."""
    diffs = [signal_difference(r) for _, r in df.iterrows()]
    known = [d for d in diffs if d is not None]
    return {
        "grants": len(df),
        "citizens": int(df["citizen_id"].nunique()) if len(df) else 0,
        "monthly_price": float(df["monthly_price"].sum()) if len(df) else 0.0,
        "with_next_step": len(known),
        "difference": float(sum(known)) if known else None,
    }


def themes_text(themes: object) -> str:
    """'egenomsorg, mobilitet' → 'Egenomsorg, Mobilitet'."""
    if is_missing(themes):
        return fmt.DASH
    return ", ".join(theme_label(t.strip()) for t in str(themes).split(","))


# Column widths (pixels) that keep the price columns of the signal list in view.
SIGNAL_WIDTHS = {
    "Borger": 110,
    "Indsats": 190,
    "Månedspris": 100,
    "Mål nået den": 95,
    "Næste trin ned": 190,
    "Typisk månedspris der": 125,
    "Forskel pr. måned": 110,
}


def signal_table(df: pd.DataFrame) -> pd.DataFrame:
    """list_adjustment_signals for display: who, the help and its price, when the goal was met, and
    the next step down the indsatstrappe with its typical price (what is in play) first; the offer
    and the themes last."""
    return pd.DataFrame(
        {
            "Borger": df["citizen_id"].astype(str),
            "Indsats": df["offer_type_name"],
            "Månedspris": [fmt.money(v) for v in df["monthly_price"]],
            "Mål nået den": df["achieved_on"].map(short_date),
            "Næste trin ned": df["next_offer_type_name"].map(
                lambda v: fmt.DASH if is_missing(v) else v
            ),
            "Typisk månedspris der": [fmt.money(v) for v in df["next_median_monthly_price"]],
            "Forskel pr. måned": [fmt.money(signal_difference(r)) for _, r in df.iterrows()],
            "Tilbud": df["offer_name"].map(lambda v: fmt.DASH if is_missing(v) else v),
            "Tema": [themes_text(v) for v in df["themes"]],
        }
    )


# ---------------------------------------------------------------- contracts


def coverage_table(df: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """One dimension (owner_type or offer_type) of social_contract_coverage_by_group in Danish."""
    rows = df[df["dimension"] == dimension]
    names = [
        label(OWNER_LABELS, k) if dimension == "owner_type" else n
        for k, n in zip(rows["group_key"], rows["group_name"], strict=True)
    ]
    return pd.DataFrame(
        {
            DIMENSION_LABELS[dimension]: names,
            "Eksterne bevillinger": [fmt.number(v) for v in rows["grants"]],
            "Med gyldig kontrakt": [fmt.number(v) for v in rows["covered"]],
            "Kontraktdækning": [
                fmt.percent(share(a, b))
                for a, b in zip(rows["covered"], rows["grants"], strict=True)
            ],
            "Månedspris i alt": [fmt.money(v) for v in rows["monthly_price_dkk"]],
            "Dækning vægtet med pris": [
                fmt.percent(share(a, b))
                for a, b in zip(
                    rows["covered_monthly_price_dkk"], rows["monthly_price_dkk"], strict=True
                )
            ],
        }
    )


def contracts_owner_table(df: pd.DataFrame) -> pd.DataFrame:
    """social_contracts_by_owner in Danish."""
    return pd.DataFrame(
        {
            "Ejerform": [label(OWNER_LABELS, k) for k in df["owner_type"]],
            "Gyldige kontrakter": [fmt.number(v) for v in df["contracts"]],
            "Med mål og progression": [
                fmt.percent(share(a, b))
                for a, b in zip(df["with_goals"], df["contracts"], strict=True)
            ],
            "Til genforhandling inden 90 dage": [fmt.number(v) for v in df["to_renegotiate"]],
            "Kontraktpris pr. måned i alt": [fmt.money(v) for v in df["monthly_price_dkk"]],
        }
    )


def missing_contract_reason(row: pd.Series) -> str:
    starts, expired = as_date(row.get("starts_on")), as_date(row.get("expired_on"))
    if starts is not None:
        return f"Ny kontrakt gælder fra {short_date(starts)}"
    if expired is not None:
        return f"Udløbet {short_date(expired)}"
    return "Ingen kontrakt"


def without_contract_table(df: pd.DataFrame) -> pd.DataFrame:
    """list_grants_without_contract for display."""
    return pd.DataFrame(
        {
            "Borger": df["citizen_id"].astype(str),
            "Status": [missing_contract_reason(r) for _, r in df.iterrows()],
            "Månedspris": [fmt.money(v) for v in df["monthly_price"]],
            "Tilbud": df["offer_name"],
            "Ejerform": [label(OWNER_LABELS, v) for v in df["owner_type"]],
            "Indsats": df["offer_type_name"],
            "Bevilget fra": df["start_date"].map(short_date),
        }
    )


def renegotiate_table(df: pd.DataFrame) -> pd.DataFrame:
    """list_contracts_to_renegotiate for display; an overdue renegotiation says so."""

    def when(days: object) -> str:
        if is_missing(days):
            return fmt.DASH
        days = int(days)
        if days < 0:
            return f"{fmt.number(-days)} dage over tid"
        return "i dag" if days == 0 else f"om {fmt.number(days)} dage"

    return pd.DataFrame(
        {
            "Borger": df["citizen_id"].map(lambda v: fmt.DASH if is_missing(v) else str(v)),
            "Genforhandles senest": df["renegotiate_by"].map(short_date),
            "Frist": [when(v) for v in df["days_to_renegotiate"]],
            "Tilbud": df["offer_name"].map(lambda v: fmt.DASH if is_missing(v) else v),
            "Ejerform": [
                label(OWNER_LABELS, v) if not is_missing(v) else UNKNOWN for v in df["owner_type"]
            ],
            "Kontraktpris pr. måned": [fmt.money(v) for v in df["contract_monthly_price"]],
            "Bevilget månedspris": [fmt.money(v) for v in df["grant_monthly_price"]],
            "Mål i kontrakten": ["Ja" if bool(v) else "Nej" for v in df["has_goals_annex"]],
            "Skabelon": [label(TEMPLATE_LABELS, v) for v in df["template"]],
        }
    )


# ---------------------------------------------------------------- offers


def offers_table(df: pd.DataFrame) -> pd.DataFrame:
    """social_offers as the offer picker: name, owner, type, citizens, places, price, spend."""
    return pd.DataFrame(
        {
            "Tilbud": df["offer_name"],
            "Ejerform": [label(OWNER_LABELS, v) for v in df["owner_type"]],
            "Indsatstype": df["offer_type_name"],
            "Borgere": [fmt.number(v) for v in df["citizens"]],
            "Pladser": [fmt.number(v) for v in df["places"]],
            "Månedspris i alt": [fmt.money(v) for v in df["monthly_price_dkk"]],
            "Forbrug år til dato": [fmt.money(v) for v in df["spend_ytd_dkk"]],
        }
    )


def top_offers(df: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The n offers with the largest monthly price of active grants, for the clickable bar chart
    (offer_id, a unique display name, the monthly price in kroner)."""
    top = df[df["monthly_price_dkk"] > 0].nlargest(n, "monthly_price_dkk")
    return pd.DataFrame(
        {
            "offer_id": top["offer_id"].astype(str),
            "Tilbud": [
                f"{name} ({oid})"
                for name, oid in zip(top["offer_name"], top["offer_id"], strict=True)
            ],
            "Månedspris i alt": top["monthly_price_dkk"].astype(float),
        }
    ).reset_index(drop=True)


def occupancy_text(offer: pd.Series) -> str:
    """Own offers: '12 af 14' (citizens of ours on the offer, approved places); external offers:
    '–' (other buyers share their places, so our citizens say nothing about occupancy)."""
    if offer["owner_type"] != "own" or is_missing(offer["places"]) or not offer["places"]:
        return fmt.DASH
    return f"{fmt.number(offer['citizens'])} af {fmt.number(offer['places'])}"


def price_delta(offer: pd.Series) -> float | None:
    """How much the offer's median monthly price differs from its offer type's (share)."""
    own, typ = offer["median_monthly_price"], offer["type_median_monthly_price"]
    if is_missing(own) or is_missing(typ) or not typ:
        return None
    return float(own) / float(typ) - 1


def offer_coverage(offer: pd.Series) -> float | None:
    """Contract coverage of the offer's active grants; only external offers are covered by the KPI."""
    if offer["owner_type"] == "own":
        return None
    return share(offer["covered"], offer["grants"])


def monthly_series(df: pd.DataFrame, value: str = "amount_dkk") -> pd.DataFrame:
    """year/month rows → a 'Måned' date column (first of month) for charts."""
    out = df.rename(columns={"offer_type_name": "Indsats"})
    out["Måned"] = [month_start(y, m) for y, m in zip(out["year"], out["month"], strict=True)]
    return out


def offer_citizens_table(
    df: pd.DataFrame, type_median: float | None, own: bool = False
) -> pd.DataFrame:
    """list_offer_citizens for display, each price against the offer type's median; own offers
    need no contract, so their contract column says so."""
    return pd.DataFrame(
        {
            "Borger": df["citizen_id"].astype(str),
            "Indsats": df["offer_type_name"],
            "Bevilget fra": df["start_date"].map(short_date),
            "Månedspris": [fmt.money(v) for v in df["monthly_price"]],
            "I forhold til typens median": [
                fmt.DASH
                if is_missing(type_median) or not type_median
                else f"{'+' if v >= type_median else ''}{fmt.percent(v / type_median - 1, 0)}"
                for v in df["monthly_price"]
            ],
            "Forbrug år til dato": [fmt.money(v) for v in df["spend_ytd_dkk"]],
            "Gyldig kontrakt": [
                "Eget tilbud" if own else ("Ja" if v else "Nej") for v in df["has_valid_contract"]
            ],
            "Næste opfølgning": df["next_followup_date"].map(short_date),
        }
    )


def location_text(offer: pd.Series, home: int) -> str:
    """Where an offer is: the municipality's name, 'i kommunen' at home, or the code."""
    code = offer["location_municipality_code"]
    if is_missing(code):
        return UNKNOWN
    if int(code) == int(home):
        return "i kommunen"
    name = offer["location_name"]
    return f"i {name}" if not is_missing(name) else f"i kommune {int(code)}"


def find_row(df: pd.DataFrame, column: str, value: object) -> pd.Series | None:
    """The row whose column equals value, or None (how a URL id is checked against real data)."""
    if not valid_id(value) or df.empty:
        return None
    hit = df[df[column].astype(str) == value]
    return None if hit.empty else hit.iloc[0]


# ---------------------------------------------------------------- citizens


def citizens_table(df: pd.DataFrame) -> pd.DataFrame:
    """list_citizens as the citizen picker."""
    return pd.DataFrame(
        {
            "Borger": df["citizen_id"].astype(str),
            "Målgruppe": [label(TARGET_GROUP_LABELS, v) for v in df["target_group"]],
            "Aktive bevillinger": [fmt.number(v) for v in df["active_grants"]],
            "Månedspris i alt": [fmt.money(v) for v in df["active_monthly_price"]],
            "Årlig udgift": [fmt.money(v * 12) for v in df["active_monthly_price"]],
            "Seneste ophør": df["last_ended"].map(short_date),
        }
    )


EXPENSIVE_DKK = 2_000_000  # a year, as in the KPI expensive_citizens


def active_citizens(df: pd.DataFrame, expensive_only: bool = False) -> pd.DataFrame:
    """The rows of list_citizens with at least one active grant, in the query's order; with
    expensive_only, those whose active grants cost over 2 mio. kr. a year (monthly price × 12), the
    citizens the KPI expensive_citizens counts."""
    keep = df["active_grants"] > 0
    if expensive_only:
        keep &= df["active_monthly_price"] * 12 > EXPENSIVE_DKK
    return df[keep].reset_index(drop=True)


def citizen_summary(grants: pd.DataFrame) -> dict:
    """Active grants, their monthly price and yearly cost (monthly price × 12, as in
    expensive_citizens), the highest active staircase step, and spend to date."""
    active = grants[grants["active"] == 1]
    steps = active["staircase_step"].dropna()
    monthly = float(active["monthly_price"].sum()) if len(active) else 0.0
    return {
        "active_grants": len(active),
        "monthly_price": monthly,
        "yearly_price": monthly * 12,
        "highest_step": int(steps.max()) if len(steps) else None,
        "spend_ytd": float(grants["spend_ytd_dkk"].sum()) if len(grants) else 0.0,
    }


def timeline_frame(grants: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Grants as bars from start to end (open-ended and future ends drawn to the reference date)."""
    rows = []
    for _, g in grants.iterrows():
        start, end = as_date(g["start_date"]), as_date(g["end_date"])
        shown_end = as_of if end is None or end > as_of else end
        rows.append(
            {
                "Indsats": g["offer_type_name"],
                "Tilbud": fmt.DASH if is_missing(g["offer_name"]) else g["offer_name"],
                "Fra": pd.Timestamp(start),
                "Til": pd.Timestamp(shown_end),
                "Periode": f"{short_date(start)} – {short_date(end) if end else 'åben'}",
                "Månedspris": fmt.money(g["monthly_price"]),
            }
        )
    return pd.DataFrame(rows)


def timeline_height(grants: pd.DataFrame) -> int:
    """Pixels for the grant timeline: one row per offer type plus room for axis and legend."""
    return 60 + 36 * int(grants["offer_type_name"].nunique())


def grants_table(grants: pd.DataFrame) -> pd.DataFrame:
    """detail_citizen_grants for display, newest first is left to the caller's order."""
    return pd.DataFrame(
        {
            "Indsats": grants["offer_type_name"],
            "Trin": [fmt.DASH if is_missing(v) else str(int(v)) for v in grants["staircase_step"]],
            "Tilbud": grants["offer_name"].map(lambda v: fmt.DASH if is_missing(v) else v),
            "Ejerform": [
                label(OWNER_LABELS, v) if not is_missing(v) else fmt.DASH
                for v in grants["owner_type"]
            ],
            "Fra": grants["start_date"].map(short_date),
            "Til": grants["end_date"].map(lambda v: "åben" if is_missing(v) else short_date(v)),
            "Månedspris": [fmt.money(v) for v in grants["monthly_price"]],
            "Forbrug år til dato": [fmt.money(v) for v in grants["spend_ytd_dkk"]],
            "Aktiv": ["Ja" if v else "Nej" for v in grants["active"]],
            "Næste opfølgning": grants["next_followup_date"].map(short_date),
        }
    )


def decisions_table(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Afgjort": df["decision_date"].map(short_date),
            "Art": [label(KIND_LABELS, v) for v in df["kind"]],
            "Udfald": [label(OUTCOME_LABELS, v) for v in df["outcome"]],
            "Indsats": df["offer_type_name"],
            "Truffet af": [label(DECIDED_BY_LABELS, v) for v in df["decided_by"]],
            "Sagsbehandlingstid": [fmt.days(v) for v in df["processing_days"]],
        }
    )


def contracts_table(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Tilbud": df["offer_name"].map(lambda v: fmt.DASH if is_missing(v) else v),
            "Gyldig fra": df["valid_from"].map(short_date),
            "Gyldig til": df["valid_to"].map(
                lambda v: "indtil videre" if is_missing(v) else short_date(v)
            ),
            "Gyldig nu": ["Ja" if v else "Nej" for v in df["valid_on_as_of"]],
            "Kontraktpris pr. måned": [fmt.money(v) for v in df["monthly_price"]],
            "Mål i kontrakten": ["Ja" if bool(v) else "Nej" for v in df["has_goals_annex"]],
            "Genforhandles senest": df["renegotiate_by"].map(short_date),
            "Skabelon": [label(TEMPLATE_LABELS, v) for v in df["template"]],
        }
    )


def goals_table(df: pd.DataFrame) -> pd.DataFrame:
    def status(row: pd.Series) -> str:
        if is_missing(row["latest_level"]):
            return "Ingen vurdering"
        return "Nået" if row["met"] else "Ikke nået"

    return pd.DataFrame(
        {
            "Tema": [theme_label(v) for v in df["theme"]],
            "Mål": [label(GOAL_TYPE_LABELS, v) for v in df["goal_type"]],
            "Udgangspunkt": [level_label(v) for v in df["baseline_level"]],
            "Målniveau": [level_label(v) for v in df["target_level"]],
            "Sat": df["set_on"].map(short_date),
            "Frist": df["target_date"].map(
                lambda v: "ingen frist" if is_missing(v) else short_date(v)
            ),
            "Seneste vurdering": [
                fmt.DASH if is_missing(lv) else f"{level_label(lv)} ({short_date(on)})"
                for lv, on in zip(df["latest_level"], df["latest_assessed_on"], strict=True)
            ],
            "Status": [status(r) for _, r in df.iterrows()],
        }
    )


def assessments_frame(df: pd.DataFrame) -> pd.DataFrame:
    """detail_citizen_assessments for the level chart: Danish theme, date, level."""
    return pd.DataFrame(
        {
            "Tema": [theme_label(v) for v in df["theme"]],
            "Dato": pd.to_datetime(df["assessed_on"]),
            "Funktionsniveau": df["level"].astype(int),
        }
    )


def citizen_signals(
    citizen_id: str,
    adjustment: pd.DataFrame,
    overdue: pd.DataFrame,
    without_contract: pd.DataFrame,
) -> list[str]:
    """The signals that concern one citizen, in Danish, taken from the same lists the Progression,
    Visitation and Kontrakter pages show (so the numbers agree by construction)."""
    out = []
    for _, r in adjustment[adjustment["citizen_id"] == citizen_id].iterrows():
        nxt = next_step_text(r)
        out.append(
            f"**Tilpasningssignal:** udviklingsmål nået {short_date(r['achieved_on'])} "
            f"({themes_text(r['themes'])}), men {r['offer_type_name']} til "
            f"{fmt.money(r['monthly_price'])}/md. er ikke tilpasset siden."
            + (f" Næste trin ned: {nxt}" if nxt != fmt.DASH else "")
        )
    for _, r in overdue[overdue["citizen_id"] == citizen_id].iterrows():
        out.append(
            f"**Opfølgning over tid:** {r['offer_type_name']} skulle være fulgt op "
            f"{short_date(r['next_followup_date'])} ({fmt.number(r['days_overdue'])} dage siden)."
        )
    for _, r in without_contract[without_contract["citizen_id"] == citizen_id].iterrows():
        out.append(
            f"**Ingen gyldig kontrakt:** {r['offer_type_name']} på {r['offer_name']} "
            f"({missing_contract_reason(r).lower()})."
        )
    return out


# ---------------------------------------------------------------- exports (numbers as numbers)


def _dates(s: pd.Series) -> list[date | None]:
    return [as_date(v) for v in s]


def signal_export(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """list_adjustment_signals for Excel: Danish headers, kroner and dates as values; with units."""
    frame = pd.DataFrame(
        {
            "Borger": df["citizen_id"].astype(str),
            "Bevilling": df["grant_id"].astype(str),
            "Indsats": df["offer_type_name"],
            "Tilbud": df["offer_name"],
            "Månedspris": df["monthly_price"].astype(float),
            "Mål nået den": _dates(df["achieved_on"]),
            "Tema": [themes_text(v) for v in df["themes"]],
            "Næste trin ned": df["next_offer_type_name"],
            "Typisk månedspris der": df["next_median_monthly_price"].astype(float),
            "Forskel pr. måned": [signal_difference(r) for _, r in df.iterrows()],
        }
    )
    units = {
        "Månedspris": "kr.",
        "Typisk månedspris der": "kr.",
        "Forskel pr. måned": "kr.",
        "Mål nået den": "date",
    }
    return frame, units


def overdue_export(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    frame = pd.DataFrame(
        {
            "Borger": df["citizen_id"].astype(str),
            "Bevilling": df["grant_id"].astype(str),
            "Indsats": df["offer_type_name"],
            "Tilbud": df["offer_name"],
            "Planlagt opfølgning": _dates(df["next_followup_date"]),
            "Dage over tid": df["days_overdue"].astype(int),
            "Seneste opfølgning": _dates(df["last_performed"]),
            "Månedspris": df["monthly_price"].astype(float),
        }
    )
    units = {
        "Planlagt opfølgning": "date",
        "Seneste opfølgning": "date",
        "Dage over tid": "count",
        "Månedspris": "kr.",
    }
    return frame, units


def without_contract_export(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    frame = pd.DataFrame(
        {
            "Borger": df["citizen_id"].astype(str),
            "Bevilling": df["grant_id"].astype(str),
            "Status": [missing_contract_reason(r) for _, r in df.iterrows()],
            "Månedspris": df["monthly_price"].astype(float),
            "Tilbud": df["offer_name"],
            "Ejerform": [label(OWNER_LABELS, v) for v in df["owner_type"]],
            "Indsats": df["offer_type_name"],
            "Bevilget fra": _dates(df["start_date"]),
        }
    )
    return frame, {"Månedspris": "kr.", "Bevilget fra": "date"}


def renegotiate_export(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    frame = pd.DataFrame(
        {
            "Borger": df["citizen_id"],
            "Kontrakt": df["contract_id"].astype(str),
            "Genforhandles senest": _dates(df["renegotiate_by"]),
            "Dage til fristen": df["days_to_renegotiate"].astype(int),
            "Tilbud": df["offer_name"],
            "Kontraktpris pr. måned": df["contract_monthly_price"].astype(float),
            "Bevilget månedspris": df["grant_monthly_price"].astype(float),
            "Mål i kontrakten": ["Ja" if bool(v) else "Nej" for v in df["has_goals_annex"]],
        }
    )
    units = {
        "Genforhandles senest": "date",
        "Dage til fristen": "count",
        "Kontraktpris pr. måned": "kr.",
        "Bevilget månedspris": "kr.",
    }
    return frame, units
