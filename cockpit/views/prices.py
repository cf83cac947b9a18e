"""Økonomi: price and quantity against last year, and spend by owner type and provider
(pages/oekonomi.py); pure."""

from __future__ import annotations

import pandas as pd

from cockpit.downloads import Table
from cockpit.metrics import REGISTRY
from cockpit.periods import Scope
from cockpit.present import fmt
from cockpit.present.labels import NO_OFFER, OWNER_LABELS
from cockpit.views.common import hidden_total, num, of_type


def _cell(df: pd.DataFrame, code: str, column: str) -> float | None:
    """0 when the offer type has no row; None when its value is hidden."""
    if code not in df.index:
        return 0.0
    return num(df.at[code, column])


def price_quantity(
    this: pd.DataFrame, last: pd.DataFrame, this_scope: Scope, last_scope: Scope
) -> pd.DataFrame:
    """Per offer type: full-year persons Q (grant-days / days in the year), unit cost P (spend /
    grant-days × days in the year, the registry's unit_cost) and spend S = P × Q, this year and in
    the same period last year, with the change split as
        ΔS = ΔQ × P(last year)  +  ΔP × Q(this year)  +  other.
    A type without grant-days in one of the years takes the other year's unit cost (so a new type
    is all quantity); spend without any grant-days is `other`. Hidden inputs give hidden (None)
    results for that offer type."""
    a = this.set_index("offer_type_code")
    b = last.set_index("offer_type_code")
    rows = []
    for code in sorted(set(a.index) | set(b.index)):
        s1, s0 = _cell(a, code, "spend_dkk"), _cell(b, code, "spend_dkk")
        d1, d0 = _cell(a, code, "grant_days"), _cell(b, code, "grant_days")
        row = {"offer_type_code": code, "spend_last": s0, "spend_this": s1}
        if None in (s1, s0, d1, d0):
            rows.append(row)
            continue
        q1, q0 = d1 / this_scope.days_in_year, d0 / last_scope.days_in_year
        p1 = s1 / q1 if q1 else None
        p0 = s0 / q0 if q0 else None
        base0 = p0 if p0 is not None else p1
        base1 = p1 if p1 is not None else base0
        quantity = (q1 - q0) * base0 if base0 is not None else 0.0
        price = (base1 - base0) * q1 if base0 is not None else 0.0
        row |= {
            "persons_last": q0,
            "persons_this": q1,
            "unit_cost_last": p0,
            "unit_cost_this": p1,
            "change": s1 - s0,
            "quantity_effect": quantity,
            "price_effect": price,
            # What is left is rounding noise unless spend had no grant-days behind it.
            "other_effect": round(s1 - s0 - quantity - price, 2) + 0.0,
        }
        rows.append(row)
    columns = [
        "offer_type_code",
        "persons_last",
        "persons_this",
        "unit_cost_last",
        "unit_cost_this",
        "spend_last",
        "spend_this",
        "change",
        "quantity_effect",
        "price_effect",
        "other_effect",
    ]
    df = pd.DataFrame(rows, columns=columns).astype({c: "float64" for c in columns[1:]})
    measures = df[["spend_last", "spend_this", "persons_last", "persons_this"]]
    df = df[(measures.fillna(0).ne(0) | measures.isna()).any(axis=1)]
    order = df["change"].abs().fillna(-1)
    return df.loc[order.sort_values(ascending=False).index].reset_index(drop=True)


QUANTITY_LABEL = "Heraf flere eller færre helårspersoner"


PRICE_LABEL = "Heraf højere eller lavere udgift pr. helårsperson"


OTHER_LABEL = "Heraf udgifter uden bevillingsdage"


QUANTITY_EFFECT = "Flere eller færre helårspersoner"


PRICE_EFFECT = "Højere eller lavere udgift pr. helårsperson"


def price_quantity_table(
    df: pd.DataFrame, names: dict[str, str], this_scope: Scope, last_scope: Scope
) -> Table:
    y1, y0 = this_scope.year, last_scope.year
    unit = REGISTRY["unit_cost"].label
    frame = pd.DataFrame(
        {
            "Indsatstype": [names.get(c, c) for c in df["offer_type_code"]],
            f"Helårspersoner {y0}": df["persons_last"],
            f"Helårspersoner {y1}": df["persons_this"],
            f"{unit} {y0}": df["unit_cost_last"],
            f"{unit} {y1}": df["unit_cost_this"],
            f"Forbrug {y0}": df["spend_last"],
            f"Forbrug {y1}": df["spend_this"],
            "Ændring i forbrug": df["change"],
            QUANTITY_LABEL: df["quantity_effect"],
            PRICE_LABEL: df["price_effect"],
            OTHER_LABEL: df["other_effect"],
        }
    )
    if frame[OTHER_LABEL].fillna(0).abs().max() < 1:
        frame = frame.drop(columns=OTHER_LABEL)
    units = {c: "mio" for c in frame.columns if c != "Indsatstype"}
    units.update(
        {
            f"Helårspersoner {y0}": "decimal",
            f"Helårspersoner {y1}": "decimal",
            f"{unit} {y0}": "kr.",
            f"{unit} {y1}": "kr.",
        }
    )
    return Table("Pris og mængde", frame, units)


def price_quantity_effects(df: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Long format for the chart: offer type, effect (quantity / price), amount in millions."""
    rows = []
    for r in df.dropna(subset=["change"]).itertuples():
        name = names.get(r.offer_type_code, r.offer_type_code)
        rows.append((name, QUANTITY_EFFECT, r.quantity_effect / 1e6))
        rows.append((name, PRICE_EFFECT, r.price_effect / 1e6))
    return pd.DataFrame(rows, columns=["offer_type", "effect", "amount_mio"])


def price_quantity_summary(df: pd.DataFrame) -> dict[str, float] | None:
    """Totals of the decomposition; None when an offer type's figures are hidden (their totals
    would give them away)."""
    keys = ("spend_last", "spend_this", "change", "quantity_effect", "price_effect")
    if df[list(keys)].isna().any().any():
        return None
    return {k: float(df[k].sum()) for k in keys}


def price_quantity_sentence(summary: dict[str, float] | None, this: Scope, last: Scope) -> str:
    """The decomposition in one plain Danish sentence."""
    period = f"1. januar – {fmt.long_date(this.as_of)}"
    if summary is None:
        return (
            "Nogle indsatstyper har under 5 borgere, så ændringen kan ikke opdeles samlet; se "
            "tabellen for de øvrige."
        )
    change, quantity, price = summary["change"], summary["quantity_effect"], summary["price_effect"]
    if summary["spend_last"] == 0:
        return f"Der er ingen bogførte udgifter i samme periode {last.year} at sammenligne med."
    if summary["spend_this"] == 0:
        return f"Der er endnu ingen bogførte udgifter i perioden {period}."
    if change == 0 and quantity == 0 and price == 0:
        return f"Forbruget {period} er det samme som i samme periode {last.year}."
    verb = "steget" if change >= 0 else "faldet"
    more = "flere" if quantity >= 0 else "færre"
    higher = "højere" if price >= 0 else "lavere"
    return (
        f"Forbruget {period} er {verb} med {fmt.money_compact(abs(change))} i forhold til samme "
        f"periode {last.year}: {fmt.money_compact(abs(quantity))} skyldes {more} helårspersoner, "
        f"og {fmt.money_compact(abs(price))} skyldes {higher} udgift pr. helårsperson."
    )


def _citizens(df: pd.DataFrame) -> list:
    """The citizens column as shown: '<5' where the row was suppressed for being small."""
    marker = df["suppressed"] if "suppressed" in df.columns else pd.Series("", index=df.index)
    return [fmt.SMALL if m == fmt.SMALL else n for m, n in zip(marker, df["citizens"], strict=True)]


def owner_table(frame: pd.DataFrame) -> Table:
    """econ_spend_by_owner: spend to date by the offer's owner type and its share of all spend."""
    df = frame.copy()
    df["owner"] = df["owner_type"].map(OWNER_LABELS).fillna(NO_OFFER)
    df["order"] = df["owner"].map({o: i for i, o in enumerate([*OWNER_LABELS.values(), NO_OFFER])})
    df = df.sort_values("order")
    total = hidden_total(df["spend_dkk"])
    out = pd.DataFrame(
        {
            "Ejerform": list(df["owner"]),
            REGISTRY["spend_ytd"].label: df["spend_dkk"].to_numpy(),
            "Andel af forbruget": (df["spend_dkk"] / total).to_numpy() if total else None,
        }
    )
    return Table(
        "Efter ejerform", out, {REGISTRY["spend_ytd"].label: "mio", "Andel af forbruget": "share"}
    )


def owner_bars(t: Table) -> pd.DataFrame:
    return pd.DataFrame(
        {"owner": t.frame["Ejerform"], "spend_mio": t.frame[REGISTRY["spend_ytd"].label] / 1e6}
    ).dropna()


def provider_table(frame: pd.DataFrame, names: dict[str, str], offer_type: str | None) -> Table:
    """econ_spend_by_provider: spend to date per offer (provider) and offer type, largest first."""
    df = of_type(frame, offer_type).sort_values("spend_dkk", ascending=False, na_position="last")
    out = pd.DataFrame(
        {
            "Tilbud": list(df["offer_name"]),
            "Ejerform": [OWNER_LABELS.get(o, NO_OFFER) for o in df["owner_type"]],
            "Indsatstype": [names.get(c, c) for c in df["offer_type_code"]],
            REGISTRY["spend_ytd"].label: df["spend_dkk"].to_numpy(),
            "Borgere": _citizens(df),
        }
    )
    return Table("Pr. tilbud", out, {REGISTRY["spend_ytd"].label: "mio", "Borgere": "count"})


def provider_bars(t: Table, top: int = 15) -> pd.DataFrame:
    """The `top` largest providers (offer and offer type) in millions, for a bar chart."""
    df = pd.DataFrame(
        {
            "provider": [
                f"{name} ({kind})"
                for name, kind in zip(t.frame["Tilbud"], t.frame["Indsatstype"], strict=True)
            ],
            "spend_mio": t.frame[REGISTRY["spend_ytd"].label] / 1e6,
        }
    ).dropna()
    return df.head(top)
