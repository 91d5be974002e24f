"""The failure knowledge base: resources/knowledge/failures.toml, bilingual data.

Each error kind has a plain explanation, a tier (hint / guide / block), steps and an
expected time; kinds the source article covers carry its scenario with the success
rate. The source's figures (and our own estimates) are data for maintainers, labelled
where they come from; users are shown the steps and only the times cardbind itself
keeps (`shown_time`).
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from core.codes.profiles import CHANNELS, SOURCES, Profile, get_profile
from core.errors import InternalError
from core.i18n import _, localized
from core.resources import resource_path

TIERS = ("hint", "guide", "block")
RETRY = ("no_need", "later", "after_fix", "never")
# Where an expected time comes from; only cardbind's own waits are shown to users.
TIME_SOURCES = ("seed", "assumption", "cardbind")
LANGS = ("zh_CN", "en")
PLACEHOLDERS = frozenset(
    {
        "platform",
        "channel",
        "ticket_hours",
        "cooldown",
        "lockout_hours",
        "attempt_limit",
        "answerer",
    }
)
# Where a step applies: a real platform answered, or the sandbox did (practice).
SCOPES = ("platform", "sandbox")
PRACTICE_ADAPTERS = frozenset({"sandbox"})

Text = Mapping[str, str]


class KnowledgeError(InternalError, ValueError):
    pass


@dataclass(frozen=True)
class Scenario:
    id: str
    name: Text
    path: tuple[Text, ...]
    expected_time: Text
    success_rate: float | None
    source: str


@dataclass(frozen=True)
class KnowledgeEntry:
    kind: str
    tier: str
    retry: str
    title_text: Text
    explanation_text: Text
    step_texts: tuple[Text, ...]
    expected_time_text: Text
    scenario: Scenario | None = None
    time_source: str = "assumption"
    step_scopes: tuple[str, ...] = ()  # per step: "", "platform" or "sandbox"

    def __post_init__(self) -> None:
        if len(self.step_scopes) != len(self.step_texts):
            object.__setattr__(self, "step_scopes", ("",) * len(self.step_texts))

    def _fill(self, text: Text, profile: Profile | str | None, adapter: str = "") -> str:
        raw = localized(text)
        if "{" not in raw:
            return raw
        filled = raw.format_map(_values(profile, adapter))
        if raw.startswith("{answerer}"):
            filled = filled[:1].upper() + filled[1:]  # "the sandbox found…" starts it
        return filled

    def title(self, profile: Profile | str | None = None, adapter: str = "") -> str:
        return self._fill(self.title_text, profile, adapter)

    def explanation(self, profile: Profile | str | None = None, adapter: str = "") -> str:
        """`adapter` is the bind method that answered: the sandbox is named as the one
        that answered when practising, never the platform."""
        return self._fill(self.explanation_text, profile, adapter)

    def steps(self, profile: Profile | str | None = None, adapter: str = "") -> list[str]:
        """The steps that apply where the answer came from: a platform's page, cache or
        customer service mean nothing after a practice answer from the sandbox."""
        scope = "sandbox" if adapter in PRACTICE_ADAPTERS else "platform"
        return [
            self._fill(s, profile, adapter)
            for s, only in zip(self.step_texts, self.step_scopes, strict=True)
            if only in ("", scope)
        ]

    def expected_time(self, profile: Profile | str | None = None) -> str:
        return self._fill(self.expected_time_text, profile)

    def shown_time(self, profile: Profile | str | None = None) -> str:
        """The expected time for users: only a wait cardbind itself keeps (a cool-down,
        a lock-out); the source article's figures and our estimates stay in the data."""
        return self.expected_time(profile) if self.time_source == "cardbind" else ""

    @property
    def success_rate(self) -> float | None:
        return self.scenario.success_rate if self.scenario else None

    def to_json(self, profile: Profile | str | None = None) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "tier": self.tier,
            "retry": self.retry,
            "title": self.title(profile),
            "explanation": self.explanation(profile),
            "steps": self.steps(profile),
            "expected_time": self.expected_time(profile),
            "expected_time_source": self.time_source,
            "success_rate": self.success_rate,
            "success_source": self.scenario.source if self.scenario else None,
        }


class _Default(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _values(profile: Profile | str | None, adapter: str = "") -> _Default:
    if isinstance(profile, str):
        try:
            profile = get_profile(profile)
        except KeyError:
            profile = None
    if profile is None:
        values = _Default(
            platform=_("the platform"),
            channel=_("customer service"),
            ticket_hours="48",
            cooldown="60",
            lockout_hours="24",
            attempt_limit="3",
        )
    else:
        channel = str(profile.failure_channel.value)
        values = _Default(
            platform=profile.display_name(),
            channel=_(CHANNELS.get(channel, channel)),
            ticket_hours=str(profile.ticket_hours.value),
            cooldown=str(profile.cooldown_seconds.value),
            lockout_hours=str(profile.lockout_hours.value),
            attempt_limit=str(profile.attempt_limit.value or _("no limit")),
        )
    values["answerer"] = _("the sandbox") if adapter in PRACTICE_ADAPTERS else values["platform"]
    return values


def _text(data: Any, where: str) -> Text:
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected a table with zh_CN and en")
    for lang in LANGS:
        if not isinstance(data.get(lang), str) or not data[lang].strip():
            raise KnowledgeError(f"{where}.{lang}: missing")
    names = [{f for _t, f, _s, _c in string.Formatter().parse(data[lang]) if f} for lang in LANGS]
    if names[0] != names[1]:
        raise KnowledgeError(f"{where}: placeholders differ between zh_CN and en")
    if names[0] - PLACEHOLDERS:
        raise KnowledgeError(f"{where}: unknown placeholder {sorted(names[0] - PLACEHOLDERS)}")
    return {lang: data[lang] for lang in LANGS}


def parse(data: Mapping[str, Any]) -> dict[str, KnowledgeEntry]:
    if data.get("schema") != 1:
        raise KnowledgeError("schema: expected 1")
    scenarios: dict[str, Scenario] = {}
    for sid, s in data.get("scenarios", {}).items():
        rate = s.get("success_rate")
        if rate is not None and not (isinstance(rate, float) and 0 <= rate <= 1):
            raise KnowledgeError(f"scenarios.{sid}.success_rate: expected 0..1")
        if s.get("source") not in SOURCES:
            raise KnowledgeError(f"scenarios.{sid}.source: unknown")
        scenarios[sid] = Scenario(
            sid,
            _text(s.get("name"), f"scenarios.{sid}.name"),
            tuple(_text(p, f"scenarios.{sid}.path") for p in s.get("path", [])),
            _text(s.get("expected_time"), f"scenarios.{sid}.expected_time"),
            rate,
            s["source"],
        )
    entries: dict[str, KnowledgeEntry] = {}
    for kind, k in data.get("kinds", {}).items():
        where = f"kinds.{kind}"
        if k.get("tier") not in TIERS:
            raise KnowledgeError(f"{where}.tier: use one of {TIERS}")
        if k.get("retry") not in RETRY:
            raise KnowledgeError(f"{where}.retry: use one of {RETRY}")
        scenario = k.get("scenario")
        if scenario is not None and scenario not in scenarios:
            raise KnowledgeError(f"{where}.scenario: unknown scenario {scenario}")
        time_source = k.get("expected_time_source", "assumption")
        if time_source not in TIME_SOURCES:
            raise KnowledgeError(f"{where}.expected_time_source: use one of {TIME_SOURCES}")
        steps = k.get("steps")
        if not isinstance(steps, list) or not steps:
            raise KnowledgeError(f"{where}.steps: expected at least one step")
        scopes = tuple(str(st.get("only", "")) if isinstance(st, dict) else "" for st in steps)
        if set(scopes) - {"", *SCOPES}:
            raise KnowledgeError(f"{where}.steps: only = one of {SCOPES}")
        for scope in SCOPES:
            if not any(only in ("", scope) for only in scopes):
                raise KnowledgeError(f"{where}.steps: no step for the {scope}")
        entries[kind] = KnowledgeEntry(
            kind,
            k["tier"],
            k["retry"],
            _text(k.get("title"), f"{where}.title"),
            _text(k.get("explanation"), f"{where}.explanation"),
            tuple(_text(s, f"{where}.steps") for s in steps),
            _text(k.get("expected_time"), f"{where}.expected_time"),
            scenarios[scenario] if scenario else None,
            time_source,
            scopes,
        )
    return entries


def load(path: Path | None = None) -> dict[str, KnowledgeEntry]:
    path = path or resource_path("knowledge", "failures.toml")
    with path.open("rb") as f:
        return parse(tomllib.load(f))


@cache
def entries() -> dict[str, KnowledgeEntry]:
    return load()


def entry(kind: str) -> KnowledgeEntry:
    found = entries().get(kind)
    if found is None:
        # Only reachable with a knowledge file that lacks a kind (a test guards this);
        # the user still gets a plain sentence rather than a crash.
        return KnowledgeEntry(
            kind,
            "guide",
            "after_fix",
            {"en": kind, "zh_CN": kind},
            {
                "en": _("No advice is known for this problem."),
                "zh_CN": _("No advice is known for this problem."),
            },
            ({"en": "—", "zh_CN": "—"},),
            {"en": "—", "zh_CN": "—"},
        )
    return found
