"""The gateway every read goes through: it names a principal, refuses citizen-level queries to
roles that may not see citizens, writes citizen views to the audit log before rows are returned,
and suppresses small numbers for roles without citizen access (privacy is enforced here, not in
widgets). One Gateway serves one render: the database generation is read once when it is opened,
and every query runs through the process cache (cockpit/cache.py) keyed by it."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import sqlalchemy as sa

from cockpit import audit, cache, cube, db, metrics, periods, state, suppress
from cockpit.access import queries
from cockpit.auth import Principal
from cockpit.compare import public, report
from cockpit.market import detect
from cockpit.periods import Scope

CITIZEN_COLUMN = "citizen_id"  # the column citizen-level queries name the citizen's pseudonym in
# A re-render of the very same citizen view in the same session within this many seconds is not a
# new lookup and is not logged again (Streamlit reruns the page on every click).
REPEAT_SECONDS = 15 * 60
Run = Callable[[str, dict, str | None], pd.DataFrame]


class AccessDenied(PermissionError):
    """The principal's role may not receive this data."""


def check(principal: Principal | None, name: str) -> None:
    """Refuse when nobody is logged in, or when a role without citizen access asks for citizen rows."""
    if principal is None:
        raise AccessDenied("Ingen bruger er logget ind.")
    if queries.citizen_level(name) and not principal.sees_citizens:
        raise AccessDenied("Din rolle må ikke se oplysninger om enkelte borgere.")


OTHER_MUNICIPALITY = "Du har ikke adgang til borgeroplysninger fra kommune {code}."


def check_municipality(principal: Principal | None, municipality: int | None) -> None:
    """Refuse citizen rows of a municipality that is not the principal's (authorisation per
    municipality, auth.Principal.municipalities)."""
    if principal is None:
        raise AccessDenied("Ingen bruger er logget ind.")
    if municipality is not None and not principal.may_see(municipality):
        raise AccessDenied(OTHER_MUNICIPALITY.format(code=int(municipality)))


def _fingerprint(*parts: object) -> str:
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _citizens(frame: pd.DataFrame | None, citizen: str | None) -> list[str]:
    found: set[str] = set()
    if frame is not None and CITIZEN_COLUMN in frame.columns:
        found |= {str(c) for c in frame[CITIZEN_COLUMN].dropna()}
    if citizen:
        found.add(str(citizen))
    return sorted(found)


def _filters(scope: Scope | None, extra: Mapping, filters: Mapping | None) -> dict:
    shown = {}
    if scope is not None:
        shown = {"kommune": scope.municipality, "aar": scope.year, "dato": scope.as_of}
    return {**shown, **dict(extra), **dict(filters or {})}


def _protect_single_row(frame: pd.DataFrame) -> pd.DataFrame:
    """A one-row total: when any citizen count in it is 1-4, all its measures are hidden."""
    counts = [c for c in frame.columns if suppress.is_count_column(c)]
    if frame.empty or not any(suppress.small(frame[c].iloc[0]) for c in counts):
        return frame
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_numeric_dtype(out[col]) and col not in suppress.NOT_CITIZEN_DERIVED:
            out[col] = float("nan")
    return out


@dataclass
class Gateway:
    """Data for one principal in one render. `run` replaces the cached query runner (tests)."""

    principal: Principal | None
    url: str
    generation: str
    page: str = "ukendt"
    seen: MutableMapping[str, float] | None = None
    audit_url: str | None = None
    run: Run | None = field(default=None, repr=False)
    # What this render already computed: registry computations per (scope, offer type) and the
    # KPIs' citizen basis per scope (the frames themselves are in the process cache).
    _computations: dict = field(default_factory=dict, init=False, repr=False)
    _basis: dict = field(default_factory=dict, init=False, repr=False)
    render_memo: dict = field(default_factory=dict, init=False, repr=False)  # for the ui's use

    def _query(self, name: str, params: dict) -> pd.DataFrame:
        if self.run is not None:
            return self.run(name, params, self.url)
        return cache.run(name, params, self.url, self.generation)

    def _computation(self, scope: Scope, offer_type: str | None = None) -> metrics.Computation:
        key = (scope, offer_type)
        if key not in self._computations:
            c = metrics.Computation(scope, self._query, metrics.REGISTRY, offer_type)
            self._computations[key] = c
        return self._computations[key]

    # ------------------------------------------------------------ aggregates

    def suppresses(self, scope: Scope | None = None) -> bool:
        """Whether small numbers are hidden for this principal in this scope: always for a role
        without citizen access, and for every role in a municipality that is not the principal's
        (it is treated as a suppressing role would be)."""
        if self.principal is None or self.principal.suppress_small_numbers:
            return True
        return scope is not None and not self.principal.may_see(scope.municipality)

    def protect(
        self, name: str, frame: pd.DataFrame, scope: Scope, params: Mapping | None = None
    ) -> pd.DataFrame:
        """An aggregate frame as the principal may see it: unchanged for roles with citizen access;
        for the others small numbers are suppressed (cockpit/suppress.py), and the spend tables that
        are sums of one cube are suppressed as one linked system (cockpit/cube.py). A breakdown that
        does not say how many citizens lie behind each row is refused rather than shown
        unprotected."""
        if not self.suppresses(scope) or name in queries.NO_CITIZENS:
            return frame
        if name in cube.LINKED:
            cells = self._query(cube.QUERY, scope.params())
            groups = self._query(cube.GROUPS_QUERY, scope.params())
            frame = self.protect(f"{name}#cells", frame, scope)
            return cube.restrict(name, frame, cells, params, groups)
        rule_name, name = name, name.removesuffix("#cells")
        if suppress.BASIS not in frame.columns and name in queries.BASIS_QUERIES:
            basis_name, key = queries.BASIS_QUERIES[name]
            basis = self._query(basis_name, scope.params())[[key, suppress.BASIS]]
            frame = frame.merge(basis, on=key, how="left")
            frame[suppress.BASIS] = frame[suppress.BASIS].fillna(0).astype("int64")
        if suppress.BASIS in frame.columns:
            return suppress.frame(frame, queries.rule_for(rule_name, frame))
        if len(frame) <= 1:
            return _protect_single_row(frame)
        raise AccessDenied(
            "Tallene kan ikke vises for din rolle, fordi forespørgslen ikke oplyser, hvor mange "
            "borgere der ligger bag hver række."
        )

    def aggregate(self, name: str, scope: Scope, **extra) -> pd.DataFrame:
        """An aggregate query (no citizen rows) for the scope, small numbers suppressed as the role
        requires."""
        if queries.citizen_level(name):
            raise AccessDenied(f"{name} er ikke en aggregeret forespørgsel.")
        check(self.principal, name)
        if self.suppresses(scope) and name in cube.LINKED:
            scope = self.snapped(scope)
        frame = self._query(name, {**scope.params(), **extra})
        return self.protect(name, frame, scope, extra)

    def snapped(self, scope: Scope) -> Scope:
        """The scope a suppressing role gets: its reference date at a month end or the latest data
        date (cube.snap), so two scopes never differ by a few days' postings."""
        latest = self.default_as_of(scope.municipality, scope.year)
        return Scope(scope.municipality, scope.year, cube.snap(scope.as_of, latest))

    def kpi_values(self, keys: Iterable[str], scope: Scope, offer_type: str | None = None) -> dict:
        """Registry KPI values for the scope (for one offer type: the by_offer_type KPIs on its
        rows); for roles without citizen access a count of 1-4 citizens is fmt.SUPPRESSED ("<5")
        and a value behind 1-4 citizens None ("–")."""
        check(self.principal, "kpi_values")
        c = self._computation(scope, offer_type)
        values = {k: c.value(k) for k in keys}
        if not self.suppresses(scope):
            return values
        if offer_type is None:
            if scope not in self._basis:
                c = self._computation(scope)
                self._basis[scope] = metrics.citizen_basis(metrics.REGISTRY, c)
            return suppress.kpi_values(values, self._basis[scope])
        # One offer type: its row of the economy breakdown, as this role sees it.
        econ = self.aggregate(metrics.ECON, scope)
        row = econ[econ["offer_type_code"] == offer_type]
        hidden = row.empty or bool((row[suppress.MARKER] != "").any())
        return {
            k: None if hidden and metrics.REGISTRY[k].citizen_basis is not None else v
            for k, v in values.items()
        }

    # ------------------------------------------------------------ comparison (Sammenligning)

    def comparison(self, scope: Scope) -> report.Comparison | None:
        """The municipality against its 10 structural peers and the country (cockpit/compare):
        grouped queries over every municipality, cached per window (shared by all municipalities
        and roles); other municipalities' small numbers hidden for every role, the municipality's
        own as this role requires. None for a municipality outside the 98 (no peers)."""
        check(self.principal, "compare_totals")
        synthetic = db.has_table("peer_aggregate", self.url)
        try:
            return report.build(
                scope,
                self.url,
                fetch=lambda name, params, _url: self._query(name, params),
                hide_own=self.suppresses(scope),
                synthetic=synthetic,
            )
        except KeyError:
            return None

    def public_figures(self, year: int) -> pd.DataFrame:
        """Danmarks Statistik's figures fetched into the state store (fetch-public): REGK31 per
        municipality for the latest fetched year not after `year`; empty when none are fetched."""
        check(self.principal, "public_spending_latest")
        try:
            return public.latest_spending(year)
        except state.StateUnavailable:
            return pd.DataFrame()

    # ------------------------------------------------------------ reference data

    def scope_options(self) -> pd.DataFrame:
        """Municipalities and the years with data in any table (the scope picker's choices): only
        the principal's municipalities."""
        check(self.principal, "scope_options")
        options = self._query("scope_options", {})
        if self.principal.municipalities is None:
            return options
        mine = options["municipality_code"].astype(int).isin(self.principal.municipalities)
        return options[mine].reset_index(drop=True)

    def default_as_of(self, municipality: int, year: int) -> date:
        """The latest posting date of the year (else the latest decision, assessment or follow-up);
        31 December for a closed year or one without."""
        check(self.principal, "scope_latest_posting")
        latest = self._query("scope_latest_posting", {"municipality": municipality, "year": year})
        return periods.default_as_of(latest, year)

    def data_load(self, municipality: int) -> pd.DataFrame:
        """When each table was loaded for the municipality (data banner, Datagrundlag)."""
        check(self.principal, "data_load_status")
        return self._query("data_load_status", {"municipality": municipality})

    def import_gaps(self, municipality: int) -> pd.DataFrame:
        """What the last source import could not link (counts of records; Datagrundlag). A
        warehouse without the import_gap table has nothing to show."""
        check(self.principal, "import_gaps")
        try:
            return self._query("import_gaps", {"municipality": municipality})
        except (sa.exc.SQLAlchemyError, db.DatabaseMissing):
            return pd.DataFrame(columns=["source", "message", "count"])

    def offer_types(self) -> pd.DataFrame:
        """The offer_type table (code, name, paragraph, account function, category, step)."""
        check(self.principal, "econ_offer_types")
        return self._query("econ_offer_types", {})

    def market_features(self) -> dict[str, bool]:
        """Which optional parts of issue 18 the database holds (cockpit/market/detect.py)."""
        check(self.principal, "market_offer_keys")
        return detect.features(self.url)

    def imports_allowed(self) -> bool:
        """Imports write only to the embedded DuckDB file, never to a warehouse the cockpit reads."""
        return db.duckdb_path(self.url) is not None

    def imported(self) -> None:
        """After an import swapped the database file in: reopen it, forget every cached frame."""
        db.release(self.url)
        cache.clear()

    # ------------------------------------------------------------ citizen level

    def citizen_rows(
        self,
        name: str,
        scope: Scope,
        *,
        citizen: str | None = None,
        filters: Mapping | None = None,
        **extra,
    ) -> pd.DataFrame:
        """A citizen-level query (list_* / detail_*), refused unless the principal's role may see
        citizens. Before the rows are returned, the view is written to the audit log: user, role,
        page, every citizen pseudonym in the rows (and `citizen`, the one looked up, even when no
        rows come back), the scope, the query parameters and the page's `filters`. If the log
        cannot be written, audit.AuditUnavailable is raised and no rows are returned. `seen` (the
        session's memory) skips re-logging an identical view re-rendered within REPEAT_SECONDS."""
        check(self.principal, name)
        if not queries.citizen_level(name):
            raise ValueError(f"{name} er ikke en forespørgsel på borgerniveau.")
        check_municipality(self.principal, scope.municipality)
        rows = self._query(name, {**scope.params(), **extra})
        citizens = _citizens(rows, citizen or extra.get(CITIZEN_COLUMN) or None)
        shown = _filters(scope, extra, filters)
        p = self.principal
        key = _fingerprint(p.user, p.role, self.page, name, shown, citizens)
        now = time.monotonic()
        seen = self.seen
        if seen is None or now - seen.get(key, -REPEAT_SECONDS - 1) > REPEAT_SECONDS:
            audit.log_view(
                p,
                page=self.page,
                source=name,
                citizens=citizens,
                filters=shown,
                municipality=scope.municipality,
                row_count=len(rows),
                url=self.audit_url,
            )
            if seen is not None:
                seen[key] = now
        return rows

    def log_export(
        self,
        *,
        source: str,
        frame: pd.DataFrame | None = None,
        citizens: Iterable[str] = (),
        scope: Scope | None = None,
        filters: Mapping | None = None,
    ) -> str:
        """Log an export before the file is handed out (every export: aggregate or citizen-level).
        `source` is the file name; the citizen pseudonyms are taken from `frame`'s citizen_id
        column and `citizens`. Refuses a file with citizen pseudonyms for a role without citizen
        access."""
        if self.principal is None:
            raise AccessDenied("Ingen bruger er logget ind.")
        found = sorted(set(_citizens(frame, None)) | {str(c) for c in citizens if c})
        if found and not self.principal.sees_citizens:
            raise AccessDenied("Din rolle må ikke eksportere oplysninger om enkelte borgere.")
        if found:
            check_municipality(self.principal, None if scope is None else scope.municipality)
        return audit.log_export(
            self.principal,
            page=self.page,
            source=source,
            citizens=found,
            filters=_filters(scope, {}, filters),
            municipality=None if scope is None else scope.municipality,
            row_count=0 if frame is None else len(frame),
            url=self.audit_url,
        )

    # ------------------------------------------------------------ audit log (admin)

    def audit_log(
        self,
        *,
        citizen: str | None = None,
        user: str | None = None,
        municipality: int | None = None,
        since=None,
        until=None,
    ) -> pd.DataFrame:
        """Search the audit log (admin only); the search itself is logged before rows return."""
        if self.principal is None:
            raise AccessDenied("Ingen bruger er logget ind.")
        if not self.principal.sees_audit_log:
            raise AccessDenied("Din rolle må ikke se revisionsloggen.")
        found = audit.search(
            citizen=citizen,
            user=user,
            municipality=municipality,
            since=since,
            until=until,
            url=self.audit_url,
        )
        # Logged after the search (so it does not list itself) and before the rows are returned.
        wanted = {"bruger": user, "kommune": municipality, "fra": since, "til": until}
        audit.log_search(
            self.principal,
            citizen=citizen,
            filters={k: v for k, v in wanted.items() if v},
            url=self.audit_url,
        )
        return found

    def audit_ready(self) -> None:
        """Raise audit.AuditUnavailable when the audit log cannot be written (nothing may then be
        exported or shown at citizen level)."""
        audit.ready(self.audit_url)

    def audit_chain(self):
        """Whether the audit log's hash chain is intact (admin only): an audit_chain.Verdict."""
        if self.principal is None or not self.principal.sees_audit_log:
            raise AccessDenied("Din rolle må ikke se revisionsloggen.")
        return audit.verify(self.audit_url)

    def log_audit_export(
        self, *, source: str, citizens: Iterable[str], filters: Mapping | None = None
    ) -> str:
        """Log an export of audit rows (admin only, e.g. for a citizen's request for access)."""
        if self.principal is None or not self.principal.sees_audit_log:
            raise AccessDenied("Din rolle må ikke se revisionsloggen.")
        return audit.log_export(
            self.principal,
            page="revisionslog",
            source=source,
            citizens=citizens,
            filters=filters,
            url=self.audit_url,
        )


def open_for(
    principal: Principal | None,
    url: str | None = None,
    *,
    page: str = "ukendt",
    seen: MutableMapping[str, float] | None = None,
    audit_url: str | None = None,
    run: Run | None = None,
) -> Gateway:
    """A Gateway for one render: the database generation is read here, once."""
    url = url or db.default_url()
    return Gateway(principal, url, db.generation(url), page, seen, audit_url, run)
