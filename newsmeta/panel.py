"""``newsmeta show``: an article as a panel for people (placeholder, being written)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TextIO


def write_panel(path: str, data: Mapping[str, Any], out: TextIO) -> None:
    """Write the article ``data`` read from ``path`` as a panel on ``out``."""
    from newsmeta.output import printable

    out.write(printable(path) + "\n" + printable(str(data.get("title", ""))) + "\n")
