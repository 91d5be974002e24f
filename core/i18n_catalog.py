"""Maintain the gettext catalogues: extract, update, compile, and check them.

`python -m core.i18n_catalog update` after changing user-visible strings; the test
suite runs `problems()` and fails on a missing translation, a placeholder that differs
between source and translation, or a compiled catalogue older than its .po file.
Babel is a development dependency only; the running app uses the stdlib gettext.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import Any

from core.i18n import DOMAIN, LANGUAGES
from core.resources import resource_path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("core", "ocr", "gui", "cli")
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "ngettext": (1, 2)}
_PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}|%\([a-zA-Z_]+\)[sd]")


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def po_path(lang: str) -> Path:
    return resource_path("locale", lang, "LC_MESSAGES", f"{DOMAIN}.po")


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def extract() -> Any:
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="cardbind", domain=DOMAIN, charset="utf-8")
    for name in SOURCE_DIRS:
        for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT / name),
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
        ):
            catalog.add(
                message,
                None,
                [(f"{name}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def _read(lang: str) -> Any:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, charset="utf-8")
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def _mo_bytes(catalog: Any) -> bytes:
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def update() -> None:
    """Merge new strings into every catalogue, fill English, compile .mo files."""
    from babel.messages.pofile import write_po

    template = extract()
    for lang in LANGUAGES:
        catalog = _read(lang)
        catalog.update(template, no_fuzzy_matching=True)
        if lang == "en":
            for message in catalog:
                if message.id and not _translated(message):
                    message.string = message.id
        catalog.obsolete.clear()
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            write_po(
                f, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False
            )
        mo_path(lang).write_bytes(_mo_bytes(_read(lang)))


def _translated(message: Any) -> bool:
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string)


def problems() -> list[str]:
    """Everything wrong with the catalogues, in words; empty when all is well."""
    out: list[str] = []
    template = extract()
    for lang in LANGUAGES:
        catalog = _read(lang)
        for message in template:
            if not message.id:
                continue
            found = catalog.get(message.id)
            if found is None or not _translated(found) or found.fuzzy:
                out.append(f"{lang}: missing translation for {message.id!r}")
                continue
            ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
            strings = found.string if isinstance(found.string, tuple | list) else (found.string,)
            expected = set().union(*(placeholders(i) for i in ids))
            for s in strings:
                if placeholders(s) != expected:
                    out.append(
                        f"{lang}: placeholders differ in {message.id!r}: "
                        f"{sorted(placeholders(s))} vs {sorted(expected)}"
                    )
        if not mo_path(lang).exists() or mo_path(lang).read_bytes() != _mo_bytes(catalog):
            out.append(
                f"{lang}: {mo_path(lang).name} is not compiled from the current .po "
                "(run: python -m core.i18n_catalog update)"
            )
    return out


def translate(lang: str, table: dict[str, str | list[str]]) -> int:
    """Fill translations from `{msgid: msgstr}` (a list for plural forms); returns how many."""
    from babel.messages.pofile import write_po

    catalog = _read(lang)
    filled = 0
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple | list) else message.id
        if key in table:
            value = table[key]
            message.string = tuple(value) if isinstance(value, list) else value
            message.flags.discard("fuzzy")
            filled += 1
    with po_path(lang).open("wb") as f:
        write_po(f, catalog, width=100, sort_output=True, include_lineno=False)
    mo_path(lang).write_bytes(_mo_bytes(_read(lang)))
    return filled


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["translate"] and len(argv) == 3:
        import json

        table = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        print(f"{translate(argv[1], table)} translations filled")
        return 0
    if argv[:1] == ["check"]:
        found = problems()
        for p in found:
            print(p)
        return 1 if found else 0
    print(
        "usage: python -m core.i18n_catalog update | check | translate LANG FILE.json",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
