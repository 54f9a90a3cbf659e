"""Inputs from review that once crashed list/search or gave wrong answers, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import SEEDS, assert_no_traceback, run_cli


def write(folder: Path, name: str, front_matter: str) -> None:
    (folder / name).write_text(f"---\n{front_matter}---\n", encoding="utf-8")


def test_binary_values_are_base64_in_every_format(tmp_path: Path) -> None:
    write(tmp_path, "b.md", "title: !!binary aGVsbG8=\n")
    result = run_cli("list", "-c", "title", "-f", "json", ".", cwd=tmp_path)
    assert_no_traceback(result)
    assert json.loads(result.stdout) == [{"path": "b.md", "title": "aGVsbG8="}]
    tsv = run_cli("list", "-c", "title", "-f", "tsv", ".", cwd=tmp_path)
    assert tsv.stdout == "title\naGVsbG8=\n"


def test_a_number_too_long_to_read_is_a_problem_with_its_place(tmp_path: Path) -> None:
    write(tmp_path, "big.md", "title: big\nquality: 1" + "0" * 5000 + "\n")
    write(tmp_path, "ok.md", "title: ok\n")
    result = run_cli("list", "-c", "title", ".", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.code == 2
    assert result.stderr.startswith("big.md:3:10: error [yaml-syntax] a value cannot be read")
    assert result.stdout == "title\nok\n"


def test_not_a_number_sorts_after_every_number(tmp_path: Path) -> None:
    for name, value in [("a", "1"), ("b", ".nan"), ("c", "-.inf"), ("d", "2"), ("e", ".inf")]:
        write(tmp_path, f"{name}.md", f"quality: {value}\n")
    result = run_cli("list", "--sort", "quality", "-c", "quality", ".", cwd=tmp_path)
    assert result.stdout.split() == ["quality", "-inf", "1", "2", "inf", "nan"]


def test_negative_indexes_count_from_the_end() -> None:
    result = run_cli("search", 'related[-1].provider.name="SC Media"', "-f", "paths", str(SEEDS))
    assert result.code == 0
    assert [Path(line).name for line in result.stdout.split()] == ["000_218d50f45779ca55.txt"]


def test_an_operator_without_a_field_is_a_query_error() -> None:
    result = run_cli("search", "quality>50 >5", str(SEEDS))
    assert result.code == 2
    assert result.stderr.splitlines()[0] == (
        "newsmeta: bad query at character 12: an operator needs a field name before it, "
        "such as quality>50"
    )


def test_lists_of_lists_are_searched_as_shown(tmp_path: Path) -> None:
    write(tmp_path, "n.md", "title: [[alpha, beta], [gamma]]\n")
    shown = run_cli("list", "-c", "title", ".", cwd=tmp_path)
    assert shown.stdout == "title\nalpha, beta, gamma\n"
    assert run_cli("search", "gamma", ".", cwd=tmp_path).code == 0


def test_a_relative_date_before_the_year_1_is_the_earliest_date() -> None:
    older = run_cli("search", "publishedDateTime>1000000d", "-f", "paths", str(SEEDS))
    assert len(older.stdout.split()) == len(list(SEEDS.iterdir()))
    assert run_cli("search", "publishedDateTime<1000000d", str(SEEDS)).code == 1


def test_count_by_json_keeps_the_values_types() -> None:
    result = run_cli("list", "--count-by", "published", "-f", "json", str(SEEDS))
    values = {item["value"] for item in json.loads(result.stdout)}
    assert values <= {True, False, None} and True in values  # null: no value
