"""The rules a file must pass before its fields can be checked at all.

They are reported while the file is read and are always errors: a front matter that cannot
be read cannot be validated, so they cannot be turned off or selected away.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParseRule:
    id: str
    doc: str


_WELL_FORMED = '    ---\n    title: "A headline"\n    ---\n'

PARSE_RULES: tuple[ParseRule, ...] = (
    ParseRule(
        "binary",
        "The file is binary (a NUL byte before the end of the front matter).\n\n"
        "Failing: an image or a compiled file that has an article extension.\n\n"
        "Passing: a text file.",
    ),
    ParseRule(
        "encoding",
        "The front matter is not valid UTF-8 (the position of the first bad byte is given).\n\n"
        "Failing: a file saved as Latin-1, where ``é`` is the single byte 0xE9.\n\n"
        "Passing: the same file saved as UTF-8 (a byte order mark is allowed and kept).",
    ),
    ParseRule(
        "no-front-matter",
        "The file does not start with a ``---`` line (an empty file included).\n\n"
        "Failing::\n\n    # Just Markdown\n\nPassing::\n\n" + _WELL_FORMED,
    ),
    ParseRule(
        "toml-front-matter",
        "The file has TOML front matter between ``+++`` lines; newsmeta reads YAML only.\n\n"
        'Failing::\n\n    +++\n    title = "A headline"\n    +++\n\nPassing::\n\n' + _WELL_FORMED,
    ),
    ParseRule(
        "unclosed-front-matter",
        "The front matter has no closing ``---`` (or ``...``) line.\n\n"
        'Failing::\n\n    ---\n    title: "A headline"\n\n    Body text\n\nPassing::\n\n'
        + _WELL_FORMED,
    ),
    ParseRule(
        "yaml-syntax",
        "The front matter is not valid YAML; line and column point at the error.\n\n"
        'Failing::\n\n    ---\n    title: "A headline\n    ---\n\nPassing::\n\n' + _WELL_FORMED,
    ),
    ParseRule(
        "duplicate-key",
        "A key appears twice in one mapping; YAML forbids it and tools disagree on which wins.\n\n"
        "Failing::\n\n    ---\n    quality: 27\n    quality: 81\n    ---\n\n"
        "Passing::\n\n    ---\n    quality: 27\n    ---\n",
    ),
    ParseRule(
        "not-a-mapping",
        "The front matter is a list or a single value instead of a mapping of keys.\n\n"
        "Failing::\n\n    ---\n    - news\n    - AI\n    ---\n\nPassing::\n\n" + _WELL_FORMED,
    ),
    ParseRule(
        "unknown-tag",
        "A value has a tag other than YAML's standard ones (``!!python/object``, ``!custom``). "
        "Such values are never constructed, so they cannot run code.\n\n"
        'Failing::\n\n    ---\n    title: !!python/object/apply:os.system ["ls"]\n    ---\n\n'
        "Passing::\n\n" + _WELL_FORMED,
    ),
    ParseRule(
        "alias-bomb",
        'Aliases expand to more than 100,000 values (a "billion laughs" attack), or an alias '
        "sits inside its own anchor (``a: &a [*a]``, an endless value).\n\n"
        "Failing::\n\n    ---\n    a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        "    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n    # ... and so on, nine levels\n"
        "    ---\n\nPassing: aliases that expand to a few values, or none.",
    ),
    ParseRule(
        "too-deep",
        "The front matter is nested too deeply to read (collections more than 100 levels deep).\n\n"
        "Failing::\n\n    ---\n    title: [[[[[[[[[[ ... 20,000 levels ... ]]]]]]]]]]\n    ---\n\n"
        "Passing::\n\n" + _WELL_FORMED,
    ),
)

PARSE_RULE_IDS = frozenset(rule.id for rule in PARSE_RULES)
