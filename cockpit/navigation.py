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

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.file


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overblik.py", "Overblik", "overblik", ":material/dashboard:", ALL, "Styring"),
    PageSpec("strategi.py", "Strategi", "strategi", ":material/flag:", ALL[:3], "Styring"),
    PageSpec(
        "oekonomi.py",
        "Økonomi",
        "oekonomi",
        ":material/payments:",
        ("direktoer", "leder"),
        "Styring",
    ),
    PageSpec(
        "visitation.py",
        "Visitation og opfølgning",
        "visitation",
        ":material/gavel:",
        ("leder",),
        "Socialfagligt",
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
    PageSpec("tilbud.py", "Tilbud", "tilbud", ":material/home_work:", ("leder",), "Socialfagligt"),
    PageSpec("borger.py", "Borger", "borger", ":material/person:", ("leder",), "Socialfagligt"),
    PageSpec("datagrundlag.py", "Datagrundlag", "datagrundlag", ":material/database:", ALL, "Data"),
    PageSpec("importer.py", "Import", "import", ":material/upload:", ("admin",), "Data"),
    PageSpec(
        "revisionslog.py", "Revisionslog", "revisionslog", ":material/policy:", ("admin",), "Data"
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
