"""FFB uddatasæt: read one KLReportingFFBDeliveryReport bundle (FHIR R4 JSON) per file into compact,
pseudonymised records for staging, checking the guide's rules (one citizen with a well-formed CPR
number, every reference inside the bundle, every FFB code known and of the right kind, severity only
on "Aktivitet og deltagelse"). Nothing but the fields the cockpit needs leaves this module; the CPR
number is replaced by the pseudonym before a record exists.

Readings accepted where the guide allows two (README, "FFB uddatasæt"): a resource's profile from
meta.profile or else from its content; references as "Type/id", "urn:uuid:id" or a bare id; the
version stamp from meta.lastUpdated or else Bundle.timestamp; a re-assessment as a new Condition id
or as the same id with a newer version (conditionLastAssertedDate); codes at leaf or parent level."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cockpit.ingest.sources.mappings import Maps
from cockpit.ingest.sources.problems import Problems
from cockpit.ingest.sources.pseudonym import Pseudonymiser, birth_year, normalise

FFB_SYSTEM = "urn:oid:1.2.208.176.2.22"
CPR_SYSTEM = "urn:oid:1.2.208.176.1.2"
FOLLOWUP_SNOMED = "712744002"
LAST_ASSERTED = "conditionLastAssertedDate"
FOLLOWUP_DATE = "follow-up-date"
SEVERITY_MEASURE = "66959f77-6e2a-4574-8423-3ff097f8b9fa"
CHANGE_MEASURE = "90c48f03-f194-4b2f-ad7d-6cba1069ae48"


@dataclass
class Record:
    kind: str  # patient, condition, target_group, goal, careplan, intervention, performer, ...
    resource_id: str
    key: str  # staging key: the id, or id|assessed_on for a condition
    citizen_id: str
    stamp: str  # ISO UTC: meta.lastUpdated, else Bundle.timestamp
    body: dict


def _stamp(text: str | None) -> str | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _day(text: object) -> str | None:
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return datetime.strptime(text[:10], "%Y-%m-%d").date().isoformat()
    except ValueError:
        return None


def _ref_id(ref: object) -> str | None:
    if isinstance(ref, dict):
        ref = ref.get("reference")
    if not isinstance(ref, str) or not ref:
        return None
    return ref.removeprefix("urn:uuid:").rsplit("/", 1)[-1]


def _profiles(res: dict) -> str:
    return " ".join((res.get("meta") or {}).get("profile") or [])


def _ffb_codes(concept: object) -> list[str]:
    codings = (concept or {}).get("coding") or [] if isinstance(concept, dict) else []
    return [c.get("code", "") for c in codings if c.get("system") == FFB_SYSTEM]


def _ext(res: dict, name: str) -> dict | None:
    for e in res.get("extension") or []:
        if name.lower() in str(e.get("url", "")).lower():
            return e
    return None


class BundleReader:
    def __init__(self, maps: Maps, pseudo: Pseudonymiser, problems: Problems) -> None:
        self.maps, self.pseudo, self.problems = maps, pseudo, problems

    def read(self, path: Path) -> list[Record]:
        """The bundle's records, or [] with problems added."""
        name = path.name
        try:
            bundle = json.loads(path.read_bytes().decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            self.problems.add(name, None, None, "Filen er ikke gyldig JSON")
            return []
        if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
            self.problems.add(name, None, "resourceType", "Filen er ikke et FHIR Bundle")
            return []
        if bundle.get("type") != "collection":
            self.problems.add(name, None, "type", "Leverancen skal have type collection")
        stamp = _stamp(bundle.get("timestamp"))
        if stamp is None:
            self.problems.add(name, None, "timestamp", "Leverancen mangler et gyldigt tidsstempel")
            return []
        before = len(self.problems.items)
        entries = [e.get("resource") or {} for e in bundle.get("entry") or []]
        known = {r.get("id") for r in entries if r.get("id")}
        patients = [(i, r) for i, r in enumerate(entries) if r.get("resourceType") == "Patient"]
        if len(patients) != 1:
            self.problems.add(name, None, "Patient", "Leverancen skal have præcis én borger")
            return []
        try:
            citizen = self._patient(name, *patients[0])
        except (AttributeError, TypeError, KeyError, IndexError, ValueError):
            self.problems.add(name, None, "Patient", "Borgeren følger ikke FFB-profilen")
            return []
        records: list[Record] = []
        for i, res in enumerate(entries):
            where = f"entry[{i}] {res.get('resourceType', '?')}/{res.get('id', '?')}"
            if not res.get("id"):
                self.problems.add(name, None, where, "Ressourcen mangler id")
                continue
            self._check_refs(name, where, res, known)
            if citizen is None:
                continue
            try:
                rec = self._record(name, where, res, citizen, _stamp(_meta(res)) or stamp)
            except (AttributeError, TypeError, KeyError, IndexError, ValueError):
                self.problems.add(name, None, where, "Ressourcen følger ikke FFB-profilen")
                continue
            if rec is not None:
                records.append(rec)
        return records if len(self.problems.items) == before else []

    # -- checks --------------------------------------------------------------------------------

    def _patient(self, name: str, i: int, res: dict) -> Record | None:
        ids = [x for x in res.get("identifier") or [] if x.get("system") == CPR_SYSTEM]
        where = f"entry[{i}] Patient.identifier"
        if len(ids) != 1:
            self.problems.add(name, None, where, "Borgeren skal have ét CPR-nummer")
            return None
        cpr = normalise(ids[0].get("value"))
        if cpr is None:  # the value is never repeated in the message
            self.problems.add(name, None, where, "CPR-nummeret har ikke formatet DDMMÅÅ-XXXX")
            return None
        year = birth_year(cpr)
        citizen = self.pseudo.pseudonym(cpr) or ""
        org = ((res.get("managingOrganization") or {}).get("identifier") or {}).get("value")
        return Record(
            "patient", res["id"], res["id"], citizen, "", {"birth_year": year, "org": org}
        )

    def _check_refs(self, name: str, where: str, res: dict, known: set) -> None:
        for ref in _references(res):
            rid = _ref_id(ref)
            if rid is not None and rid not in known:
                self.problems.add(
                    name, None, where, f"Henviser til {ref}, som ikke er med i leverancen"
                )

    def _code(self, name: str, where: str, codes: list[str], kinds: tuple[str, ...]) -> str | None:
        """The first code of the right kind; a problem for a missing, unknown or wrong code."""
        if not codes:
            self.problems.add(name, None, where, "Mangler en kode fra FFB-kodesystemet")
            return None
        for code in codes:
            kind = self.maps.ffb_kind(code)
            if kind is None:
                self.problems.add(name, None, where, f"Ukendt FFB-kode {code}")
                return None
            if kind in kinds:
                return code
        self.problems.add(name, None, where, f"FFB-koden {codes[0]} hører ikke hjemme her")
        return None

    # -- one resource --------------------------------------------------------------------------

    def _record(
        self, name: str, where: str, res: dict, patient: Record, stamp: str
    ) -> Record | None:
        rtype, rid, citizen = res.get("resourceType"), res["id"], patient.citizen_id
        body: dict | None
        kind = rtype.lower() if isinstance(rtype, str) else "?"
        if rtype == "Patient":
            return Record("patient", rid, rid, citizen, stamp, patient.body)
        if rtype == "Condition":
            kind, body = self._condition(name, where, res)
        elif rtype == "Goal":
            kind, body = "goal", self._goal(name, where, res)
        elif rtype == "CarePlan":
            kind, body = self._careplan(name, where, res)
        elif rtype == "CareTeam":
            code = self._code(name, where + ".category", _first_codes(res, "category"), ("tilbud",))
            kind, body = "performer", None if code is None else {"code": code}
        elif rtype == "Encounter":
            kind, body = "encounter", {"date": _day((res.get("period") or {}).get("start"))}
        elif rtype == "Observation":
            kind, body = self._observation(name, where, res)
        elif rtype in ("ServiceRequest", "ClinicalImpression"):
            return None  # carries nothing the cockpit shows; its references are checked
        else:
            self.problems.add(name, None, where, f"Ressourcetypen {rtype} er ikke med i FFB")
            return None
        if body is None:
            return None
        key = f"{rid}|{body['assessed_on']}" if kind == "condition" else rid
        return Record(kind, rid, key, citizen, stamp, body)

    def _condition(self, name: str, where: str, res: dict) -> tuple[str, dict | None]:
        codes = _ffb_codes(res.get("code"))
        if "targetGroup" in _profiles(res) or any(
            self.maps.ffb_kind(c) == "target_group" for c in codes
        ):
            code = self._code(name, where + ".code", codes, ("target_group",))
            return "target_group", None if code is None else {"code": code}
        code = self._code(name, where + ".code", codes, ("condition", "condition_ad"))
        if code is None:
            return "condition", None
        severity = _ffb_codes(res.get("severity"))
        ad = self.maps.ffb_kind(code) == "condition_ad"
        level: int | None = None
        if ad and not severity:
            self.problems.add(
                name,
                None,
                where + ".severity",
                "Aktivitet og deltagelse kræver et funktionsevneniveau",
            )
            return "condition", None
        if not ad and severity:
            self.problems.add(
                name,
                None,
                where + ".severity",
                "Kun Aktivitet og deltagelse må have et funktionsevneniveau",
            )
            return "condition", None
        if ad:
            sev = self._code(name, where + ".severity", severity, ("level",))
            if sev is None:
                return "condition", None
            text = self.maps.ffb[sev].cockpit
            level = int(text) if text else None  # "Ikke vurderet": no level
        asserted = _ext(res, LAST_ASSERTED)
        day = _day((asserted or {}).get("valueDateTime")) or _day(res.get("recordedDate"))
        if day is None:
            self.problems.add(name, None, where + ".recordedDate", "Mangler en gyldig dato")
            return "condition", None
        status = ((res.get("verificationStatus") or {}).get("coding") or [{}])[0].get("code")
        return "condition", {
            "code": code,
            "theme": self.maps.ffb[code].cockpit if ad else "",
            "level": level,
            "assessed_on": day,
            "void": status == "entered-in-error",
        }

    def _goal(self, name: str, where: str, res: dict) -> dict | None:
        goal_type = target = None
        for t in res.get("target") or []:
            measure = ((t.get("measure") or {}).get("coding") or [{}])[0].get("code")
            codes = _ffb_codes(t.get("detailCodeableConcept"))
            kinds = {self.maps.ffb_kind(c) for c in codes}
            if measure == CHANGE_MEASURE or "goal_type" in kinds:
                goal_type = self._code(name, where + ".target", codes, ("goal_type",))
            elif measure == SEVERITY_MEASURE or "level" in kinds:
                target = self._code(name, where + ".target", codes, ("level",))
        primary = [
            _ref_id(a)
            for a in res.get("addresses") or []
            if any(e.get("valuePositiveInt") == 1 for e in a.get("extension") or [])
        ]
        if goal_type is None or target is None or len(primary) != 1:
            self.problems.add(
                name, None, where, "Målet skal have måltype, målniveau og én primær tilstand"
            )
            return None
        level = self.maps.ffb[target].cockpit
        return {
            "goal_type": self.maps.ffb[goal_type].cockpit,
            "target_level": int(level) if level else None,
            "condition": primary[0],
            "status": res.get("lifecycleStatus"),
        }

    def _careplan(self, name: str, where: str, res: dict) -> tuple[str, dict | None]:
        period = res.get("period") or {}
        start, end = _day(period.get("start")), _day(period.get("end"))
        detail = ((res.get("activity") or [{}])[0] or {}).get("detail")
        if "kl-reporting-ffb-intervention" in _profiles(res) or detail:
            code = self._code(
                name,
                where + ".activity.detail.code",
                _ffb_codes((detail or {}).get("code")),
                ("ydelse",),
            )
            plan = _ref_id((res.get("basedOn") or [None])[0])
            if code is None or start is None or plan is None:
                if start is None or plan is None:
                    self.problems.add(
                        name, None, where, "Ydelsen skal have startdato og indsatsforløb"
                    )
                return "intervention", None
            return "intervention", {
                "code": code,
                "plan": plan,
                "start": start,
                "end": end,
                "status": res.get("status"),
            }
        if start is None:
            self.problems.add(
                name, None, where + ".period.start", "Indsatsforløbet mangler startdato"
            )
            return "careplan", None
        followup = _ext(res, FOLLOWUP_DATE)
        return "careplan", {
            "start": start,
            "end": end,
            "status": res.get("status"),
            "performers": [_ref_id(r) for r in res.get("careTeam") or []],
            "targets": [
                [_ref_id(a), next((e.get("valuePositiveInt") for e in a.get("extension") or []), 2)]
                for a in res.get("addresses") or []
            ],
            "goals": [_ref_id(g) for g in res.get("goal") or []],
            "followup": _ref_id((followup or {}).get("valueReference")),
        }

    def _observation(self, name: str, where: str, res: dict) -> tuple[str, dict | None]:
        codings = (res.get("code") or {}).get("coding") or []
        if "followUp" in _profiles(res) or any(c.get("code") == FOLLOWUP_SNOMED for c in codings):
            code = self._code(
                name,
                where + ".value",
                _ffb_codes(res.get("valueCodeableConcept")),
                ("followup_result",),
            )
            day = _day(res.get("effectiveDateTime"))
            if code is None or day is None:
                return "followup", None
            return "followup", {
                "plan": _ref_id((res.get("focus") or [None])[0]),
                "date": day,
                "result": self.maps.ffb[code].cockpit,
                "void": res.get("status") == "entered-in-error",
            }
        code = self._code(
            name, where + ".value", _ffb_codes(res.get("valueCodeableConcept")), ("support_need",)
        )
        return "care_evaluation", None if code is None else {"code": code}


def _meta(res: dict) -> str | None:
    return (res.get("meta") or {}).get("lastUpdated")


def _first_codes(res: dict, element: str) -> list[str]:
    value = res.get(element)
    if isinstance(value, list):
        value = value[0] if value else None
    return _ffb_codes(value)


def _references(node: object) -> list[str]:
    """Every Reference.reference in a resource."""
    found: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "reference" and isinstance(v, str):
                found.append(v)
            else:
                found.extend(_references(v))
    elif isinstance(node, list):
        for v in node:
            found.extend(_references(v))
    return found
