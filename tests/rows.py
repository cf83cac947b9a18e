"""Row builders the hand-computed query tests share (tests/test_kpis.py,
tests/test_social_queries.py): the scope, grants, and the Kontrakter cases.

Scope: municipality 999, year 2024 (a leap year, 366 days), reference date 31 March 2024.
"""

from __future__ import annotations

from datetime import date, timedelta

from cockpit.periods import Scope

D = date(2024, 3, 31)
SCOPE = Scope(999, 2024, D)


def days(n: int) -> date:
    return D + timedelta(days=n)


def grant(gid: str, start: date, end: date | None = None, **kw) -> dict:
    row = {
        "grant_id": gid,
        "citizen_id": kw.pop("citizen_id", "C" + gid),
        "offer_type_code": kw.pop("offer_type_code", "SEL85"),
        "start_date": start,
        "end_date": end,
        "monthly_price": kw.pop("monthly_price", 1000.0),
    }
    row.update(kw)
    return row


def contract(cid, gid, valid_from, valid_to, annex, reneg, monthly_price=1000) -> dict:
    return {
        "contract_id": cid,
        "grant_id": gid,
        "template": "kl_standard",
        "valid_from": valid_from,
        "valid_to": valid_to,
        "monthly_price": monthly_price,
        "has_goals_annex": annex,
        "renegotiate_by": reneg,
    }


def add_contract_cases(tiny):
    """The Kontrakter cases, on offers P (private), R (region), K (other municipality) and OWN
    (own) the caller has added: external grants GA, GB, GC active on d (GA covered; GB's contract
    expired d-1; GC's valid from d), GD on an own offer, GE ended d-1, GF without an offer; six
    contracts, K4-K6 on grants not in the data."""
    start = date(2022, 1, 1)
    tiny.add(
        "grant",
        grant("GA", start, offer_id="P", monthly_price=1000),
        grant("GB", start, offer_id="R", monthly_price=3000),
        grant("GC", start, offer_id="K", monthly_price=6000),
        grant("GD", start, offer_id="OWN", monthly_price=50000),
        grant("GE", start, days(-1), offer_id="P", monthly_price=50000),
        grant("GF", start, monthly_price=50000),
    )
    tiny.add(
        "contract",
        contract("K1", "GA", start, None, True, days(90)),
        contract("K2", "GB", start, days(-1), True, D),
        contract("K3", "GC", D, None, False, days(91)),
        contract("K4", "GX", start, None, True, None),
        contract("K5", "GY", start, days(30), False, days(-10)),
        contract("K6", "GZ", days(1), None, True, days(1)),
    )
    return tiny


def add_achieved_goal(tiny):
    """Citizen C2's develop goal M on grant B (mobilitet, level 3 → 1, set 1 January 2023),
    reached by the assessment of 1 June 2023: an adjustment signal when nothing was decided since."""
    tiny.add(
        "goal",
        {
            "goal_id": "M",
            "citizen_id": "C2",
            "grant_id": "B",
            "theme": "mobilitet",
            "goal_type": "develop",
            "baseline_level": 3,
            "target_level": 1,
            "set_on": date(2023, 1, 1),
            "target_date": date(2024, 6, 30),
        },
    )
    tiny.add(
        "assessment",
        {"citizen_id": "C2", "theme": "mobilitet", "assessed_on": date(2023, 5, 1), "level": 3},
        {"citizen_id": "C2", "theme": "mobilitet", "assessed_on": date(2023, 6, 1), "level": 1},
    )


def decision(did, kind, outcome, applied, decided, offer_type="SEL85", by="caseworker", cit="C1"):
    return {
        "decision_id": did,
        "citizen_id": cit,
        "offer_type_code": offer_type,
        "application_date": applied,
        "decision_date": decided,
        "kind": kind,
        "outcome": outcome,
        "decided_by": by,
    }


def goal(gid, cit, theme, goal_type, baseline, target, set_on, target_date, grant_id=None):
    return {
        "goal_id": gid,
        "citizen_id": cit,
        "grant_id": grant_id,
        "theme": theme,
        "goal_type": goal_type,
        "baseline_level": baseline,
        "target_level": target,
        "set_on": set_on,
        "target_date": target_date,
    }


def assessment(cit, theme, on, level):
    return {"citizen_id": cit, "theme": theme, "assessed_on": on, "level": level}


# Assessments of citizens C1, C2, C3 and C5 (progression and goal attainment): pairs C1
# egenomsorg 3→2, C1 mobilitet 2→2, C2 egenomsorg 1→3, C3 relationer 4→3; C2 mobilitet's first is
# exactly d - 365 (outside the window), C3's last is after d.
ASSESSMENT_CASES = (
    assessment("C1", "egenomsorg", date(2023, 6, 1), 3),
    assessment("C1", "egenomsorg", date(2024, 1, 1), 2),
    assessment("C1", "mobilitet", date(2023, 6, 1), 2),
    assessment("C1", "mobilitet", date(2023, 9, 1), 3),
    assessment("C1", "mobilitet", D, 2),
    assessment("C2", "egenomsorg", date(2023, 5, 1), 1),
    assessment("C2", "egenomsorg", date(2024, 2, 1), 3),
    assessment("C2", "mobilitet", date(2023, 4, 1), 4),
    assessment("C2", "mobilitet", date(2024, 1, 1), 2),
    assessment("C3", "relationer", date(2023, 7, 1), 4),
    assessment("C3", "relationer", date(2023, 12, 1), 3),
    assessment("C3", "relationer", date(2024, 4, 1), 0),
    assessment("C5", "sundhed", date(2022, 1, 1), 0),
)


def add_followup_cases(tiny):
    """Grants F1-F6 with planned follow-ups: F1 and F3 are overdue on d (F2 followed up on time,
    F4 due on d, F5 without a date, F6 ended)."""
    start = date(2023, 1, 1)
    tiny.add(
        "grant",
        grant("F1", start, next_followup_date=days(-1)),
        grant("F2", start, next_followup_date=days(-1)),
        grant("F3", start, next_followup_date=days(-30)),
        grant("F4", start, next_followup_date=D),
        grant("F5", start, next_followup_date=None),
        grant("F6", start, days(-1), next_followup_date=days(-30)),
    )
    tiny.add(
        "followup",
        {
            "followup_id": "U2",
            "grant_id": "F2",
            "planned_date": days(-1),
            "performed_date": days(-1),
        },
        {
            "followup_id": "U3",
            "grant_id": "F3",
            "planned_date": days(-30),
            "performed_date": days(-40),
        },
    )


def add_adjustment_cases(tiny) -> None:
    """Adjustment-signal cases: signals for C1, C4, C7, C8 and C9."""
    start, set_on = date(2023, 1, 1), date(2023, 1, 1)
    limit = D - timedelta(days=90)  # 1 January 2024
    cases = {
        # citizen: (achievement date, goal type, grant end)
        "C1": (date(2023, 9, 1), "develop", None),  # signal
        "C2": (date(2023, 9, 1), "develop", None),  # change decision afterwards
        "C3": (date(2024, 2, 1), "develop", None),  # achieved less than 90 days ago
        "C4": (date(2023, 6, 1), "develop", None),  # a later 'new' decision does not count
        "C5": (date(2023, 6, 1), "maintain", None),  # not a development goal
        "C6": (date(2023, 6, 1), "develop", days(-1)),  # grant no longer active
        "C7": (date(2023, 6, 1), "develop", None),  # revisitation before achievement: signal
        "C9": (limit, "develop", None),  # exactly 90 days: signal
        "C10": (date(2023, 6, 1), "develop", None),  # end decision on the achievement date
    }
    for cit, (achieved, goal_type, end) in cases.items():
        tiny.add("grant", grant("S" + cit, start, end, citizen_id=cit))
        tiny.add(
            "goal", goal("G" + cit, cit, "egenomsorg", goal_type, 3, 2, set_on, None, "S" + cit)
        )
        tiny.add(
            "assessment",
            assessment(cit, "egenomsorg", date(2022, 12, 1), 1),  # before set_on: ignored
            assessment(cit, "egenomsorg", date(2023, 3, 1), 3),
            assessment(cit, "egenomsorg", achieved, 2),
        )
    # C8: two achieved development goals on one grant count once.
    tiny.add("grant", grant("SC8", start, citizen_id="C8"))
    tiny.add(
        "goal",
        goal("GC8a", "C8", "egenomsorg", "develop", 3, 2, set_on, None, "SC8"),
        goal("GC8b", "C8", "mobilitet", "develop", 3, 2, set_on, None, "SC8"),
    )
    tiny.add(
        "assessment",
        assessment("C8", "egenomsorg", date(2023, 5, 1), 2),
        assessment("C8", "mobilitet", date(2023, 5, 1), 1),
    )
    tiny.add(
        "decision",
        decision("X2", "change", "changed", date(2023, 9, 15), date(2023, 10, 1), cit="C2"),
        decision("X4", "new", "granted", date(2023, 9, 15), date(2023, 10, 1), cit="C4"),
        decision("X7", "revisitation", "changed", date(2023, 4, 1), date(2023, 5, 1), cit="C7"),
        decision("X10", "end", "ended", date(2023, 5, 1), date(2023, 6, 1), cit="C10"),
    )


def one_grant_each(people, end: date | None = None, offers: bool = False) -> tuple[list, list]:
    """Grant and expense rows for (prefix, i, offer type, monthly price, January spend) tuples: citizen
    PSEUDO-<prefix><i:02d> with one grant from 1 January 2023 (ending `end`) and one expense on 31
    January 2024 (grant and expense on offer O-<type> when `offers`)."""
    grants, expenses = [], []
    for prefix, i, code, price, spent in people:
        cid = f"PSEUDO-{prefix}{i:02d}"
        grants.append(
            {
                "grant_id": f"G-{cid}",
                "citizen_id": cid,
                "offer_type_code": code,
                "start_date": date(2023, 1, 1),
                "end_date": end,
                "monthly_price": price,
            }
            | ({"offer_id": f"O-{code}"} if offers else {})
        )
        expenses.append(
            {
                "expense_id": f"E-{cid}",
                "posting_date": date(2024, 1, 31),
                "amount_dkk": spent,
                "account_function": "5.38.50",
                "offer_type_code": code,
                "grant_id": f"G-{cid}",
                "citizen_id": cid,
            }
            | ({"offer_id": f"O-{code}"} if offers else {})
        )
    return grants, expenses


def offer(oid, owner, offer_type="SEL108", places=None, name=None):
    return {
        "offer_id": oid,
        "name": name or f"Tilbud {oid}",
        "owner_type": owner,
        "offer_type_code": offer_type,
        "places": places,
        "location_municipality_code": 999,
    }
