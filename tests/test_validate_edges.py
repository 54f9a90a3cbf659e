"""Inputs from review that once crashed validate or misreported: each through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import assert_no_traceback, run_cli

HEAD = (
    "---\n"
    "title: t\n"
    "webUrl: https://a.com/x\n"
    "publishedDateTime: 2020-01-01T00:00:00Z\n"
    "provider: {name: A, domain: a.com}\n"
)


def found(tmp_path: Path, text: str, *options: str, config: str = "") -> list[tuple[str, str]]:
    """``(rule, message)`` for each problem validate reports in an article of ``text``."""
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    if config:
        (tmp_path / "newsmeta.toml").write_text(config, encoding="utf-8")
    result = run_cli("validate", "--format", "json", *options, "a.md", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.code in (0, 1), result.stderr
    return [(p["rule"], p["message"]) for p in json.loads(result.stdout)]


def test_keys_that_are_not_strings_are_unknown_keys(tmp_path: Path) -> None:
    text = HEAD + '~: 1\n1.5: x\n2020-01-01: x\n? [a, b]\n: 1\n1: y\n"": z\n---\n'
    assert found(tmp_path, text) == [
        ("unknown-key", "unknown key null"),
        ("unknown-key", "unknown key 1.5"),
        ("unknown-key", "unknown key 2020-01-01"),
        ("unknown-key", "unknown key <complex key>"),
        ("unknown-key", "unknown key 1"),
        ("unknown-key", "unknown key ''"),
    ]


@pytest.mark.parametrize("value", ["2020-06-11T16:42:00+25:00", '"2020-06-11T16:42:00+25:00"'])
def test_an_impossible_zone_is_an_invalid_date(tmp_path: Path, value: str) -> None:
    text = HEAD + f"updatedDateTime: {value}\n---\n"
    assert [rule for rule, _ in found(tmp_path, text)] == ["invalid-date"]


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_lone_surrogate_is_shown_escaped(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "a.md").write_text(HEAD + '"k\\ud800": 1\nexcerpt: "a\\u202eb"\n---\n')
    result = run_cli("validate", "--format", fmt, "a.md", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.code == 1
    assert "k\\ud800" in result.stdout
    assert "U+202E" in result.stdout and "\u202e" not in result.stdout


def test_an_explicit_str_tag_is_a_string(tmp_path: Path) -> None:
    text = (
        "---\ntitle: !!str 2020\nwebUrl: !!str https://b.com/x\n"
        "publishedDateTime: !!str 2020-01-01T00:00:00Z\nprovider: {name: !!str A, domain: b.com}\n"
        "topics: [!!str 1]\n---\n"
    )
    assert found(tmp_path, text) == []


def test_other_tags_are_named_in_wrong_type(tmp_path: Path) -> None:
    text = HEAD + "secured: !!binary aGVsbG8=\ntopics: !!set {a}\n---\n"
    assert found(tmp_path, text) == [
        ("wrong-type", "secured must be a string, not binary data (!!binary)"),
        ("wrong-type", "topics must be a list, not a set (!!set)"),
    ]


def test_german_quotes_are_not_mojibake(tmp_path: Path) -> None:
    assert found(tmp_path, HEAD.replace("title: t", 'title: "Er sagte „Gruß“"') + "---\n") == []


def test_duplicate_url_compares_addresses_of_one_page(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(HEAD + "---\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(HEAD.replace("a.com/x", "WWW.A.COM/x/#top") + "---\n")
    (tmp_path / "c.md").write_text(HEAD.replace("a.com/x", "a.com/x?page=2") + "---\n")
    result = run_cli("validate", "--format", "json", ".", cwd=tmp_path)
    rules = {(Path(p["path"]).name, p["rule"]) for p in json.loads(result.stdout)}
    assert rules == {("a.md", "duplicate-url"), ("b.md", "duplicate-url")}


def test_invalid_urls_are_not_duplicates(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(HEAD.replace("https://a.com/x", '"htp//x y"') + "---\n")
    result = run_cli("validate", "--format", "json", ".", cwd=tmp_path)
    assert {p["rule"] for p in json.loads(result.stdout)} == {"invalid-url"}


def test_an_entity_fix_that_would_break_the_url_is_not_offered(tmp_path: Path) -> None:
    text = HEAD + 'ampWebUrl: "https://a.com/x?a&#32;b"\n---\n'
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    result = run_cli("validate", "--format", "json", "--fix", "a.md", cwd=tmp_path)
    assert [(p["rule"], p["fixable"]) for p in json.loads(result.stdout)] == [("url-entity", False)]
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == text


def test_an_ipv6_amp_url_gets_no_cache_url(tmp_path: Path) -> None:
    text = (
        HEAD
        + 'ampWebUrl: "https://[::1]/a"\ncdnAmpWebUrl: "https://x.cdn.ampproject.org/c/s/a"\n---\n'
    )
    assert [rule for rule, _ in found(tmp_path, text)] == []


def test_a_unicode_provider_domain_matches_its_punycode_host(tmp_path: Path) -> None:
    text = HEAD.replace("https://a.com/x", "https://www.xn--bcher-kva.ch/x").replace(
        "domain: a.com", "domain: bücher.ch"
    )
    assert found(tmp_path, text + "---\n") == []


def test_a_required_field_inside_a_string_field_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "newsmeta.toml").write_text('required-fields = ["title.sub"]\n')
    (tmp_path / "a.md").write_text(HEAD + "---\n", encoding="utf-8")
    result = run_cli("validate", "a.md", cwd=tmp_path)
    assert result.code == 2
    assert "'title' is a string, so 'title.sub' cannot be in it" in result.stderr


def test_a_required_nested_field_requires_its_new_parent(tmp_path: Path) -> None:
    config = 'required-fields = ["author.name"]\n'
    assert found(tmp_path, HEAD + "---\n", config=config) == [
        ("required-field", "missing required field author")
    ]
    text = HEAD + "author: {email: a@a.com}\n---\n"
    assert found(tmp_path, text, config=config) == [
        ("required-field", "missing required field author.name"),
        ("unknown-key", "unknown key author.email"),  # the configuration declared only name
    ]
