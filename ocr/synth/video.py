"""Synthetic camera videos of a card, for the camera benchmark (time to lock, wrong locks).

Kinds:
  shake  — a hand holds the card in front of the camera: small random translation and
           rotation every frame, with the motion blur that movement gives;
  focus  — the lens hunts: blur oscillates, sharp only now and then;
  glare  — a highlight sweeps across the code;
  enter  — the card slides in from outside the frame and comes to rest;
  still  — the card lies still (only sensor noise changes): the reference.

Frames come from the same card renderer as make_card; each frame has its own truth (card
and code quads, blur, glare on the code, whether the whole card is in view).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from ocr.synth import capture, fonts, scene
from ocr.synth.card import _boxes, _quad, draw_card, truth_entry

VIDEO_KINDS = ("shake", "focus", "glare", "enter", "still")


@dataclass
class SynthVideo:
    frames: list[np.ndarray]  # BGR uint8, all the same size
    fps: float
    kind: str
    seed: int
    pin: str
    card_number: str | None
    platform: str
    meta: dict[str, Any] = field(default_factory=dict)  # the card's truth entry
    frame_truth: list[dict[str, Any]] = field(default_factory=list)

    def truth(self) -> dict[str, Any]:
        return {**self.meta, "kind": self.kind, "fps": self.fps, "frames": self.frame_truth}


def _smooth_walk(rng: np.random.Generator, n: int, amplitude: float) -> np.ndarray:
    """A smooth random path of n steps staying within about +-amplitude."""
    steps = rng.normal(0, 1, n)
    path = np.cumsum(steps)
    path = np.convolve(path - path.mean(), np.ones(5) / 5, mode="same")
    peak = float(np.abs(path).max()) or 1.0
    return path / peak * amplitude


def make_video(
    seed: int,
    kind: str = "shake",
    *,
    platform: str | None = None,
    layout: str | None = None,
    size: tuple[int, int] = (1280, 720),
    fps: float = 15.0,
    seconds: float | None = None,
    extra_fonts: bool = False,
) -> SynthVideo:
    """A video of one card; the same arguments always give the same frames."""
    if kind not in VIDEO_KINDS:
        raise ValueError(f"unknown video kind {kind!r}; choose one of {', '.join(VIDEO_KINDS)}")
    rng = np.random.default_rng([seed, 100 + VIDEO_KINDS.index(kind)])
    w, h = size
    duration = seconds if seconds is not None else float(rng.uniform(2.0, 4.0))
    n = max(2, round(duration * fps))
    card_w = w * rng.uniform(0.45, 0.7)
    level = "scratched" if rng.random() < 0.3 else None
    d = draw_card(rng, level, card_w, platform=platform, layout=layout, extra_fonts=extra_fonts)
    flat = d.flat
    cs = (flat.image.shape[1], flat.image.shape[0])
    bg = scene.surface(rng, h, w, str(rng.choice(scene.BACKGROUNDS)))
    mono = next((f for f in fonts.label_faces() if f.mono), d.faces.label)
    clutter = [str(k) for k in rng.choice(scene.CLUTTER, int(rng.integers(0, 3)))]
    scene.clutter(rng, bg, clutter, fonts.label_faces(extra_fonts), mono=mono, card_w=card_w)
    light = capture.illumination(
        rng,
        h,
        w,
        unevenness=rng.uniform(0.05, 0.15),
        level=rng.uniform(0.85, 1.0),
        warmth=rng.uniform(-1, 1),
    )
    rest = (w / 2 + rng.uniform(-0.08, 0.08) * w, h / 2 + rng.uniform(-0.08, 0.08) * h)
    rot0, tx0, ty0 = rng.normal(0, 4), rng.uniform(-10, 10), rng.uniform(-10, 10)
    focal = w * rng.uniform(0.9, 1.3)
    noise = float(rng.uniform(0.004, 0.012))
    # Per-frame paths.
    amp = rng.uniform(3, 12) if kind == "shake" else rng.uniform(0.3, 1.5)
    dx, dy = _smooth_walk(rng, n, amp), _smooth_walk(rng, n, amp)
    drot = _smooth_walk(rng, n, rng.uniform(0.5, 2.0) if kind == "shake" else 0.2)
    base_blur = float(rng.uniform(0.3, 0.7))
    period = rng.uniform(0.8, 1.6)
    phase = rng.uniform(0, 2 * math.pi)
    hunt = rng.uniform(2.0, 4.5)
    settles = bool(rng.random() < 0.5)
    side = rng.integers(4)
    arrive = rng.uniform(0.3, 0.55)
    glare_dir = 1 if rng.random() < 0.5 else -1
    glare_strength = float(rng.uniform(0.8, 0.95))
    pin_rect = flat.inks["pin"].rect
    frames, per_frame = [], []
    prev: np.ndarray | None = None
    for i in range(n):
        t = i / fps
        cx, cy = rest[0] + dx[i], rest[1] + dy[i]
        if kind == "enter":
            s = min(1.0, t / (arrive * duration))
            ease = 1 - (1 - s) ** 3
            start = [(-0.6 * w, cy), (1.6 * w, cy), (cx, -0.7 * h), (cx, 1.7 * h)][side]
            cx = start[0] + (cx - start[0]) * ease
            cy = start[1] + (cy - start[1]) * ease
        corners = capture.pose(
            cs, (cx, cy), card_w, rot=rot0 + drot[i], tilt_x=tx0, tilt_y=ty0, focal=focal
        )
        Hm = capture.homography(flat.image.shape, corners)
        warped = capture.warp(flat.image, flat.shape, Hm, (w, h), margin=round(0.05 * card_w))
        img = capture.composite(bg, warped, 0.35, (0.015 * card_w, 0.02 * card_w), 0.015 * card_w)
        img *= light
        pin_q = np.array(_quad(Hm, pin_rect))
        glare_on_pin = 0.0
        if kind == "glare":
            a = i / max(1, n - 1)
            x0q, x1q = float(pin_q[:, 0].min()), float(pin_q[:, 0].max())
            span = x1q - x0q
            gx = x0q - 0.3 * span + 1.6 * span * (a if glare_dir > 0 else 1 - a)
            gy = float(pin_q[:, 1].mean())
            cap = float(np.linalg.norm(pin_q[3] - pin_q[0]))
            strength = glare_strength
            capture.glare(img, (gx, gy), (cap * 2.5, cap * 1.5), 0.0, strength)
            in_span = max(0.0, 1 - abs(gx - (x0q + x1q) / 2) / (span / 2 + cap * 2.5))
            glare_on_pin = round(strength * in_span, 3)
        defocus = base_blur
        if kind == "focus":
            swing = (0.5 + 0.5 * math.cos(2 * math.pi * t / period + phase)) ** 2
            if settles and t > 0.6 * duration:  # the lens finds focus and stays
                swing *= math.exp(-(t - 0.6 * duration) / 0.15)
            defocus = base_blur + hunt * swing
        centre = corners.mean(0)
        move = np.zeros(2) if prev is None else centre - prev
        prev = centre
        # The shutter is open for about half the frame time.
        motion = float(np.linalg.norm(move)) * 0.5
        img = capture.optics(img, rng, defocus, False, 0.0)
        img = capture.motion_blur(img, float(move[0]) * 0.5, float(move[1]) * 0.5)
        frame = capture.sensor(img, rng, noise, None)
        frames.append(frame)
        quad = np.array(_quad(Hm, (0, 0, cs[0], cs[1])))
        in_view = bool(
            (quad[:, 0] >= 0).all()
            and (quad[:, 0] < w).all()
            and (quad[:, 1] >= 0).all()
            and (quad[:, 1] < h).all()
        )
        boxes, pin_px = _boxes(Hm, flat.inks["pin"].boxes)
        per_frame.append(
            {
                "index": i,
                "t": round(t, 4),
                "card_quad": quad.round(1).tolist(),
                "pin_quad": pin_q.round(1).tolist(),
                "pin_boxes": [list(b) for b in boxes],
                "pin_char_px": round(pin_px, 1),
                "defocus_sigma": round(defocus, 2),
                "motion_px": round(motion, 2),
                "glare_on_pin": glare_on_pin,
                "card_in_view": in_view,
                # A person could read the code off this frame.
                "readable": in_view and defocus < 1.3 and motion < 3.0 and glare_on_pin < 0.4,
            }
        )
    meta = truth_entry(
        d,
        Hm,
        (w, h),
        tier="video",
        seed=seed,
        capture_params={"capture": "video", "kind": kind, "noise": noise},
    )
    return SynthVideo(
        frames,
        fps,
        kind,
        seed,
        meta["fields"]["pin"],
        meta["fields"]["card_number"],
        d.spec.platform,
        meta,
        per_frame,
    )


def write_video(path: str, video: SynthVideo) -> None:
    """Save as MJPG AVI (what the app's camera_file setting plays)."""
    h, w = video.frames[0].shape[:2]
    out = cv2.VideoWriter(path, cv2.VideoWriter.fourcc(*"MJPG"), video.fps, (w, h))
    try:
        for f in video.frames:
            out.write(f)
    finally:
        out.release()
