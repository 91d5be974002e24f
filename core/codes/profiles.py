"""Platform profiles: data in resources/platforms/*.toml, parsed into typed objects.

Every number in a profile carries its source, because most of them are unverified
(the seed article). The sources are for maintainers: users are shown only what cardbind
itself counts and keeps (its attempt budget, its waits), never an unverified figure.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from core.errors import UsageError
from core.i18n import N_, _, localized
from core.resources import resource_path

FieldName = Literal["pin", "card_number"]
FIELD_NAMES: tuple[FieldName, ...] = ("pin", "card_number")
SCHEMA_VERSION = 1

# Where a number comes from (for maintainers; never shown to users).
SOURCES: dict[str, str] = {
    "seed": "reported by the source article, unverified",
    "research": "from public research, likely but unconfirmed",
    "assumption": "our default, unverified; change it in settings",
    "platform": "stated by the platform",
}
VERIFICATION_KINDS: dict[str, str] = {
    "sms": N_("SMS code"),
    "captcha": N_("picture captcha"),
    "payment_password": N_("payment password"),
    "token": N_("dynamic token"),
    "qr": N_("scan a QR code"),
}
CHANNELS: dict[str, str] = {
    "ticket": N_("a support ticket"),
    "chat": N_("online customer service chat"),
    "appeal": N_("the automatic appeal form"),
    "store": N_("a store's service desk"),
    "hotline": N_("the customer service hotline"),
}
CREDIT_TIMINGS: dict[str, str] = {
    "instant": N_("credited at once"),
    "after_delivery": N_("credited after you confirm delivery"),
    "presale_delayed": N_("pre-sale cards are credited later"),
    "t_plus_1": N_("credited the next working day (T+1)"),
    "unknown": N_("credit time not known"),
}
CHECK_KINDS = ("none", "luhn")


class ProfileError(UsageError, ValueError):
    """A profile file that cannot be used; the message names the file and the key."""

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path = str(path)
        self.key = key
        self.problem = problem
        super().__init__(
            _("Platform profile {file}: key '{key}': {problem}").format(
                file=self.path, key=key, problem=problem
            )
        )


@dataclass(frozen=True)
class Sourced:
    """A setting together with where the number comes from."""

    value: int | str | None
    source: str
    note: str = ""

    @property
    def stated_by_platform(self) -> bool:
        """Only a platform's own statement is shown to users as a fact."""
        return self.source == "platform"


@dataclass(frozen=True)
class FieldFormat:
    name: FieldName
    label: Mapping[str, str]
    lengths: tuple[int, ...]
    alphabet: str
    usual_alphabet: str
    groups: tuple[int, ...]
    separator: str
    check: str
    required: bool
    input_map: Mapping[str, str]
    source: str
    note: str = ""

    @property
    def min_length(self) -> int:
        return min(self.lengths)

    @property
    def max_length(self) -> int:
        return max(self.lengths)

    def display_label(self) -> str:
        return localized(self.label)

    def group(self, value: str) -> list[str]:
        """Split `value` into display groups; extra characters go into groups of the last size."""
        out: list[str] = []
        pos = 0
        sizes = list(self.groups) or [4]
        i = 0
        while pos < len(value):
            size = sizes[i] if i < len(sizes) else sizes[-1]
            out.append(value[pos : pos + size])
            pos += size
            i += 1
        return out

    def display(self, value: str) -> str:
        return self.separator.join(self.group(value))


@dataclass(frozen=True)
class Profile:
    id: str
    name: Mapping[str, str]
    fields: Mapping[str, FieldFormat]
    verification: tuple[str, ...]
    verification_source: str
    attempt_limit: Sourced
    lockout_hours: Sourced
    cooldown_seconds: Sourced
    failure_channel: Sourced
    ticket_hours: Sourced
    credit_timing: Sourced
    bind_url: str
    notes: Mapping[str, str] = field(default_factory=dict)
    path: str = ""

    def display_name(self) -> str:
        return localized(self.name)

    def field(self, name: str) -> FieldFormat:
        try:
            return self.fields[name]
        except KeyError:
            raise KeyError(
                _("Platform {platform} has no field {field}").format(platform=self.id, field=name)
            ) from None

    @property
    def primary_field(self) -> FieldFormat:
        return self.fields["pin"]


def _expand_alphabet(spec: str) -> str:
    """`0-9A-F` → `0123456789ABCDEF`; ranges keep the spec short and readable in TOML."""
    out: list[str] = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            start, end = ord(spec[i]), ord(spec[i + 2])
            if end < start:
                raise ValueError(spec[i : i + 3])
            out.extend(chr(c) for c in range(start, end + 1))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    seen: dict[str, None] = dict.fromkeys(out)
    return "".join(seen)


class _Reader:
    """Typed access to one TOML table with errors that name the file and the dotted key."""

    def __init__(self, path: Path, data: Mapping[str, Any], prefix: str = "") -> None:
        self.path = path
        self.data = data
        self.prefix = prefix

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def fail(self, name: str, problem: str) -> ProfileError:
        return ProfileError(self.path, self.key(name), problem)

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if name not in self.data:
            if default is ...:
                raise self.fail(name, _("missing"))
            return default
        value = self.data[name]
        # bool is an int in Python; a profile that says `limit = true` is a mistake.
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(
                name,
                _("expected {kind}, found {found}").format(
                    kind=_kind_name(kind), found=type(value).__name__
                ),
            )
        if not isinstance(value, kind):
            raise self.fail(
                name,
                _("expected {kind}, found {found}").format(
                    kind=_kind_name(kind), found=type(value).__name__
                ),
            )
        return value

    def table(self, name: str, default: Any = ...) -> _Reader:
        value = self.get(name, dict, default)
        return _Reader(self.path, value or {}, f"{self.key(name)}.")

    def bilingual(self, name: str) -> dict[str, str]:
        value = self.get(name, dict)
        for lang in ("zh_CN", "en"):
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                raise ProfileError(self.path, f"{self.key(name)}.{lang}", _("missing"))
        return {str(k): str(v) for k, v in value.items()}

    def source(self, name: str = "source") -> str:
        value = self.get(name, str)
        if value not in SOURCES:
            raise self.fail(
                name,
                _("unknown source {value}; use one of {choices}").format(
                    value=value, choices=", ".join(SOURCES)
                ),
            )
        return str(value)

    def sourced(self, name: str, kind: type | tuple[type, ...]) -> Sourced:
        t = self.table(name)
        return Sourced(
            value=t.get("value", kind),
            source=t.source(),
            note=str(t.get("note", str, "")),
        )


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {int: "integer", str: "text", list: "list", dict: "table", bool: "true/false"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _parse_field(r: _Reader, name: FieldName) -> FieldFormat:
    lengths_raw = r.get("lengths", list)
    if not lengths_raw or not all(isinstance(n, int) and 0 < n <= 64 for n in lengths_raw):
        raise r.fail("lengths", _("expected a list of whole numbers between 1 and 64"))
    if len(lengths_raw) == 2 and r.get("length_is_range", bool, False):
        lengths = tuple(range(lengths_raw[0], lengths_raw[1] + 1))
    else:
        lengths = tuple(sorted(set(lengths_raw)))
    try:
        alphabet = _expand_alphabet(r.get("alphabet", str))
        usual = _expand_alphabet(r.get("usual_alphabet", str, "")) or alphabet
    except ValueError as exc:
        raise r.fail("alphabet", _("bad range {range}").format(range=exc)) from None
    if not alphabet or any(not (c.isascii() and c.isalnum() and not c.islower()) for c in alphabet):
        raise r.fail("alphabet", _("only digits and capital letters A-Z are allowed"))
    if set(usual) - set(alphabet):
        raise r.fail("usual_alphabet", _("must be a subset of the alphabet"))
    groups = tuple(r.get("groups", list, []))
    if not all(isinstance(g, int) and g > 0 for g in groups):
        raise r.fail("groups", _("expected a list of positive whole numbers"))
    check = r.get("check", str, "none")
    if check not in CHECK_KINDS:
        raise r.fail(
            "check",
            _("unknown check {value}; use one of {choices}").format(
                value=check, choices=", ".join(CHECK_KINDS)
            ),
        )
    input_map_raw = r.get("input_map", dict, {})
    input_map: dict[str, str] = {}
    for k, v in input_map_raw.items():
        if not (isinstance(k, str) and isinstance(v, str) and len(k) == 1 and len(v) == 1):
            raise ProfileError(
                r.path,
                f"{r.key('input_map')}.{k}",
                _("expected one character mapped to one character"),
            )
        if v not in alphabet:
            raise ProfileError(
                r.path, f"{r.key('input_map')}.{k}", _("maps to a character outside the alphabet")
            )
        input_map[k] = v
    return FieldFormat(
        name=name,
        label=r.bilingual("label"),
        lengths=lengths,
        alphabet=alphabet,
        usual_alphabet=usual,
        groups=groups,
        separator=r.get("separator", str, "-"),
        check=check,
        required=r.get("required", bool, name == "pin"),
        input_map=input_map,
        source=r.source(),
        note=str(r.get("note", str, "")),
    )


def _choice(r: _Reader, name: str, choices: Mapping[str, str]) -> Sourced:
    value = r.sourced(name, str)
    if value.value not in choices:
        raise ProfileError(
            r.path,
            f"{r.key(name)}.value",
            _("unknown value {value}; use one of {choices}").format(
                value=value.value, choices=", ".join(choices)
            ),
        )
    return value


def parse_profile(path: Path, data: Mapping[str, Any]) -> Profile:
    r = _Reader(path, data)
    schema = r.get("schema", int)
    if schema != SCHEMA_VERSION:
        raise r.fail(
            "schema",
            _("unsupported version {found}; this app reads {expected}").format(
                found=schema, expected=SCHEMA_VERSION
            ),
        )
    pid = r.get("id", str)
    if pid != path.stem:
        raise r.fail("id", _("must match the file name ({stem})").format(stem=path.stem))
    fields_r = r.table("fields")
    fields: dict[str, FieldFormat] = {}
    for fname in FIELD_NAMES:
        if fname in fields_r.data:
            fields[fname] = _parse_field(fields_r.table(fname), fname)
    unknown = set(fields_r.data) - set(FIELD_NAMES)
    if unknown:
        raise fields_r.fail(sorted(unknown)[0], _("unknown field; use pin or card_number"))
    if "pin" not in fields:
        raise fields_r.fail("pin", _("missing"))
    ver = r.table("verification")
    kinds = tuple(ver.get("kinds", list))
    for kind in kinds:
        if kind not in VERIFICATION_KINDS:
            raise ver.fail(
                "kinds",
                _("unknown kind {value}; use one of {choices}").format(
                    value=kind, choices=", ".join(VERIFICATION_KINDS)
                ),
            )
    return Profile(
        id=pid,
        name=r.bilingual("name"),
        fields=fields,
        verification=kinds,
        verification_source=ver.source(),
        attempt_limit=r.sourced("attempt_limit", int),
        lockout_hours=r.sourced("lockout_hours", int),
        cooldown_seconds=r.sourced("cooldown_seconds", int),
        failure_channel=_choice(r, "failure_channel", CHANNELS),
        ticket_hours=r.sourced("ticket_hours", int),
        credit_timing=_choice(r, "credit_timing", CREDIT_TIMINGS),
        bind_url=r.get("bind_url", str, ""),
        notes=r.get("notes", dict, {}),
        path=str(path),
    )


def load_profile_file(path: Path) -> Profile:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProfileError(
            path, "-", _("cannot read the file: {error}").format(error=exc.strerror or exc)
        ) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProfileError(path, "-", _("the file is not UTF-8 text")) from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(path, "-", _("not valid TOML: {error}").format(error=exc)) from None
    return parse_profile(path, data)


def load_profiles(directory: Path | None = None) -> dict[str, Profile]:
    """All profiles in `directory` (default: the shipped ones), keyed by id."""
    directory = directory or resource_path("platforms")
    profiles: dict[str, Profile] = {}
    for path in sorted(directory.glob("*.toml")):
        profile = load_profile_file(path)
        profiles[profile.id] = profile
    return profiles


@cache
def _shipped() -> dict[str, Profile]:
    return load_profiles()


def shipped_profiles() -> dict[str, Profile]:
    return dict(_shipped())


def platform_ids() -> list[str]:
    """Shipped platform ids, JD first (the product's first platform), generic last."""
    return sorted(_shipped(), key=lambda p: (p != "jd", p == "generic", p))


def get_profile(platform_id: str) -> Profile:
    try:
        return _shipped()[platform_id]
    except KeyError:
        raise KeyError(
            _("Unknown platform {platform}; known: {known}").format(
                platform=platform_id, known=", ".join(platform_ids())
            )
        ) from None
