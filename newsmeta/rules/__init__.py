"""The validation rules: one module a rule, registered here explicitly.

A rule module has an ``ID``, a default ``SEVERITY``, optionally ``FIXABLE = True``, a
docstring that is its user documentation (with a failing and a passing example), and a
``check(ctx)`` generator of :class:`~newsmeta.rules.base.Finding` values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType

from newsmeta.report import Severity
from newsmeta.rules import (
    amp_url,
    date_order,
    date_timezone,
    duplicate_topic,
    duplicate_url,
    empty_topic,
    future_date,
    invalid_date,
    invalid_url,
    out_of_range,
    provider_domain,
    related_self,
    required_field,
    text_control,
    text_entity,
    text_mojibake,
    text_whitespace,
    topic_vocabulary,
    unknown_key,
    url_entity,
    wrong_type,
)
from newsmeta.rules.base import Context, Finding
from newsmeta.rules.parse import PARSE_RULE_IDS, PARSE_RULES


@dataclass(frozen=True)
class Rule:
    """A registered rule: its id, default severity, documentation and check."""

    id: str
    severity: Severity
    doc: str
    check: Callable[[Context], Iterable[Finding]]
    fixable: bool = False
    cross_file: bool = False

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


def _rule(module: ModuleType) -> Rule:
    return Rule(
        id=module.ID,
        severity=module.SEVERITY,
        doc=module.__doc__ or "",
        check=getattr(module, "check", lambda ctx: ()),
        fixable=getattr(module, "FIXABLE", False),
        cross_file=getattr(module, "CROSS_FILE", False),
    )


# In the order of the documentation: schema, URLs, dates, AMP, values, topics, text, files.
RULES: tuple[Rule, ...] = tuple(
    _rule(module)
    for module in (
        required_field,
        wrong_type,
        unknown_key,
        invalid_url,
        url_entity,
        invalid_date,
        date_timezone,
        future_date,
        date_order,
        amp_url,
        provider_domain,
        out_of_range,
        empty_topic,
        duplicate_topic,
        topic_vocabulary,
        related_self,
        text_whitespace,
        text_control,
        text_entity,
        text_mojibake,
        duplicate_url,
    )
)

RULE_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

__all__ = ["PARSE_RULES", "PARSE_RULE_IDS", "RULES", "RULE_BY_ID", "Rule"]
