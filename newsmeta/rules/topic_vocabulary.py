"""A topic is not in the configured vocabulary (only when ``topics`` is configured).

With ``topics = ["AI", "Computer Vision"]`` in the configuration:

Failing::

    topics:
      - Artificial Intelligence

Passing::

    topics:
      - AI
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding

ID = "topic-vocabulary"
SEVERITY = Severity.ERROR


def _hint(topic: str, vocabulary: tuple[str, ...]) -> str:
    same = [word for word in vocabulary if word.casefold() == topic.casefold()]
    close = same or difflib.get_close_matches(topic, vocabulary, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check(ctx: Context) -> Iterator[Finding]:
    vocabulary = ctx.schema.topics
    if not vocabulary:
        return
    allowed = set(vocabulary)
    for node in ctx.items_of("topics"):
        if isinstance(node.value, str) and node.value.strip() and node.value not in allowed:
            hint = _hint(node.value, vocabulary)
            yield node.finding(f"topic {node.value!r} is not in the vocabulary{hint}")
