"""From the staged FFB records of one municipality to contract rows: citizen, grant, assessment,
goal and followup (plain dicts; assemble.py combines them with the other sources).

Decisions (README, "FFB uddatasæt"):
- A grant is an indsatsforløb (CarePlan) with at least one ydelse (Intervention): its offer type
  comes from the ServicePerformer's tilbud code (a parent code maps like its children), else from
  the ydelse; its period runs from the first ydelse's start to the last one's end (open while any
  ydelse is open); its next follow-up is the care plan's follow-up encounter. Two ydelser at one
  botilbud are one grant with one price, so grant-days are not counted twice.
- A theme's level on a date is its most impaired activity, each activity (FFB leaf code) at its
  latest level up to that date: a re-assessment under a new Condition id or as a newer version of
  the same id both update the activity. "Ikke vurderet" is no level.
- A goal is set on the date it was first delivered; its baseline is the theme's level then; its
  horizon is the next planned follow-up of the care plan that carries it (or, if none does, of the
  citizen's grant active then)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from cockpit.ingest.sources.mappings import Maps

VOID_PLAN = {"entered-in-error", "revoked"}
VOID_GOAL = {"cancelled", "entered-in-error", "rejected"}


@dataclass
class FfbTables:
    citizen: list[dict] = field(default_factory=list)
    grant: list[dict] = field(default_factory=list)
    assessment: list[dict] = field(default_factory=list)
    goal: list[dict] = field(default_factory=list)
    followup: list[dict] = field(default_factory=list)
    gaps: dict[str, int] = field(default_factory=dict)

    def gap(self, message: str, n: int = 1) -> None:
        self.gaps[message] = self.gaps.get(message, 0) + n


def _by_kind(records: list[dict]) -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in records:
        out[r["kind"]][r["key"]] = r
    return out


def build(records: list[dict], maps: Maps, municipality: int) -> FfbTables:
    t = FfbTables()
    kinds = _by_kind(records)
    levels = _assessments(kinds["condition"].values(), t, municipality)
    plans, performers = kinds["careplan"], kinds["performer"]
    encounters = kinds["encounter"]
    by_plan: dict[str, list[dict]] = defaultdict(list)
    for r in kinds["intervention"].values():
        if r["body"].get("status") not in VOID_PLAN:
            by_plan[r["body"]["plan"]].append(r)
    grants: dict[str, dict] = {}
    for pid, plan in sorted(plans.items()):
        body = plan["body"]
        ydelser = by_plan.get(pid, [])
        if body.get("status") in VOID_PLAN:
            continue
        if not ydelser:
            t.gap("indsatsforløb fra FFB har ingen ydelse og blev ikke til en bevilling")
            continue
        offer_type = _offer_type(body, ydelser, performers, maps)
        if offer_type is None:
            t.gap("indsatsforløb fra FFB har ingen tilbudstype, der kan knyttes til en indsatstype")
            continue
        ends = [y["body"]["end"] for y in ydelser]
        end = max(ends) if all(ends) else None  # type: ignore[type-var]
        if end is None and body.get("status") == "completed":
            end = body.get("end")
        follow = encounters.get(body.get("followup") or "")
        grants[pid] = {
            "grant_id": pid,
            "municipality_code": municipality,
            "citizen_id": plan["citizen_id"],
            "decision_id": None,
            "offer_type_code": offer_type,
            "offer_id": None,
            "start_date": min(y["body"]["start"] for y in ydelser),
            "end_date": end,
            "monthly_price": None,
            "weekly_hours": None,
            "next_followup_date": None
            if follow is None or body.get("status") == "completed"
            else follow["body"]["date"],
        }
    t.grant = list(grants.values())
    t.citizen = _citizens(kinds, plans, maps, municipality)
    t.followup = _followups(kinds["followup"].values(), grants, t, municipality)
    t.goal = _goals(kinds, plans, grants, levels, t, municipality)
    return t


def _offer_type(body: dict, ydelser: list[dict], performers: dict, maps: Maps) -> str | None:
    for pid in body.get("performers") or []:
        perf = performers.get(pid or "")
        code = maps.ffb.get(perf["body"]["code"]) if perf else None
        if code and code.cockpit:
            return code.cockpit
    for y in ydelser:
        code = maps.ffb.get(y["body"]["code"])
        if code and code.cockpit:
            return code.cockpit
    return None


def _assessments(conditions, t: FfbTables, municipality: int) -> dict:
    """Theme levels over time per (citizen, theme): {(citizen, theme): [(date, level), ...]}."""
    events: dict[tuple[str, str], list] = defaultdict(list)
    for r in conditions:
        b = r["body"]
        if b.get("void") or not b.get("theme"):
            continue
        events[(r["citizen_id"], b["theme"])].append(
            (b["assessed_on"], r["stamp"], b["code"], b["level"])
        )
    levels: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for (citizen, theme), evs in sorted(events.items()):
        state: dict[str, int | None] = {}
        series: list[tuple[str, int]] = []
        for day, _stamp, code, level in sorted(evs):
            state[code] = level
            known = [v for v in state.values() if v is not None]
            if not known:
                continue
            if series and series[-1][0] == day:
                series[-1] = (day, max(known))
            else:
                series.append((day, max(known)))
        levels[(citizen, theme)] = series
        for day, level in series:
            t.assessment.append(
                {
                    "municipality_code": municipality,
                    "citizen_id": citizen,
                    "theme": theme,
                    "assessed_on": day,
                    "level": level,
                }
            )
    return levels


def _citizens(kinds: dict, plans: dict, maps: Maps, municipality: int) -> list[dict]:
    groups: dict[str, tuple[str, str]] = {}  # citizen -> (plan start, target group)
    targets = kinds["target_group"]
    for plan in plans.values():
        for ref, rank in plan["body"].get("targets") or []:
            tg = targets.get(ref or "")
            group = maps.ffb[tg["body"]["code"]].cockpit if tg else ""
            if rank == 1 and group:
                start = plan["body"]["start"]
                if plan["citizen_id"] not in groups or groups[plan["citizen_id"]][0] <= start:
                    groups[plan["citizen_id"]] = (start, group)
    out = {}
    for r in kinds["patient"].values():
        out[r["citizen_id"]] = {
            "citizen_id": r["citizen_id"],
            "municipality_code": municipality,
            "birth_year": r["body"]["birth_year"],
            "target_group": groups.get(r["citizen_id"], ("", None))[1],
        }
    return list(out.values())


def _followups(observations, grants: dict, t: FfbTables, municipality: int) -> list[dict]:
    rows = []
    for r in observations:
        b = r["body"]
        if b.get("void"):
            continue
        if b.get("plan") not in grants:
            t.gap("opfølgninger fra FFB hører til et indsatsforløb uden bevilling")
            continue
        rows.append(
            {
                "followup_id": r["resource_id"],
                "municipality_code": municipality,
                "grant_id": b["plan"],
                "planned_date": None,
                "performed_date": b["date"],
                "result": b["result"] or None,
            }
        )
    return rows


def _level_at(series: list[tuple[str, int]], day: str) -> int | None:
    before = [lv for d, lv in series if d <= day]
    return before[-1] if before else (series[0][1] if series else None)


def _goals(kinds, plans, grants, levels, t: FfbTables, municipality: int) -> list[dict]:
    themes = {r["resource_id"]: r["body"]["theme"] for r in kinds["condition"].values()}
    carried = {g: pid for pid, p in plans.items() for g in p["body"].get("goals") or []}
    rows = []
    for r in kinds["goal"].values():
        b = r["body"]
        if b.get("status") in VOID_GOAL:
            continue
        theme = themes.get(b["condition"], "")
        set_on = r["first_seen"][:10]
        baseline = _level_at(levels.get((r["citizen_id"], theme), []), set_on)
        if not theme or baseline is None or b.get("target_level") is None:
            t.gap("mål fra FFB mangler en vurdering af temaet og blev ikke medtaget")
            continue
        grant = grants.get(carried.get(r["resource_id"], ""))
        if grant is None:
            active = [
                g
                for g in grants.values()
                if g["citizen_id"] == r["citizen_id"]
                and g["start_date"] <= set_on
                and (g["end_date"] is None or g["end_date"] >= set_on)
            ]
            grant = active[0] if len(active) == 1 else None
        horizon = grant["next_followup_date"] if grant else None
        rows.append(
            {
                "goal_id": r["resource_id"],
                "municipality_code": municipality,
                "citizen_id": r["citizen_id"],
                "grant_id": grant["grant_id"] if grant else None,
                "theme": theme,
                "goal_type": b["goal_type"],
                "baseline_level": baseline,
                "target_level": b["target_level"],
                "set_on": set_on,
                "target_date": horizon,
            }
        )
    return rows
