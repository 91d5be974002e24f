"""A platform's asked-for pause in words, the same in the terminal and the app:
"JD E-card through Sandbox: 4 min 10 s left" (kept by core/bind/store/pacing.py)."""

from __future__ import annotations

from core.bind.registry import adapters
from core.bind.store import Cooldown
from core.codes.profiles import get_profile
from core.i18n import _, duration_text


def describe(c: Cooldown) -> str:
    try:
        platform = get_profile(c.platform).display_name()
    except KeyError:
        platform = c.platform
    info = adapters().get(c.adapter)
    method = info.display_title() if info is not None else c.adapter
    if c.account:
        return _("{platform} through {method}, account {account}: {time} left").format(
            platform=platform, method=method, account=c.account, time=duration_text(c.left_s)
        )
    return _("{platform} through {method}: {time} left").format(
        platform=platform, method=method, time=duration_text(c.left_s)
    )
