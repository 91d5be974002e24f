"""`cardbind ocr`: read card codes from image files, one JSON line per image (docs/ocr.md)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TextIO

from core.codes.profiles import platform_ids
from core.errors import ExitCode
from core.i18n import _


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "ocr",
        help=_("read the card number and password from photos or scans"),
        description=_(
            "Read the card number and password from each image. Unsure "
            "characters are listed with their look-alikes. Without --platform "
            "the card type is recognized from the code (or 'generic'). A video "
            "file is played as the camera would see it."
        ),
    )
    p.add_argument(
        "--platform",
        "-p",
        choices=platform_ids(),
        default=None,
        help=_("platform profile (default: recognize from the card)"),
    )
    p.add_argument(
        "--json", action="store_true", help=_("print one JSON object per image and line")
    )
    p.add_argument("--fast", action="store_true", help=_("one quick pass, as for camera frames"))
    p.add_argument("images", metavar="IMAGE", nargs="+", help=_("image (or video) files to read"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """One line per image, a reading or an error, whatever happened to the others; the
    exit code says whether every image could be read."""
    import logging

    from core.settings import load
    from ocr.errors import OcrEngineMissingError, OcrError
    from ocr.pipeline import read_file
    from ocr.video import is_video, read_video

    out = out or sys.stdout
    settings = load()
    failed = 0
    missing = False
    for path in args.images:
        t = time.perf_counter()
        line: dict[str, object] = {"image": path}
        try:
            if is_video(path):
                # Played as the camera plays it (docs/ocr.md, "A video file").
                played = read_video(
                    path,
                    args.platform,
                    tesseract_cmd=settings.tesseract_cmd,
                    timeout_s=settings.ocr_timeout_s,
                )
                reading = played.reading
                line["video"] = {"frames_read": played.frames_read, "locked": played.locked}
            else:
                reading = read_file(
                    path,
                    args.platform,
                    fast=args.fast,
                    tesseract_cmd=settings.tesseract_cmd,
                    timeout_s=settings.ocr_timeout_s,
                )
        except OcrError as exc:
            failed += 1
            missing = missing or isinstance(exc, OcrEngineMissingError)
            _error_line(out, args.json, path, str(exc), t)
            continue
        except Exception:  # a bug must not cost the other images their reading
            logging.getLogger(__name__).exception("reading an image failed")
            failed += 1
            _error_line(
                out,
                args.json,
                path,
                _("Something went wrong reading this picture; the log file has the details."),
                t,
            )
            continue
        line["platform"] = reading.platform
        line["fields"] = reading.to_json()
        if reading.denomination is not None:
            line["denomination"] = reading.denomination_json()
        if reading.notes:
            line["notes"] = list(reading.notes)
        line["elapsed_ms"] = round((time.perf_counter() - t) * 1000)
        if args.json:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        else:
            out.write(_format(path, reading))
        out.flush()
    if failed:
        print(
            _("cardbind ocr: {n} of {total} images could not be read.").format(
                n=failed, total=len(args.images)
            ),
            file=sys.stderr,
        )
        return ExitCode.MISSING_DEPENDENCY if missing else ExitCode.ERROR
    return ExitCode.OK


def _error_line(out: TextIO, as_json: bool, path: str, error: str, t: float) -> None:
    if as_json:
        line = {
            "image": path,
            "error": error,
            "elapsed_ms": round((time.perf_counter() - t) * 1000),
        }
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
    else:
        print(_("{image}: {error}").format(image=path, error=error), file=sys.stderr)


def _format(path: str, reading: object) -> str:
    from core.codes.profiles import get_profile
    from ocr.reading import Reading

    assert isinstance(reading, Reading)
    profile = get_profile(reading.platform)
    lines = [f"{path} — {profile.display_name()}"]
    for name in ("pin", "card_number"):
        f = reading.fields.get(name)
        if name not in profile.fields:
            continue
        label = profile.fields[name].display_label()
        if f is None or f.value is None:
            lines.append(_("  {label}: not found").format(label=label))
            continue
        # Unsure characters in brackets, so they show without colour.
        shown = "".join(c.char if c.tier == "certain" else f"[{c.char or '?'}]" for c in f.chars)
        lines.append(_("  {label}: {value}").format(label=label, value=shown))
        for amb in f.ambiguous():
            lines.append(
                _("    character {position}: {alternatives}").format(
                    position=amb["index"] + 1, alternatives=" / ".join(amb["alternatives"])
                )
            )
    qr = reading.fields.get("qr")
    if qr is not None and qr.value:
        lines.append(_("  QR code: {value}").format(value=qr.value))
    lines += [f"  {n}" for n in reading.notes]
    if reading.summary:
        lines.append(f"  {reading.summary}")
    return "\n".join(lines) + "\n"
