"""Pointers into docs/ from the code and the README lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POINTER = re.compile(r"docs/([\w.-]+\.md)")


def test_every_docs_page_the_code_points_to_exists() -> None:
    sources = [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    for package in ("core", "ocr", "gui", "cli", "tests", "benchmarks"):
        sources += (ROOT / package).rglob("*.py")
    pointed = {
        (m.group(1), path.relative_to(ROOT).as_posix())
        for path in sources
        for m in POINTER.finditer(path.read_text(encoding="utf-8"))
    }
    assert len(pointed) >= 10
    missing = sorted(
        f"{where} → docs/{page}" for page, where in pointed if not (ROOT / "docs" / page).is_file()
    )
    assert missing == []


def test_links_between_docs_pages_lead_somewhere() -> None:
    broken = sorted(
        f"{page.name} → {target}"
        for page in (ROOT / "docs").glob("*.md")
        for target in re.findall(r"\]\(([\w.-]+\.md)\)", page.read_text("utf-8"))
        if not (ROOT / "docs" / target).is_file()
    )
    assert broken == []


def test_the_docs_index_lists_every_page() -> None:
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    pages = {p.name for p in (ROOT / "docs").glob("*.md")} - {"README.md"}
    assert pages <= set(re.findall(r"\]\(([\w.-]+\.md)\)", index))
