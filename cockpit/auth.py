"""Who is looking and what that role may see: roles, their pages and their access to citizen rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["politiker", "direktoer", "leder", "admin"]

ROLE_LABELS: dict[str, str] = {
    "politiker": "Politiker",
    "direktoer": "Direktør",
    "leder": "Socialfaglig leder",
    "admin": "Administrator",
}

# Roles that may receive rows about single (pseudonymised) citizens.
CITIZEN_ROLES: frozenset[str] = frozenset({"leder"})


@dataclass(frozen=True)
class Principal:
    user: str
    role: Role

    @property
    def sees_citizens(self) -> bool:
        return self.role in CITIZEN_ROLES

    @property
    def suppress_small_numbers(self) -> bool:
        return not self.sees_citizens
