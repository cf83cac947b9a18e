"""Who is looking and what that role may see: roles, the login mode (OIDC or demo), the role taken
from an identity-provider claim, and each role's access to citizen rows and the audit log."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Role = Literal["politiker", "direktoer", "leder", "admin"]
Mode = Literal["oidc", "demo", "broken"]

ROLE_LABELS: dict[str, str] = {
    "politiker": "Politiker",
    "direktoer": "Direktør",
    "leder": "Socialfaglig leder",
    "admin": "Administrator",
}

# Roles that may receive rows about single (pseudonymised) citizens.
CITIZEN_ROLES: frozenset[str] = frozenset({"leder"})
# Roles that may search the audit log (revisionsloggen).
AUDIT_ROLES: frozenset[str] = frozenset({"admin"})

# [cockpit] in secrets.toml: which ID-token claim carries the roles, and which claim names the
# user in the audit log. [cockpit.roles] maps each cockpit role to the claim values that grant it;
# without it, the claim values are the role names themselves.
DEFAULT_ROLE_CLAIM = "roles"
USER_CLAIMS = ("preferred_username", "email", "upn", "unique_name", "sub")
REQUIRED_AUTH_KEYS = ("redirect_uri", "cookie_secret")
REQUIRED_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
# Set in production so that a missing [auth] section is an error instead of demo mode.
REQUIRE_LOGIN_ENV = "COCKPIT_REQUIRE_LOGIN"


@dataclass(frozen=True)
class Principal:
    """Who is looking: the user, the role, and the municipalities (codes) whose citizens and
    unsuppressed figures the user may see; None means every municipality (demo mode, local mode
    and an OIDC setup without a municipality claim or mapping)."""

    user: str
    role: Role
    municipalities: frozenset[int] | None = None

    def may_see(self, municipality: int) -> bool:
        """Whether citizens and unsuppressed figures of this municipality are the principal's."""
        return self.municipalities is None or int(municipality) in self.municipalities

    @property
    def sees_citizens(self) -> bool:
        return self.role in CITIZEN_ROLES

    @property
    def suppress_small_numbers(self) -> bool:
        return not self.sees_citizens

    @property
    def sees_audit_log(self) -> bool:
        return self.role in AUDIT_ROLES


def provider(secrets: Mapping) -> str | None:
    """The st.login provider name: None for the default provider configured directly in [auth],
    else [cockpit] provider (a subsection such as [auth.microsoft])."""
    name = (secrets.get("cockpit") or {}).get("provider")
    return str(name) if name else None


def login_mode(
    secrets: Mapping | None, secrets_file_exists: bool, env: Mapping[str, str] | None = None
) -> Mode:
    """'oidc' when [auth] is configured (then demo mode is unreachable); 'broken' when [auth] is
    incomplete, the secrets file cannot be read, or COCKPIT_REQUIRE_LOGIN is set without [auth];
    'demo' only when no identity provider is configured at all."""
    env = os.environ if env is None else env
    if secrets is None:
        return "broken" if secrets_file_exists else _demo_or_broken(env)
    auth = secrets.get("auth")
    if auth is None:
        return _demo_or_broken(env)
    if not isinstance(auth, Mapping) or any(not auth.get(k) for k in REQUIRED_AUTH_KEYS):
        return "broken"
    name = provider(secrets)
    section = auth.get(name) if name else auth
    if not isinstance(section, Mapping) or any(not section.get(k) for k in REQUIRED_PROVIDER_KEYS):
        return "broken"
    return "oidc"


def _demo_or_broken(env: Mapping[str, str]) -> Mode:
    flag = env.get(REQUIRE_LOGIN_ENV, "").strip().lower()
    return "broken" if flag not in ("", "0", "false", "nej", "no") else "demo"


def _claim_values(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in value.replace(",", " ").split() if v]
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value]
    return [str(value)]


def roles_from_claims(claims: Mapping, secrets: Mapping) -> list[str]:
    """The cockpit roles the user's claims grant, in the order of ROLE_LABELS (none: no access)."""
    config = secrets.get("cockpit") or {}
    claim = str(config.get("role_claim") or DEFAULT_ROLE_CLAIM)
    values = set(_claim_values(claims.get(claim)))
    mapping = config.get("roles") or {}
    granted = []
    for role in ROLE_LABELS:
        accepted = set(_claim_values(mapping.get(role))) if mapping else {role}
        if values & accepted:
            granted.append(role)
    return granted


def user_from_claims(claims: Mapping, secrets: Mapping) -> str:
    """The name the audit log records: [cockpit] user_claim, else the first usual claim present."""
    config = secrets.get("cockpit") or {}
    names = ((config.get("user_claim"),) if config.get("user_claim") else ()) + USER_CLAIMS
    for name in names:
        value = claims.get(name)
        if value:
            return str(value)
    return "ukendt"


def _codes(values: list[str]) -> set[int]:
    codes = set()
    for value in values:
        try:
            codes.add(int(str(value).strip()))
        except ValueError:
            continue  # not a municipality code: grants nothing
    return codes


def municipalities_from_claims(claims: Mapping, secrets: Mapping) -> frozenset[int] | None:
    """The municipality codes the user may see, from [cockpit] municipality_claim (an ID-token
    claim listing codes, e.g. ["999", "573"] or "999 573") and/or [cockpit.municipalities] (a
    mapping from a user name or a value of the role claim, such as a group, to codes). None (every
    municipality) when neither is configured; an empty set (none) when configured but nothing
    matches, so a user outside every municipality sees no citizens and only suppressed figures."""
    config = secrets.get("cockpit") or {}
    claim = config.get("municipality_claim")
    mapping = config.get("municipalities") or {}
    if not claim and not mapping:
        return None
    codes = _codes(_claim_values(claims.get(str(claim)))) if claim else set()
    if mapping:
        keys = {user_from_claims(claims, secrets)}
        keys |= set(_claim_values(claims.get(str(config.get("role_claim") or DEFAULT_ROLE_CLAIM))))
        for key in keys:
            codes |= _codes(_claim_values(mapping.get(key)))
    return frozenset(codes)
