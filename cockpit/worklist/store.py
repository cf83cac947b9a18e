"""The worklists' part of the state store (cockpit/state.py, migration 020_worklist.sql): the items
the data have listed, what users set on them, and the note history; each user change is audited.

- Only roles that see citizens (leder) may change an item or read notes.
- Optimistic concurrency: an edit names the version it started from; when someone else saved in
  between, Conflict is raised, nothing is written and the caller keeps the user's input.
- The audit row (who, when, item, status before and after, responsible and due date before and
  after) is written inside the state transaction: if the audit log cannot be written, the change is
  not saved. A note's text never goes into the audit log, only that it changed and its SHA-256.
- A note or responsible person with a CPR-like sequence is refused; the value is never echoed.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pandas as pd
import sqlalchemy as sa

from cockpit import audit, state
from cockpit.worklist import items

PAGE = "arbejdsliste"
SYNC_SETTING = "worklist_judged"  # which data date and database generation the items reflect
NOTE_MAX = 4000
RESPONSIBLE_MAX = 200
_CPR = re.compile(r"(?<!\d)(\d{2})(\d{2})\d{2}[-\s]?\d{4}(?!\d)")


class Refused(ValueError):
    """The input cannot be saved (Danish message; the offending value is not repeated)."""


class Conflict(RuntimeError):
    """Someone saved the item after the version the user started from; `current` is the stored row."""

    def __init__(self, current: dict) -> None:
        self.current = current
        who = current.get("updated_by") or "en anden bruger"
        when = local_time(current.get("updated_at"))
        super().__init__(
            f"Punktet er blevet ændret af {who}{f' {when}' if when else ''}, mens du havde det "
            "åbent. Dine ændringer er ikke gemt – de står stadig i formularen. Se den nye udgave "
            "herunder, og gem igen, hvis dine ændringer stadig skal med."
        )


class NotAllowed(PermissionError):
    """The role may not change worklists or read notes."""


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def local_time(stamp: object) -> str:
    """An ISO UTC time from the store as Danish local time ('01.12.2026 kl. 13:05')."""
    if not stamp or not isinstance(stamp, str):
        return ""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    local = moment.astimezone(ZoneInfo(audit.LOCAL_TIME))
    return local.strftime("%d.%m.%Y kl. %H:%M")


def looks_like_cpr(text: str) -> bool:
    """DDMMYY-XXXX, DDMMYY XXXX or ten digits whose first six are a real day."""
    for m in _CPR.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]:
            return True
    return False


def clean_text(text: str | None, what: str, limit: int) -> str | None:
    """Free text as it may be stored: stripped, at most `limit` characters, no CPR number."""
    text = (text or "").strip()
    if not text:
        return None
    if looks_like_cpr(text):
        raise Refused(
            f"{what} indeholder noget, der ligner et CPR-nummer. CPR-numre må ikke skrives i "
            f"cockpittet. {what} er ikke gemt – ret teksten, og gem igen."
        )
    if len(text) > limit:
        raise Refused(f"{what} må højst være {limit} tegn. Intet er gemt.")
    return text


def sha256(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def _allowed(who) -> None:
    if who is None or not getattr(who, "sees_citizens", False):
        raise NotAllowed("Din rolle må ikke se eller ændre arbejdslister om enkelte borgere.")


# ---------------------------------------------------------------- reading


def load(municipality: int) -> pd.DataFrame:
    """Every stored item of the municipality (open and resolved)."""
    rows = state.rows("worklist_items", municipality_code=int(municipality))
    columns = [
        "municipality_code", "kind", "item_key", "citizen_id", "since", "first_seen_on",
        "last_seen_on", "price_before", "resolved_on", "price_after", "status", "responsible",
        "due_date", "note", "note_sha256", "acted_at", "version", "updated_at", "updated_by",
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("price_before", "price_after"):
        frame[col] = pd.to_numeric(frame[col]).astype("float64")
    return frame


def dates(municipality: int) -> pd.DataFrame:
    """Every stored item's dates and prices, without any user text (for the judgement and the
    steering figures)."""
    with state.engine().connect() as conn:  # tuples straight into the frame: thousands of rows
        result = conn.execute(
            sa.text(state.statement("worklist_dates")), {"municipality_code": int(municipality)}
        )
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    for col in ("price_before", "price_after"):
        frame[col] = pd.to_numeric(frame[col]).astype("float64")
    return frame


def get(municipality: int, kind: str, key: str, conn: sa.Connection | None = None) -> dict | None:
    found = state.rows(
        "worklist_item_get", conn, municipality_code=int(municipality), kind=kind, item_key=key
    )
    return found[0] if found else None


def notes(who, municipality: int, kind: str, key: str) -> pd.DataFrame:
    """The note history of one item, newest first (leder only)."""
    _allowed(who)
    rows = state.rows(
        "worklist_notes", municipality_code=int(municipality), kind=kind, item_key=key
    )
    return pd.DataFrame(
        rows, columns=["version", "note", "note_sha256", "written_at", "written_by"]
    )


def judged(municipality: int) -> str | None:
    """The marker of the data the stored items were last judged against."""
    found = state.rows("setting_get", municipality_code=int(municipality), setting_key=SYNC_SETTING)
    return found[0]["setting_value"] if found else None


# ---------------------------------------------------------------- the data judge the items


def _many(conn: sa.Connection, name: str, rows: list[dict]) -> None:
    if rows:
        conn.execute(sa.text(state.statement(name)), rows)


def _iso(v: object) -> str | None:
    d = items.as_date(v)
    return None if d is None else d.isoformat()


def _float(v: object) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def record_judgement(
    municipality: int,
    data_date: date,
    marker: str,
    open_items: pd.DataFrame,
    resolved: pd.DataFrame,
    prices_after: Iterable[float | None],
) -> None:
    """One data date's verdict, all or nothing: the open items are listed (new ones inserted,
    known ones refreshed or reopened), the gone ones resolved at `data_date` with their price
    after, and the marker saved so the same data are not judged twice."""
    seen = data_date.isoformat()
    listed = [
        {
            "municipality_code": int(municipality),
            "kind": r.kind,
            "item_key": str(r.key),
            "citizen_id": r.citizen_id,
            "since": _iso(r.since),
            "seen_on": seen,
            "price_before": _float(r.monthly_price),
        }
        for r in open_items.itertuples(index=False)
    ]
    gone = [
        {
            "municipality_code": int(municipality),
            "kind": r.kind,
            "item_key": str(r.item_key),
            "resolved_on": seen,
            "price_after": _float(after),
        }
        for r, after in zip(resolved.itertuples(index=False), prices_after, strict=True)
    ]
    with state.transaction() as conn:
        _many(conn, "worklist_seen", listed)
        _many(conn, "worklist_resolve", gone)
        state.execute(
            "setting_put",
            conn,
            municipality_code=int(municipality),
            setting_key=SYNC_SETTING,
            setting_value=marker,
            updated_at=now(),
            updated_by="cockpit",
        )


# ---------------------------------------------------------------- a user's change


def _details(kind: str, key: str, before: dict, after: dict, note_changed: bool) -> dict:
    def status(v: object) -> str:
        return items.STATUSES.get(str(v), str(v))

    return {
        "liste": kind,
        "punkt": key,
        "status_foer": status(before["status"]),
        "status_efter": status(after["status"]),
        "ansvarlig_foer": before.get("responsible") or "",
        "ansvarlig_efter": after.get("responsible") or "",
        "frist_foer": before.get("due_date") or "",
        "frist_efter": after.get("due_date") or "",
        "note_aendret": "ja" if note_changed else "nej",
        "note_sha256": (after.get("note_sha256") or "") if note_changed else "",
        "version": int(before["version"]) + 1,
    }


def update(
    who,
    municipality: int,
    item: dict,
    version: int,
    *,
    status: str,
    responsible: str | None,
    due_date: date | None,
    note: str | None,
    audit_url: str | None = None,
) -> dict:
    """Save a user's change to one item (`item`: kind, key, citizen_id, since, monthly_price and
    the data date `seen_on`, so an item no load has recorded yet can be stored). Returns the stored
    row after the change; raises Conflict, Refused, NotAllowed or audit.AuditUnavailable, and then
    nothing is saved."""
    _allowed(who)
    if status not in items.STATUSES:
        raise Refused("Ukendt status. Intet er gemt.")
    responsible = clean_text(responsible, "Ansvarlig", RESPONSIBLE_MAX)
    note = clean_text(note, "Noten", NOTE_MAX)
    kind, key = str(item["kind"]), str(item["key"])
    base = {"municipality_code": int(municipality), "kind": kind, "item_key": key}
    with state.transaction() as conn:
        state.execute(
            "worklist_ensure",
            conn,
            **base,
            citizen_id=item.get("citizen_id"),
            since=_iso(item.get("since")),
            seen_on=_iso(item.get("seen_on")),
            price_before=_float(item.get("monthly_price")),
        )
        before = get(municipality, kind, key, conn)
        if int(before["version"]) != int(version):
            raise Conflict(before)
        after = {
            "status": status,
            "responsible": responsible,
            "due_date": None if due_date is None else due_date.isoformat(),
            "note": note,
            "note_sha256": sha256(note),
        }
        note_changed = (before.get("note") or None) != note
        if all(before.get(k) == v for k, v in after.items() if k != "note_sha256"):
            return before  # nothing changed: nothing to save or log
        stamp = now()
        acted = before.get("acted_at") or (stamp if status in items.ACTED else None)
        changed = state.execute(
            "worklist_update",
            conn,
            **base,
            **after,
            acted_at=acted,
            updated_at=stamp,
            updated_by=str(who.user),
            version=int(version),
        )
        if changed != 1:
            raise Conflict(get(municipality, kind, key, conn) or before)
        if note_changed:
            state.execute(
                "worklist_note_add",
                conn,
                **base,
                version=int(version) + 1,
                note=note,
                note_sha256=after["note_sha256"],
                written_at=stamp,
                written_by=str(who.user),
            )
        audit.log_change(
            who,
            page=PAGE,
            source=f"arbejdsliste:{kind}",
            citizens=[before.get("citizen_id")],
            details=_details(kind, key, before, after, note_changed),
            municipality=int(municipality),
            url=audit_url,
        )
        return get(municipality, kind, key, conn)
