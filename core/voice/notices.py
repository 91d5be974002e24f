"""Warnings the voice screens must show (docs/voice.md), worded once for every screen.

Marked with N_ and translated where shown (`_(READBACK_OVERHEARD)`), so that a language
switch re-translates them.
"""

from __future__ import annotations

from core.i18n import N_

READBACK_OVERHEARD = N_(
    "Read-back says the code out loud: anyone nearby can hear it. "
    "Use headphones or a low volume, or read the code on the screen."
)

IME_VOICE_TYPING = N_(
    "Voice typing in your keyboard or system (IME) may send what you say, and so the "
    "code, to a cloud service. The talk button here works offline."
)

HOW_TO_SAY = N_(
    "Hold the talk button and say one group: digits in English (“seven”), letters as "
    "words (“delta” for D, “echo” for E). Then answer Right or Again."
)
