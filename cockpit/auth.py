"""Who is looking and what that role may see: roles, the login mode (OIDC or demo), the role taken
from an identity-provider claim, and each role's access to citizen rows and the audit log."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Role = Literal["politiker", "direktoer", "leder", "admin"]
Mode = Literal["oidc", "demo", "local", "broken"]

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
# Set by `python -m cockpit run --local`: a municipality's own data on 127.0.0.1 to a chosen role,
# before an identity provider is set up (marked "Lokal tilstand", every view audited).
LOCAL_ENV = "COCKPIT_LOCAL"
LOCAL_ROLE_ENV = "COCKPIT_LOCAL_ROLE"  # --role: the one role local mode serves (else a picker)
# Pages demo mode never offers, whatever the role (no import into, no audit log of, a demo).
NOT_IN_DEMO = frozenset({"import", "revisionslog"})
# The source data_load names for generated data; demo mode serves nothing else.
SYNTHETIC_SOURCE = "Syntetiske eksempeldata"
# Tests (AppTest, in the test process only) may set the principal directly under this key.
TEST_PRINCIPAL = "_test_principal"


@dataclass(frozen=True)
class Principal:
    """Who is looking: the user, the role, and the municipalities (codes) whose citizens and
    unsuppressed figures the user may see; None means every municipality (demo mode, local mode
    and an OIDC setup without a municipality claim or mapping)."""

    user: str
    role: Role
    mode: Mode = "oidc"  # how the user got in: "demo" and "local" are marked on every page
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
        return self.role in AUDIT_ROLES and self.mode != "demo"

    @property
    def may_import(self) -> bool:
        return self.role == "admin" and self.mode != "demo"


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


def _flag(env: Mapping[str, str], name: str) -> bool:
    return env.get(name, "").strip().lower() not in ("", "0", "false", "nej", "no")


def _demo_or_broken(env: Mapping[str, str]) -> Mode:
    if _flag(env, REQUIRE_LOGIN_ENV):
        return "broken"
    return "local" if _flag(env, LOCAL_ENV) else "demo"


def is_loopback(host: str | None) -> bool:
    """Whether a listening address or client address is this machine only (127.0.0.0/8, ::1,
    localhost). An empty address means every interface, so it is not."""
    if not host:
        return False
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


# Headers a reverse proxy adds: a session that came through one is not a local session.
FORWARDING_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host")


def local_only(address: str | None, headers: Mapping[str, str]) -> bool:
    """Demo and local mode are served only to this machine: the server listens on a loopback
    address, and the session did not come through a proxy."""
    forwarded = {k.lower() for k in headers} & set(FORWARDING_HEADERS)
    return is_loopback(address) and not forwarded


def all_synthetic(sources: list[str]) -> bool:
    """Demo mode's rule for a database: at least one data_load row, and every one from the
    generator. Anything else counts as real data."""
    return bool(sources) and all(s == SYNTHETIC_SOURCE for s in sources)


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
