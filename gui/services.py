"""What the screens need from the layers below, injectable so tests can swap pieces.

The app builds one `Services` from the real modules; a test may pass fakes (a reader
that returns a fixed Reading, a bind service over a temporary sandbox…).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.bind.service import BindService
from core.settings import Settings
from ocr.reading import Reading

ReadImage = Callable[[np.ndarray, "str | None"], Reading]
LoadImage = Callable[[Path], np.ndarray]


@dataclass
class Services:
    settings: Settings
    read_image: ReadImage
    load_image: LoadImage
    make_consensus: Callable[[str], Any]
    make_bind_service: Callable[[], BindService] | None = None
    # How a manual adapter opens a page and fills the clipboard (set by the app).
    open_url: Callable[[str], bool] | None = None
    copy_text: Callable[[str], None] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def bind_service_factory(services: Services, **context: Any) -> Callable[[], BindService]:
    """A factory for the bind method chosen in settings, built when first needed."""

    def make() -> BindService:
        from core.bind.adapter import AdapterContext, AdapterError
        from core.bind.card import CardHasher
        from core.bind.registry import UnknownAdapter, create_adapter
        from core.bind.service import BindPolicy
        from core.bind.store import Store, StoreError
        from core.secrets import Secrets
        from gui.workers import UserFacingError

        settings = services.settings
        secrets = Secrets()
        try:
            adapter = create_adapter(settings.adapter, AdapterContext(
                settings, secrets, base_url=settings.http_base_url,
                open_url=services.open_url, copy_text=services.copy_text, **context))
            store = Store()
        except (AdapterError, StoreError) as exc:
            raise UserFacingError(str(exc)) from None
        except UnknownAdapter as exc:
            raise UserFacingError(exc.message) from None
        return BindService(adapter, store, hasher=CardHasher(secrets),
                           policy=BindPolicy.from_settings(settings))

    return make
