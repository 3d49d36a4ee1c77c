"""The intermediate model as JSON: what `docgen inspect` prints."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from docgen.model.api import Api


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def api_json(api: Api) -> str:
    return json.dumps(_plain(api), indent=2, ensure_ascii=False)
