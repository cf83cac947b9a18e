"""The gateway pages use to get data: every call names a principal; citizen-level queries are refused
for roles that may not see citizens and logged in the audit log before rows are returned; small
numbers are suppressed for roles without citizen access (privacy is enforced here, not in widgets)."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Mapping, MutableMapping

import pandas as pd

from cockpit import audit, cube, db, kpis, suppress
from cockpit.auth import Principal
from cockpit.periods import Scope

# Queries that return rows about single citizens (or name them). Only CITIZEN_ROLES may run them.
CITIZEN_PREFIXES = ("list_", "detail_")
# The column citizen-level queries name the citizen's pseudonym in.
CITIZEN_COLUMN = "citizen_id"
# A re-render of the very same citizen view in the same session within this many seconds is not a
# new lookup and is not logged again (Streamlit reruns the page on every click).
REPEAT_SECONDS = 15 * 60

Fetch = Callable[[str, dict, str | None], pd.DataFrame]


class AccessDenied(PermissionError):
    """The principal's role may not receive this data."""


def check(principal: Principal | None, name: str) -> None:
    """Refuse when nobody is logged in, or when a role without citizen access asks for citizen rows."""
    if principal is None:
        raise AccessDenied("Ingen bruger er logget ind.")
    if name.startswith(CITIZEN_PREFIXES) and not principal.sees_citizens:
        raise AccessDenied("Din rolle må ikke se oplysninger om enkelte borgere.")


def _fetch(name: str, params: dict, url: str | None) -> pd.DataFrame:
    return db.query(name, params, url)


# ---------------------------------------------------------------- aggregates


def protect(
    principal: Principal,
    name: str,
    frame: pd.DataFrame,
    scope: Scope,
    url: str | None = None,
    fetch: Fetch | None = None,
    params: Mapping | None = None,
) -> pd.DataFrame:
    """An aggregate frame as the principal may see it: unchanged for roles with citizen access;
    for the others small numbers are suppressed (cockpit/suppress.py), and the spend tables that
    are sums of one cube are suppressed as one linked system (cockpit/cube.py). A breakdown that
    does not say how many citizens lie behind each row is refused rather than shown unprotected."""
    if not principal.suppress_small_numbers or name in suppress.NO_CITIZENS:
        return frame
    if name in cube.LINKED:
        cells = (fetch or _fetch)(cube.QUERY, scope.params(), url)
        groups = (fetch or _fetch)(cube.GROUPS_QUERY, scope.params(), url)
        frame = protect(principal, f"{name}#cells", frame, scope, url, fetch)
        return cube.restrict(name, frame, cells, params, groups)
    rule_name, name = name, name.removesuffix("#cells")
    if suppress.BASIS not in frame.columns and name in suppress.BASIS_QUERIES:
        basis_name, key = suppress.BASIS_QUERIES[name]
        basis = (fetch or _fetch)(basis_name, scope.params(), url)[[key, suppress.BASIS]]
        frame = frame.merge(basis, on=key, how="left")
        frame[suppress.BASIS] = frame[suppress.BASIS].fillna(0).astype("int64")
    if suppress.BASIS in frame.columns:
        return suppress.frame(frame, suppress.rule_for(rule_name, frame))
    if len(frame) <= 1:
        return _protect_single_row(frame)
    raise AccessDenied(
        "Tallene kan ikke vises for din rolle, fordi forespørgslen ikke oplyser, hvor mange "
        "borgere der ligger bag hver række."
    )


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


def aggregate(
    principal: Principal | None,
    name: str,
    scope: Scope,
    url: str | None = None,
    *,
    fetch: Fetch = _fetch,
    **extra,
) -> pd.DataFrame:
    """An aggregate query (no citizen rows) for the scope, small numbers suppressed as the role
    requires."""
    if name.startswith(CITIZEN_PREFIXES):
        raise AccessDenied(f"{name} er ikke en aggregeret forespørgsel.")
    check(principal, name)
    if principal.suppress_small_numbers and name in cube.LINKED:
        scope = snapped(scope, url, fetch)
    frame = fetch(name, {**scope.params(), **extra}, url)
    return protect(principal, name, frame, scope, url, fetch, extra)


def snapped(scope: Scope, url: str | None = None, fetch: Fetch = _fetch) -> Scope:
    """The scope a suppressing role gets: its reference date at a month end or the latest data
    date (cube.snap), so two scopes never differ by a few days' postings."""
    latest = fetch(
        "scope_latest_posting", {"municipality": scope.municipality, "year": scope.year}, url
    )
    value = latest["latest_in_year"].iloc[0] if not latest.empty else None
    last = None if value is None or pd.isna(value) else pd.Timestamp(value).date()
    if latest.empty or (latest["latest_year"].iloc[0] or 0) > scope.year:
        last = scope.year_end
    return Scope(scope.municipality, scope.year, cube.snap(scope.as_of, last))


def kpi_values(
    principal: Principal | None,
    keys: list[str],
    scope: Scope,
    url: str | None = None,
    *,
    values: Mapping | None = None,
    basis: Mapping | None = None,
) -> dict:
    """KPI values for the scope (aggregates only); for roles without citizen access a count of 1-4
    citizens is fmt.SUPPRESSED ("<5") and a value behind 1-4 citizens None ("–"). `values` and
    `basis` may be passed in precomputed (cached) form."""
    check(principal, "kpi_values")
    values = kpis.compute(keys, scope, url) if values is None else values
    values = {k: values[k] for k in keys}
    if not principal.suppress_small_numbers:
        return values
    basis = kpis.citizen_basis(None, scope, url) if basis is None else basis
    return suppress.kpi_values(values, basis)


# ---------------------------------------------------------------- citizen level


def _filters(scope: Scope | None, extra: Mapping, filters: Mapping | None) -> dict:
    shown = {}
    if scope is not None:
        shown = {"kommune": scope.municipality, "aar": scope.year, "dato": scope.as_of}
    return {**shown, **dict(extra), **dict(filters or {})}


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


def citizen_rows(
    principal: Principal | None,
    name: str,
    scope: Scope,
    url: str | None = None,
    *,
    page: str,
    citizen: str | None = None,
    filters: Mapping | None = None,
    audit_url: str | None = None,
    fetch: Fetch = _fetch,
    seen: MutableMapping[str, float] | None = None,
    **extra,
) -> pd.DataFrame:
    """A citizen-level query (list_* / detail_*), refused unless the principal's role may see
    citizens. Before the rows are returned, the view is written to the audit log: user, role,
    `page`, every citizen pseudonym in the rows (and `citizen`, the one looked up, even when no
    rows come back), the scope, the query parameters and the page's `filters`. If the log cannot be
    written, audit.AuditUnavailable is raised and no rows are returned. `seen` (the session's
    memory) skips re-logging an identical view re-rendered within REPEAT_SECONDS."""
    check(principal, name)
    if not name.startswith(CITIZEN_PREFIXES):
        raise ValueError(f"{name} er ikke en forespørgsel på borgerniveau.")
    if not principal.sees_citizens:
        raise AccessDenied("Din rolle må ikke se oplysninger om enkelte borgere.")
    rows = fetch(name, {**scope.params(), **extra}, url)
    citizens = _citizens(rows, citizen or extra.get(CITIZEN_COLUMN) or None)
    shown = _filters(scope, extra, filters)
    key = _fingerprint(principal.user, principal.role, page, name, shown, citizens)
    now = time.monotonic()
    if seen is None or now - seen.get(key, -REPEAT_SECONDS - 1) > REPEAT_SECONDS:
        audit.log_view(
            principal,
            page=page,
            source=name,
            citizens=citizens,
            filters=shown,
            municipality=scope.municipality,
            row_count=len(rows),
            url=audit_url,
        )
        if seen is not None:
            seen[key] = now
    return rows


def log_export(
    principal: Principal | None,
    *,
    page: str,
    source: str,
    frame: pd.DataFrame | None = None,
    citizens: Iterable[str] = (),
    scope: Scope | None = None,
    filters: Mapping | None = None,
    audit_url: str | None = None,
) -> str:
    """Log an export before the file is handed out (every export: aggregate or citizen-level).
    `source` is the file name; the citizen pseudonyms are taken from `frame`'s citizen_id column
    and `citizens`. Refuses a file with citizen pseudonyms for a role without citizen access."""
    if principal is None:
        raise AccessDenied("Ingen bruger er logget ind.")
    found = sorted(set(_citizens(frame, None)) | {str(c) for c in citizens if c})
    if found and not principal.sees_citizens:
        raise AccessDenied("Din rolle må ikke eksportere oplysninger om enkelte borgere.")
    return audit.log_export(
        principal,
        page=page,
        source=source,
        citizens=found,
        filters=_filters(scope, {}, filters),
        municipality=None if scope is None else scope.municipality,
        row_count=0 if frame is None else len(frame),
        url=audit_url,
    )


# ---------------------------------------------------------------- audit log


def audit_log(
    principal: Principal | None,
    *,
    citizen: str | None = None,
    user: str | None = None,
    municipality: int | None = None,
    since=None,
    until=None,
    audit_url: str | None = None,
) -> pd.DataFrame:
    """Search the audit log (admin only); the search itself is logged before rows are returned."""
    if principal is None:
        raise AccessDenied("Ingen bruger er logget ind.")
    if not principal.sees_audit_log:
        raise AccessDenied("Din rolle må ikke se revisionsloggen.")
    found = audit.search(
        citizen=citizen,
        user=user,
        municipality=municipality,
        since=since,
        until=until,
        url=audit_url,
    )
    # Logged after the search (so it does not list itself) and before the rows are returned.
    wanted = {"bruger": user, "kommune": municipality, "fra": since, "til": until}
    audit.log_search(
        principal,
        citizen=citizen,
        filters={k: v for k, v in wanted.items() if v},
        url=audit_url,
    )
    return found


def audit_ready(audit_url: str | None = None) -> None:
    """Raise audit.AuditUnavailable when the audit log cannot be written (nothing may then be
    exported or shown at citizen level)."""
    audit.ready(audit_url)


def audit_chain(principal: Principal | None, audit_url: str | None = None):
    """Whether the audit log's hash chain is intact (admin only): an audit_chain.Verdict."""
    if principal is None or not principal.sees_audit_log:
        raise AccessDenied("Din rolle må ikke se revisionsloggen.")
    return audit.verify(audit_url)


def log_audit_export(
    principal: Principal | None,
    *,
    source: str,
    citizens: Iterable[str],
    filters: Mapping | None = None,
    audit_url: str | None = None,
) -> str:
    """Log an export of audit rows (admin only, e.g. for a citizen's request for access)."""
    if principal is None or not principal.sees_audit_log:
        raise AccessDenied("Din rolle må ikke se revisionsloggen.")
    return audit.log_export(
        principal,
        page="revisionslog",
        source=source,
        citizens=citizens,
        filters=filters,
        url=audit_url,
    )
