"""The rule catalogue: docs/rules.md is generated from the rules' own docstrings.

Regenerate it with ``python -m newsmeta.rules.catalog > docs/rules.md``; a test keeps the two
in step.
"""

from __future__ import annotations

import inspect
import re

from newsmeta.rules import PARSE_RULES, RULES

_HEADER = """\
# Rules

Generated from the rules' docstrings by `python -m newsmeta.rules.catalog`; do not edit by hand.
`newsmeta rules` lists them and `newsmeta rules RULE` shows one in the terminal.

Severities are the defaults: configuration changes them or turns a rule off (see
[configuration.md](configuration.md)), `--select` and `--ignore` choose rules for one run, and
`--strict` counts warnings as errors.  Fixable rules are repaired by `newsmeta validate --fix`.

| rule | severity | fixable | what it finds |
| --- | --- | --- | --- |
"""


def _markdown_doc(doc: str) -> list[str]:
    """A docstring's body in Markdown: ``::`` blocks become fenced YAML."""
    lines = inspect.cleandoc(doc).splitlines()[1:]
    out: list[str] = []
    block: list[str] | None = None
    for line in [*lines, ""]:
        if block is not None:
            if line.startswith("    ") or (not line and not block):
                block.append(line[4:])
                continue
            if not line and block:
                block.append("")
                continue
            out += ["```yaml", *_trim(block), "```", ""]
            block = None
        if line.endswith("::"):
            out.append(_prose(line[:-1]))
            out.append("")
            block = []
        else:
            out.append(_prose(line))
    if block:
        out += ["```yaml", *_trim(block), "```", ""]
    return "\n".join(out).strip().splitlines()


def _trim(block: list[str]) -> list[str]:
    while block and not block[0].strip():
        block.pop(0)
    while block and not block[-1].strip():
        block.pop()
    return block


def _prose(line: str) -> str:
    """reStructuredText ``literals`` as Markdown `code`."""
    return re.sub(r"``([^`]+)``", r"`\1`", line)


def _summary(doc: str) -> str:
    return _prose(inspect.cleandoc(doc).splitlines()[0])


def markdown() -> str:
    """The whole of docs/rules.md."""
    rows = [
        f"| [{rule.id}](#{rule.id}) | {rule.severity.value} | {'yes' if rule.fixable else ''} "
        f"| {_summary(rule.doc)} |"
        for rule in RULES
    ]
    rows += [
        f"| [{rule.id}](#{rule.id}) | error (always) | | {_summary(rule.doc)} |"
        for rule in PARSE_RULES
    ]
    sections = ["", "## Rules on the fields", ""]
    for rule in RULES:
        fixable = ", fixable" if rule.fixable else ""
        sections += [
            f"### {rule.id}",
            "",
            f"*{rule.severity.value}{fixable}*. {_summary(rule.doc)}",
        ]
        sections += ["", *_markdown_doc(rule.doc), ""]
    sections += [
        "## Rules checked while reading the file",
        "",
        "These are always errors: front matter that cannot be read cannot be checked any",
        "further, so they cannot be turned off, selected away or ignored.",
        "",
    ]
    for parse_rule in PARSE_RULES:
        sections += [f"### {parse_rule.id}", "", f"*error*. {_summary(parse_rule.doc)}", ""]
        sections += [*_markdown_doc(parse_rule.doc), ""]
    return (
        _HEADER
        + "\n".join(rows)
        + "\n"
        + "\n".join(sections).rstrip()
        + "\n\n"
        + _command_section()
        + "\n"
    )


def _command_section() -> str:
    """``newsmeta rules`` itself, with its options as ``--help`` lists them."""
    from newsmeta.helpdoc import options_markdown

    return (
        "## The command: `newsmeta rules`\n\n"
        "```text\nnewsmeta rules [OPTIONS] [RULE]\n```\n\n"
        "Without `RULE`, one line a rule: its id, severity, `fixable` when `--fix` repairs it,\n"
        "and what it finds. With `RULE`, that rule's documentation, as in this page. An unknown\n"
        "rule is a usage error (exit 2) with the closest ids as a suggestion; otherwise the exit\n"
        "code is 0.\n\n"
        "```console\n$ newsmeta rules url-entity | head -n 3\nurl-entity (warning, fixable)\n\n"
        "A URL contains an HTML character reference such as `&#038;`.\n```\n\n"
        "Every option, as `newsmeta rules --help` lists it:\n\n" + options_markdown("rules")
    )


if __name__ == "__main__":
    print(markdown(), end="")
