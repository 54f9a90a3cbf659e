"""Every rule is documented, and its documented examples do what the documentation says."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest

from newsmeta.rules import PARSE_RULES, RULES, Rule
from newsmeta.rules.catalog import markdown

from .conftest import ROOT, run_cli

# The rest of a valid article, for the keys an example does not set itself.
BASE = {
    "title": 'title: "A headline"',
    "publishedDateTime": "publishedDateTime: 2020-06-11T16:42:00Z",
    "webUrl": 'webUrl: "https://www.example.com/news/{slug}/"',
    "provider": "provider:\n  name: Example News\n  domain: example.com",
}
VOCABULARY = 'topics = ["AI", "Computer Vision"]\n'


def examples(rule: Rule) -> dict[str, str]:
    """The rule's ``Failing::`` and ``Passing::`` blocks, dedented."""
    found: dict[str, str] = {}
    for kind, block in re.findall(
        r"^(Failing|Passing)[^\n]*::\n\n((?:    .*\n|\n)+)", inspect.cleandoc(rule.doc) + "\n", re.M
    ):
        found[kind.lower()] = inspect.cleandoc(block)
    return found


def article(example: str, slug: str) -> str:
    keys = set(re.findall(r"^([A-Za-z]\w*):", example, re.M))
    base = [text.format(slug=slug) for key, text in BASE.items() if key not in keys]
    return "---\n" + "\n".join([*base, example]) + "\n---\n"


def problems_by_file(folder: Path, *options: str) -> dict[str, set[str]]:
    result = run_cli("validate", "--format", "json", *options, ".", cwd=folder)
    assert result.code in (0, 1), result.stderr
    found: dict[str, set[str]] = {}
    for problem in json.loads(result.stdout):
        found.setdefault(Path(problem["path"]).as_posix(), set()).add(problem["rule"])
    return found


def test_rules_md_is_generated_from_the_docstrings() -> None:
    written = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert written == markdown(), "run: python -m newsmeta.rules.catalog > docs/rules.md"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_rule_has_a_failing_and_a_passing_example(rule: Rule) -> None:
    assert set(examples(rule)) == {"failing", "passing"}


def test_every_parse_rule_is_documented() -> None:
    for rule in PARSE_RULES:
        assert "Failing" in rule.doc and "Passing" in rule.doc, rule.id


def test_single_file_examples_fail_and_pass_as_documented(tmp_path: Path) -> None:
    (tmp_path / "newsmeta.toml").write_text(VOCABULARY, encoding="utf-8")
    single = [rule for rule in RULES if not rule.cross_file]
    for rule in single:
        for kind, example in examples(rule).items():
            path = tmp_path / rule.id / f"{kind}.md"
            path.parent.mkdir(exist_ok=True)
            path.write_text(article(example, f"{rule.id}-{kind}"), encoding="utf-8")
    # Examples of different rules may share a webUrl: that is not what they show.
    found = problems_by_file(tmp_path, "--ignore", "duplicate-url")
    for rule in single:
        assert rule.id in found.get(f"{rule.id}/failing.md", set()), rule.id
        assert rule.id not in found.get(f"{rule.id}/passing.md", set()), rule.id
        # A passing example is a valid article: nothing at all to report.
        assert f"{rule.id}/passing.md" not in found, (rule.id, found[f"{rule.id}/passing.md"])


@pytest.mark.parametrize("rule", [r for r in RULES if r.cross_file], ids=lambda r: r.id)
def test_cross_file_examples_fail_and_pass_as_documented(rule: Rule, tmp_path: Path) -> None:
    for kind, example in examples(rule).items():
        parts = re.split(r"^# (\S+)\n", example, flags=re.M)[1:]
        for name, text in zip(parts[::2], parts[1::2], strict=True):
            path = tmp_path / kind / name
            path.parent.mkdir(exist_ok=True)
            path.write_text(article(text.strip(), f"{kind}-{name}"), encoding="utf-8")
    assert set(problems_by_file(tmp_path / "failing")) == {"a.md", "b.md"}
    assert problems_by_file(tmp_path / "passing") == {}


def test_rules_command_lists_every_rule() -> None:
    result = run_cli("rules")
    assert result.code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == [rule.id for rule in RULES] + [rule.id for rule in PARSE_RULES]


def test_rules_command_shows_one_rule() -> None:
    result = run_cli("rules", "amp-url")
    assert result.code == 0
    assert result.stdout.startswith("amp-url (error, fixable)\n\n")
    assert "Failing::" in result.stdout and "cdn.ampproject.org" in result.stdout


def test_rules_command_refuses_an_unknown_rule_with_a_suggestion() -> None:
    result = run_cli("rules", "amp-urls")
    assert result.code == 2
    assert "did you mean 'amp-url'?" in result.stderr
