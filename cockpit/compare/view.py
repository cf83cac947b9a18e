"""What the Sammenligning page and `compare` (without --json) show: Danish tables, sentences, the
map of Denmark. Pure (no Streamlit, no SQL): frames come from report, through the gateway."""

from __future__ import annotations

import functools
import json
import math

import altair as alt
import pandas as pd

from cockpit import suppress
from cockpit.compare import measures, peers, public
from cockpit.compare.report import DATA, Comparison
from cockpit.downloads import Table
from cockpit.present import (
    charts,  # noqa: F401  (registers the cockpit theme: Danish locale)
    fmt,
)

MAP_SOURCE = "Kommunegrænser: DAGI"
PUBLIC_LABEL = "Offentlige tal fra Danmarks Statistik (REGK31)"
GROUPS = ("Vores kommune", "Sammenligningskommune", "Øvrige kommuner")
LEGEND_FORMAT = {"kr.": ",.0f", "per 1.000": ",.1f", "share": ".0%"}
OUTLINE = {"Vores kommune": ("#000000", 3.0), "Sammenligningskommune": ("#D55E00", 2.0)}


def _value(unit: str, v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return fmt.DASH
    if unit == "kr.":
        return fmt.money(v)
    if unit == "per 1.000":
        return fmt.number(v, 1)
    return fmt.value(unit, v)


def own_name(c: Comparison) -> str:
    code = c.scope.municipality
    if code in peers.TWINS:
        return "Demokommune"
    return peers.names().get(code, str(code))


def twin_note(c: Comparison) -> str | None:
    """For the demo: which real municipality's structural features Demokommune borrows."""
    twin = peers.TWINS.get(c.scope.municipality)
    if twin is None:
        return None
    return (
        f"Demokommune låner de strukturelle træk fra **{peers.names()[twin]} Kommune** "
        f"({twin}; {fmt.number(c.features['population_2022'])} indbyggere i 2022), som har en "
        "tilsvarende størrelse. Sammenligningskommunernes tal er syntetiske og findes kun som "
        "aggregater."
    )


def source_label(c: Comparison, code: int) -> str:
    src = c.sources.get(code)
    if src is None:
        return "Ikke i databasen"
    return "Kommunens data" if src == DATA else str(src)


def peer_table(c: Comparison) -> Table:
    g = c.peer_group
    frame = pd.DataFrame(
        {
            "Kommune": [
                f"{n} ({k})" for k, n in zip(g["municipality_code"], g["name"], strict=True)
            ],
            "Afstand": [fmt.number(d, 2) for d in g["distance"]],
            "Socioøkonomisk indeks": [fmt.number(v, 2) for v in g["socio_index"]],
            "Indbyggere 2022": g["log_population"].map(math.exp).round(),
            "Indbyggere pr. km²": g["density"],
            "Tallene er": [source_label(c, int(k)) for k in g["municipality_code"]],
        }
    )
    units = {"Indbyggere 2022": "count", "Indbyggere pr. km²": "count"}
    return Table("Sammenligningskommuner", frame, units)


def peer_sentence(c: Comparison) -> str:
    f = c.features
    shown = ", ".join(c.peer_group["name"].head(3))
    return (
        f"De 10 kommuner, der ligner {own_name(c)} mest på socioøkonomisk indeks "
        f"({fmt.number(f['socio_index'], 2)}, {f['socio_index_year']}), indbyggertal og "
        f"befolkningstæthed. Nærmest er {shown}."
    )


def summary_table(c: Comparison) -> Table:
    s = c.summary
    frame = pd.DataFrame(
        {
            "Nøgletal": s["label"],
            own_name(c): [_value(u, v) for u, v in zip(s["unit"], s["value"], strict=True)],
            "Sammenligningskommuner (median)": [
                _value(u, v) for u, v in zip(s["unit"], s["peer_median"], strict=True)
            ],
            "Hele landet": [_value(u, v) for u, v in zip(s["unit"], s["national"], strict=True)],
        }
    )
    return Table("Sammenligning", frame)


def split_sentence(c: Comparison) -> str:
    """The gap to the peers in plain Danish: how much is more (or fewer) citizens, how much is a
    higher (or lower) spend per citizen; the two parts add up to the whole gap."""
    s = c.split
    if "gap" not in s or any(math.isnan(s[k]) for k in ("gap", "quantity", "price")):
        return (
            "Forskellen kan ikke opdeles: der mangler tal for kommunen eller dens "
            "sammenligningskommuner, eller tallene bygger på færre end 5 borgere."
        )
    more = "mere" if s["gap"] >= 0 else "mindre"
    many = "Flere" if s["q"] >= s["q_ref"] else "Færre"
    dear = "højere" if s["p"] >= s["p_ref"] else "lavere"
    return (
        f"{own_name(c)} bruger **{fmt.money(abs(s['gap']))} {more} pr. 18-64-årig** end "
        f"sammenligningskommunerne tilsammen. {many} borgere pr. 1.000 18-64-årige "
        f"({fmt.number(s['q'], 1)} mod {fmt.number(s['q_ref'], 1)}) trækker "
        f"**{fmt.money(abs(s['quantity']))} {'op' if s['quantity'] >= 0 else 'ned'}** (mængde), og "
        f"en {dear} udgift pr. borger ({fmt.money(s['p'])} mod {fmt.money(s['p_ref'])}) trækker "
        f"**{fmt.money(abs(s['price']))} {'op' if s['price'] >= 0 else 'ned'}** (pris). "
        "De to dele giver tilsammen hele forskellen."
    )


def split_table(c: Comparison) -> Table:
    s = c.split
    frame = pd.DataFrame(
        {
            "": ["Borgere pr. 1.000 18-64-årige", "Forbrug pr. borger", "Forbrug pr. 18-64-årig"],
            own_name(c): [s.get("q"), s.get("p"), s.get("spend_per_18_64")],
            "Sammenligningskommunerne tilsammen": [
                s.get("q_ref"),
                s.get("p_ref"),
                s.get("spend_per_18_64_ref"),
            ],
        }
    )
    for col in frame.columns[1:]:
        frame[col] = [
            _value(u, v) for u, v in zip(("per 1.000", "kr.", "kr."), frame[col], strict=True)
        ]
    return Table("Mængde og pris", frame)


def expected_sentence(c: Comparison) -> str:
    actual, expected = c.actual_spend, c.expected_spend
    if actual is None or not expected:
        return "Der er ingen udgifter eller helårspersoner at beregne en forventet udgift ud fra."
    dev = actual - expected
    word = "mere" if dev >= 0 else "mindre"
    return (
        f"Med landets udgift pr. helårsperson for hver indsatstype og kommunens egne helårspersoner "
        f"ville udgiften være **{fmt.money_compact(expected)}**, og den faktiske udgift er "
        f"**{fmt.money_compact(actual)}**: **{fmt.money_compact(abs(dev))} ({fmt.percent(abs(dev) / expected)}) "
        f"{word}** end landet for samme sammensætning af indsatser."
    )


def expected_table(c: Comparison, names: dict[str, str], hide_small: bool) -> Table:
    e = c.expected.copy()
    if hide_small:
        # Rows behind 1-4 citizens hidden, and one more where a single hidden row could be
        # worked out from the totals in the sentence above (secondary suppression).
        e = suppress.frame(e)
    frame = pd.DataFrame(
        {
            "Indsatstype": [names.get(k, k) for k in e["offer_type_code"]],
            "Helårspersoner": e["full_year_persons"],
            "Landets udgift pr. helårsperson": e["national_unit_cost"],
            "Forventet udgift": e["expected_dkk"],
            "Faktisk udgift": e["actual_dkk"],
            "Afvigelse": e["actual_dkk"] - e["expected_dkk"],
        }
    )
    units = {k: "kr." for k in frame.columns[2:]} | {"Helårspersoner": "decimal"}
    return Table("Forventet udgift", frame, units)


def unit_cost_table(c: Comparison, names: dict[str, str]) -> Table:
    u = c.unit_cost
    frame = pd.DataFrame(
        {
            "Indsatstype": [names.get(k, k) for k in u["offer_type_code"]],
            own_name(c): u["value"],
            "Sammenligningskommuner (median)": u["peer_median"],
            "Hele landet": u["national"],
        }
    )
    return Table("Udgift pr. helårsperson", frame, {k: "kr." for k in frame.columns[1:]})


# ---------------------------------------------------------------- map


@functools.cache
def _features() -> list:
    """The 98 boundaries as GeoJSON features (read once per process; never modified)."""
    text = (peers.REFERENCE / "municipalities.geojson").read_text(encoding="utf-8")
    return json.loads(text)["features"]


PUBLIC_KEY = "public_regk31"
PUBLIC_MAP_LABEL = "Nettodriftsudgift pr. indbygger, 5.38 (offentlige tal, Danmarks Statistik)"


def map_options(figures: pd.DataFrame) -> dict[str, str]:
    """What the map can be coloured by: every measure, and the fetched public figures when there
    are any (then all 98 municipalities have a value even where the database holds only one)."""
    options = {m.key: m.label for m in measures.MEASURES}
    if not figures.empty:
        options[PUBLIC_KEY] = PUBLIC_MAP_LABEL
    return options


def _label_unit(key: str) -> tuple[str, str]:
    if key == PUBLIC_KEY:
        return PUBLIC_MAP_LABEL, "kr."
    m = measures.BY_KEY[key]
    return m.label, m.unit


def map_frame(c: Comparison, key: str, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per real municipality: code, name, value (small numbers hidden), group. The demo's
    own values are drawn on the municipality it borrows its features from (not for public
    figures: those are the real municipality's own)."""
    code = c.scope.municipality
    twin = peers.TWINS.get(code, code)
    s = peers.structure()
    if key == PUBLIC_KEY:
        f = figures if figures is not None else pd.DataFrame()
        values = pd.Series(
            f.get("dkk_per_inhabitant", []).tolist(),
            index=f.get("municipality_code", pd.Series(dtype=int)).astype(int).tolist(),
            dtype=float,
        )
    else:
        values = c.values[key] if key in c.values else pd.Series(dtype=float)
    out = pd.DataFrame({"municipality_code": s["municipality_code"], "name": s["name"]})
    out["value"] = out["municipality_code"].map(values)
    if twin != code and key != PUBLIC_KEY:
        out.loc[out["municipality_code"] == twin, "value"] = values.get(code, float("nan"))
        out.loc[out["municipality_code"] == twin, "name"] = (
            f"Demokommune (som {peers.names()[twin]})"
        )
    group = pd.Series(GROUPS[2], index=out.index)
    group[out["municipality_code"].isin(c.peers)] = GROUPS[1]
    group[out["municipality_code"] == twin] = GROUPS[0]
    out["group"] = group
    return out


def map_table(c: Comparison, key: str, figures: pd.DataFrame | None = None) -> Table:
    label, unit = _label_unit(key)
    f = map_frame(c, key, figures)
    order = {g: i for i, g in enumerate(GROUPS)}
    f = f.sort_values(by=["group", "name"], key=lambda s: s.map(order) if s.name == "group" else s)
    frame = pd.DataFrame(
        {
            "Kommune": f["name"],
            "Gruppe": f["group"],
            label: [_value(unit, v) for v in f["value"]],
        }
    )
    return Table(label[:31], frame)


GEO_DATA = "kommunegraenser"


def map_spec(c: Comparison, key: str, figures: pd.DataFrame | None = None) -> dict:
    """A choropleth of Denmark coloured by the measure, our municipality and its peers outlined, as
    a Vega-Lite spec. The boundaries are added to the finished spec as a named dataset: passed
    through Altair, the 121 KB of coordinates would be walked, hashed and validated on every run."""
    label, unit = _label_unit(key)
    frame = map_frame(c, key, figures)
    frame["shown"] = [_value(unit, v) for v in frame["value"]]
    lookup = alt.LookupData(
        data=frame, key="municipality_code", fields=["name", "value", "shown", "group"]
    )
    base = (
        alt.Chart(alt.Data(name=GEO_DATA))
        .transform_lookup(lookup="properties.kommunekode", from_=lookup)
        .project(type="mercator")
    )
    fill = base.mark_geoshape(stroke="#ffffff", strokeWidth=0.4).encode(
        color=alt.Color(
            "value:Q",
            title=label,
            scale=alt.Scale(scheme="blues"),
            legend=alt.Legend(orient="bottom", gradientLength=260, format=LEGEND_FORMAT[unit]),
        ),
        tooltip=[
            alt.Tooltip("name:N", title="Kommune"),
            alt.Tooltip("shown:N", title=label),
            alt.Tooltip("group:N", title="Gruppe"),
        ],
    )
    layers = [fill]
    for group, (colour, width) in OUTLINE.items():
        layers.append(
            base.transform_filter(alt.datum.group == group).mark_geoshape(
                filled=False, stroke=colour, strokeWidth=width
            )
        )
    spec = alt.layer(*layers).properties(height=460).to_dict(validate=False)
    spec.setdefault("datasets", {})[GEO_DATA] = _features()
    return spec


def map_legend() -> str:
    return (
        "Sort kant: vores kommune. Orange kant: de 10 sammenligningskommuner. Grå: ingen tal "
        f"eller skjult (færre end 5 borgere). {MAP_SOURCE}."
    )


# ---------------------------------------------------------------- public figures


def public_table(c: Comparison, figures: pd.DataFrame) -> tuple[Table, str] | None:
    """REGK31 net operating spending per inhabitant on the 5.38 functions: our municipality, the
    peers (each and their median) and Hele landet, as fetched; None when nothing is fetched."""
    if figures.empty:
        return None
    by_code = dict(
        zip(figures["municipality_code"].astype(int), figures["dkk_per_inhabitant"], strict=True)
    )
    code = c.scope.municipality
    rows = [(own_name(c), by_code.get(code))]
    rows += [
        (n, by_code.get(int(k)))
        for k, n in zip(c.peer_group["municipality_code"], c.peer_group["name"], strict=True)
    ]
    peer_values = pd.Series([by_code.get(int(k)) for k in c.peers], dtype=float)
    rows += [("Sammenligningskommuner (median)", measures.median(peer_values))]
    rows += [("Hele landet", by_code.get(public.NATIONAL))]
    frame = pd.DataFrame(rows, columns=["Kommune", "Kr. pr. indbygger"])
    first = figures.iloc[0]
    note = (
        f"{PUBLIC_LABEL}: nettodriftsudgifter pr. indbygger (alle aldre), løbende priser, "
        f"{int(first['year'])}, summen af de hentede 5.38-funktioner. Hentet "
        f"{fmt.long_date(pd.Timestamp(first['fetched_at']).date())}. Kilde: Danmarks Statistik."
    )
    return Table("Offentlige tal", frame, {"Kr. pr. indbygger": "kr."}), note


def sources_caption() -> str:
    return (
        f"Kilder: {peers.SOURCES} Sammenligningen bygger på de kommuner, databasen har tal for; "
        "tal for 1-4 borgere vises ikke for andre kommuner (heller ikke for ledere)."
    )


def text_lines(c: Comparison) -> list[str]:
    """The comparison as plain Danish lines (compare without --json)."""
    lines = [
        f"{own_name(c)} ({c.scope.municipality}), {c.scope.year}, pr. {fmt.long_date(c.scope.as_of)}"
    ]
    lines.append("Sammenligningskommuner: " + ", ".join(c.peer_group["name"]))
    for row in c.summary.to_dict("records"):
        lines.append(
            f"{row['label']}: {_value(row['unit'], row['value'])} "
            f"(median {_value(row['unit'], row['peer_median'])}, landet {_value(row['unit'], row['national'])})"
        )
    lines.append(split_sentence(c).replace("**", ""))
    lines.append(expected_sentence(c).replace("**", ""))
    return lines
