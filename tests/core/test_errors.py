"""The one base of the errors cardbind raises on purpose (core.errors)."""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

from core.errors import ExitCode, InternalError, UserFacingError

ROOT = Path(__file__).resolve().parents[2]


def _exception_classes() -> dict[str, tuple[str, list[str]]]:
    """Every class in the product code, by name: (file, names of its bases)."""
    found: dict[str, tuple[str, list[str]]] = {}
    for package in ("core", "ocr", "gui", "cli"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef):
                    bases = [
                        b.id if isinstance(b, ast.Name) else ast.unparse(b) for b in node.bases
                    ]
                    found[node.name] = (str(path.relative_to(ROOT)), bases)
    return found


def test_every_error_the_product_raises_derives_from_the_one_base() -> None:
    classes = _exception_classes()
    builtin = {
        name
        for name, value in vars(builtins).items()
        if isinstance(value, type) and issubclass(value, BaseException)
    }

    def lineage(name: str, seen: tuple[str, ...] = ()) -> set[str]:
        if name in seen or name not in classes:
            return {name}
        out = {name}
        for base in classes[name][1]:
            out |= lineage(base, (*seen, name))
        return out

    errors = {name for name in classes if (lineage(name) - {name}) & builtin}
    assert len(errors) >= 25  # the census the issue counted, and the new bases
    strays = sorted(
        f"{classes[n][0]}: {n}"
        for n in errors
        if "UserFacingError" not in lineage(n) and n != "UserFacingError"
    )
    assert strays == []


def test_the_base_error_formats_its_template() -> None:
    class NoSuchCard(UserFacingError):
        template = "No card {card} here."

    assert NoSuchCard(card="E71D-****-****-50BA").user_message() == (
        "No card E71D-****-****-50BA here."
    )
    assert NoSuchCard("Said otherwise.").user_message() == "Said otherwise."
    assert NoSuchCard.exit_code == ExitCode.ERROR


def test_an_internal_error_keeps_its_detail_for_the_log_only() -> None:
    exc = InternalError("reply field 'kind' is not a short text")
    assert "short text" in str(exc)
    assert "short text" not in exc.user_message()
    assert exc.user_message().startswith("Something went wrong while working on this.")
