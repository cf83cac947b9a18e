"""The cockpit's pages: file, title, URL path, icon and the roles that may open each one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cockpit.auth import NOT_IN_DEMO

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"

ALL = ("politiker", "direktoer", "leder", "admin")


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str
    url_path: str
    icon: str
    roles: tuple[str, ...]
    section: str
    # What the frame (cockpit/app.py, cockpit/ui/frame.py) draws around the page: the scope picker,
    # the offer-type filter, and the caption under the title ({as_of}, {year}, {offer_type}; None
    # for none). The title is the page's; a drill-down page renames it (ui.heading).
    scoped: bool = True
    offer_type_filter: bool = False
    caption: str | None = "Opgjort pr. {as_of}"

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.file


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overblik.py", "Overblik", "overblik", ":material/dashboard:", ALL, "Styring"),
    PageSpec(
        "strategi.py",
        "Strategi",
        "strategi",
        ":material/flag:",
        ALL[:3],
        "Styring",
        offer_type_filter=True,
    ),
    PageSpec(
        "oekonomi.py",
        "Økonomi",
        "oekonomi",
        ":material/payments:",
        ("direktoer", "leder"),
        "Styring",
        offer_type_filter=True,
        caption="Opgjort pr. {as_of} · {offer_type}",
    ),
    PageSpec(
        "sammenligning.py",
        "Sammenligning",
        "sammenligning",
        ":material/compare_arrows:",
        ALL[:3],
        "Styring",
        caption="Opgjort pr. {as_of}. Forbrug fra 1. januar til samme dato.",
    ),
    PageSpec(
        "scenarie.py",
        "Hvad nu hvis",
        "scenarie",
        ":material/alt_route:",
        ALL[:3],
        "Styring",
        caption="Budgetåret {year} og tre overslagsår · opgjort pr. {as_of}",
    ),
    PageSpec(
        "styringsoverblik.py",
        "Styringsoverblik",
        "styringsoverblik",
        ":material/fact_check:",
        ALL[:3],
        "Styring",
        caption="Kommunens egen vurdering for {year} holdt op mod data pr. {as_of}",
    ),
    PageSpec(
        "visitation.py",
        "Visitation og opfølgning",
        "visitation",
        ":material/gavel:",
        ("leder",),
        "Socialfagligt",
        caption="Opgjort pr. {as_of}. Afgørelser tæller fra 1. januar {year}.",
    ),
    PageSpec(
        "progression.py",
        "Progression",
        "progression",
        ":material/trending_up:",
        ("leder",),
        "Socialfagligt",
    ),
    PageSpec(
        "kontrakter.py",
        "Kontrakter",
        "kontrakter",
        ":material/description:",
        ("leder",),
        "Socialfagligt",
    ),
    PageSpec(
        "priser.py",
        "Priser og marked",
        "priser",
        ":material/sell:",
        ("leder",),
        "Socialfagligt",
    ),
    PageSpec(
        "arbejdsliste.py",
        "Arbejdslister",
        "arbejdsliste",
        ":material/checklist:",
        ("leder",),
        "Socialfagligt",
        caption="Åbne punkter pr. {as_of}",
    ),
    PageSpec(
        "tilbud.py",
        "Tilbud",
        "tilbud",
        ":material/home_work:",
        ("leder",),
        "Socialfagligt",
        caption=None,
    ),
    PageSpec(
        "borger.py",
        "Borger",
        "borger",
        ":material/person:",
        ("leder",),
        "Socialfagligt",
        caption=None,
    ),
    PageSpec("datagrundlag.py", "Datagrundlag", "datagrundlag", ":material/database:", ALL, "Data"),
    PageSpec(
        "importer.py", "Import", "import", ":material/upload:", ("admin",), "Data", scoped=False
    ),
    PageSpec(
        "revisionslog.py",
        "Revisionslog",
        "revisionslog",
        ":material/policy:",
        ("admin",),
        "Data",
        scoped=False,
    ),
)


def pages_for(role: str, mode: str = "oidc") -> list[PageSpec]:
    """The pages a role may open, among those that exist; demo mode never offers Import or
    Revisionslog."""
    return [
        p
        for p in PAGES
        if role in p.roles
        and p.path.is_file()
        and not (mode == "demo" and p.url_path in NOT_IN_DEMO)
    ]


def not_for(role: str, mode: str = "oidc") -> list[PageSpec]:
    """The existing pages the role may not open: registered hidden, so that a link to one shows a
    Danish message instead of Streamlit's own "Page not found"."""
    allowed = pages_for(role, mode)
    return [p for p in PAGES if p.path.is_file() and p not in allowed]
