"""Scenario levers: what a director may change on top of the baseline, parsed from the CLI's and
the page's text, validated with Danish messages, and kept as JSON in the state store and the URL."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date

MAX_MOVE = 10_000
MAX_PCT = 100.0
MAX_SIGNALS = 10_000


class LeverError(ValueError):
    """A lever that cannot be used; the message is Danish and says what is wrong."""


@dataclass(frozen=True)
class Move:
    """N citizens from offer type `source` to offer type `target` from `start` (None: the first day
    of the month after the reference date)."""

    source: str
    target: str
    citizens: int
    start: date | None = None


@dataclass(frozen=True)
class Levers:
    moves: tuple[Move, ...] = ()
    price_pct: dict[str, float] = field(default_factory=dict)  # offer type -> % price change
    inflow_pct: dict[str, float] = field(default_factory=dict)  # offer type -> % inflow change
    youth_type: str | None = None  # offer type the 18-year-olds enter
    youth_per_year: int = 0  # 18-year-olds entering a year
    signals: int = 0  # act on the first K adjustment signals, dearest first
    index_pct: float = 0.0  # pris- og lønfremskrivning, % a year

    @property
    def empty(self) -> bool:
        return not (
            self.moves or self.price_pct or self.inflow_pct or self.youth_per_year or self.signals
        )

    def types(self) -> set[str]:
        """Every offer type code a lever names."""
        found = {m.source for m in self.moves} | {m.target for m in self.moves}
        found |= set(self.price_pct) | set(self.inflow_pct)
        if self.youth_type:
            found.add(self.youth_type)
        return found

    def check(self, known: set[str]) -> None:
        """Refuse unknown offer types and out-of-range numbers (LeverError, Danish)."""
        unknown = sorted(self.types() - known)
        if unknown:
            raise LeverError(f"Ukendt indsatstype: {', '.join(unknown)}")
        for m in self.moves:
            if m.source == m.target:
                raise LeverError("En flytning skal være mellem to forskellige indsatstyper.")
            if not 0 < m.citizens <= MAX_MOVE:
                raise LeverError(f"Antal borgere at flytte skal være mellem 1 og {MAX_MOVE}.")
        for kind, values in (("Prisændring", self.price_pct), ("Tilgangsændring", self.inflow_pct)):
            for code, pct in values.items():
                if not -MAX_PCT <= pct <= MAX_PCT:
                    raise LeverError(f"{kind} for {code} skal ligge mellem -100 % og 100 %.")
        if self.youth_per_year and not self.youth_type:
            raise LeverError("Vælg den indsatstype, de 18-årige kommer ind på.")
        if not 0 <= self.youth_per_year <= MAX_MOVE:
            raise LeverError(f"Antal 18-årige skal være mellem 0 og {MAX_MOVE}.")
        if not 0 <= self.signals <= MAX_SIGNALS:
            raise LeverError("Antal tilpasningssignaler kan ikke være negativt.")
        if not -20 <= self.index_pct <= 20:
            raise LeverError("Pris- og lønfremskrivningen skal ligge mellem -20 % og 20 % om året.")

    # ------------------------------------------------------------ JSON (store, URL)

    def to_json(self) -> str:
        raw = asdict(self)
        raw["moves"] = [
            {**asdict(m), "start": m.start.isoformat() if m.start else None} for m in self.moves
        ]
        return json.dumps(raw, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Levers:
        """The levers saved with to_json; LeverError for anything else."""
        try:
            raw = json.loads(text)
            moves = tuple(
                Move(
                    str(m["source"]),
                    str(m["target"]),
                    int(m["citizens"]),
                    date.fromisoformat(m["start"]) if m.get("start") else None,
                )
                for m in raw.get("moves", [])
            )
            return cls(
                moves=moves,
                price_pct={str(k): float(v) for k, v in raw.get("price_pct", {}).items()},
                inflow_pct={str(k): float(v) for k, v in raw.get("inflow_pct", {}).items()},
                youth_type=raw.get("youth_type") or None,
                youth_per_year=int(raw.get("youth_per_year") or 0),
                signals=int(raw.get("signals") or 0),
                index_pct=float(raw.get("index_pct") or 0.0),
            )
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise LeverError("Scenariet kan ikke læses.") from exc


# ---------------------------------------------------------------- CLI text


def _number(text: str, what: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise LeverError(f"{what}: {text!r} er ikke et tal") from None


def parse_move(text: str) -> Move:
    """'SEL108:SEL85:10' or 'SEL108:SEL85:10:2027-01-01'."""
    parts = text.split(":")
    if len(parts) not in (3, 4):
        raise LeverError(f"--move {text!r}: brug FRA:TIL:ANTAL[:ÅÅÅÅ-MM-DD]")
    try:
        citizens = int(parts[2])
    except ValueError:
        raise LeverError(f"--move {text!r}: antal skal være et helt tal") from None
    start = None
    if len(parts) == 4:
        try:
            start = date.fromisoformat(parts[3])
        except ValueError:
            raise LeverError(f"--move {text!r}: ugyldig dato, brug ÅÅÅÅ-MM-DD") from None
    return Move(parts[0], parts[1], citizens, start)


def parse_pct(text: str, option: str) -> tuple[str, float]:
    """'SEL108:-5' -> ('SEL108', -5.0)."""
    code, sep, pct = text.partition(":")
    if not sep or not code:
        raise LeverError(f"{option} {text!r}: brug INDSATSTYPE:PROCENT")
    return code, _number(pct, option)


def parse_youth(text: str) -> tuple[str, int]:
    """'SEL85:12' -> ('SEL85', 12)."""
    code, sep, n = text.partition(":")
    if not sep or not code:
        raise LeverError(f"--youth {text!r}: brug INDSATSTYPE:ANTAL")
    try:
        return code, int(n)
    except ValueError:
        raise LeverError(f"--youth {text!r}: antal skal være et helt tal") from None


def from_cli(
    moves: list[str],
    prices: list[str],
    inflows: list[str],
    youth: str | None,
    signals: int,
    index: float,
) -> Levers:
    youth_type, youth_n = parse_youth(youth) if youth else (None, 0)
    return Levers(
        moves=tuple(parse_move(m) for m in moves),
        price_pct=dict(parse_pct(p, "--price") for p in prices),
        inflow_pct=dict(parse_pct(q, "--inflow") for q in inflows),
        youth_type=youth_type,
        youth_per_year=youth_n,
        signals=signals,
        index_pct=index,
    )
