"""A URL contains an HTML character reference such as ``&#038;``.

Content copied from HTML pages often keeps ``&#038;`` or ``&amp;`` where the URL has ``&``;
the link then points somewhere else.  ``--fix`` replaces each reference by its character.

Failing::

    images:
      - url: "https://venturebeat.com/x.jpg?w=1200&#038;strip=all"

Passing::

    images:
      - url: "https://venturebeat.com/x.jpg?w=1200&strip=all"
"""

from __future__ import annotations

from collections.abc import Iterator

from newsmeta.fix import Replace
from newsmeta.report import Severity
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.values import (
    describe_entities,
    entities_in,
    unescape_entities,
    url_problem,
)

ID = "url-entity"
SEVERITY = Severity.WARNING
FIXABLE = True


def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes:
        if node.expected != "url" or not isinstance(node.value, str):
            continue
        found = entities_in(node.value)
        if found:
            fixed = unescape_entities(node.value)
            entities = describe_entities(found)
            message = f"{node.name} has {entities} where the URL needs the character"
            # Safe only if the URL stays a URL: "&#32;" would put a space in it.
            safe = url_problem(fixed) is None or url_problem(node.value) is not None
            yield node.finding(message, (Replace(node.path, fixed),) if safe else ())
