"""duplicate-url: two articles with the same ``webUrl`` (warning, checked across the files of
a run).  Each file is reported at its webUrl, naming another file that uses it."""

from __future__ import annotations

from pathlib import Path

from .helpers import article, problems, validate

RULE = "duplicate-url"
URL = "https://www.washingtonpost.com/technology/2020/06/11/microsoft-facial-recognition/"


def with_url(url: str) -> bytes:
    return article({6: f'webUrl: "{url}"'})


def reported(found: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [
        (p["path"], p["line"], p["column"], p["severity"], p["fixable"], p["message"])
        for p in found
    ]


def test_two_files_name_each_other(tmp_path: Path) -> None:
    result = validate(tmp_path, {"a.md": article(), "b.md": article()})
    assert reported(problems(result)) == [
        ("a.md", 6, 9, "warning", False, f"webUrl {URL!r} is also used by b.md"),
        ("b.md", 6, 9, "warning", False, f"webUrl {URL!r} is also used by a.md"),
    ]
    assert result.code == 0


def test_three_files_say_and_1_more(tmp_path: Path) -> None:
    files = {
        "a.md": article(),
        "b.md": article(),
        "sub/c.md": article({5: "publishedDateTime: 2020-06-12T16:42:00Z"}),
    }
    result = validate(tmp_path, files)
    assert reported(problems(result)) == [
        ("a.md", 6, 9, "warning", False, f"webUrl {URL!r} is also used by b.md and 1 more"),
        ("b.md", 6, 9, "warning", False, f"webUrl {URL!r} is also used by a.md and 1 more"),
        ("sub/c.md", 6, 9, "warning", False, f"webUrl {URL!r} is also used by a.md and 1 more"),
    ]


def test_found_when_a_folder_is_given(tmp_path: Path) -> None:
    files = {"news/a.md": article(), "news/2020/b.md": article(insert={5: "# moved"})}
    result = validate(tmp_path, files, paths=["news"])
    found = problems(result)
    assert [(p["path"], p["line"], p["message"].rsplit(" ", 1)[-1]) for p in found] == [
        ("news/2020/b.md", 7, "news/a.md"),
        ("news/a.md", 6, "news/2020/b.md"),
    ]


def test_near_misses_are_not_duplicates(tmp_path: Path) -> None:
    files = {
        "a.md": article(),
        # Another day's story on the same site.
        "b.md": with_url(URL.replace("/11/", "/12/")),
        # The same URL as a related item's, not as the article's own webUrl.
        "c.md": article(
            {
                6: 'webUrl: "https://www.scmagazine.com/home/security-news/x/"',
                16: "  domain: scmagazine.com",
            },
            delete=[7, 8],
        ),
        "d.md": article(
            {
                6: f'webUrl: "{URL.replace("/11/", "/13/")}"',
                33: '    webUrl: "https://www.scmagazine.com/home/security-news/x/"',
                39: "      domain: scmagazine.com",
            }
        ),
    }
    result = validate(tmp_path, files)
    assert problems(result) == []
    assert result.code == 0


def test_the_same_file_named_twice_is_not_a_duplicate(tmp_path: Path) -> None:
    result = validate(tmp_path, {"a.md": article()}, paths=["a.md", "./a.md", "."])
    assert problems(result) == []


def test_strict_and_rules_table(tmp_path: Path) -> None:
    files = {"a.md": article(), "b.md": article()}
    strict = validate(tmp_path / "strict", files, "--strict")
    assert [p["rule"] for p in problems(strict)] == [RULE, RULE]
    assert strict.code == 1
    error = validate(tmp_path / "error", files, config=f'[rules]\n{RULE} = "error"\n')
    assert [p["severity"] for p in problems(error)] == ["error", "error"]
    assert error.code == 1
    off = validate(tmp_path / "off", files, config=f'[rules]\n{RULE} = "off"\n')
    assert problems(off) == [] and off.code == 0


def test_select_and_ignore(tmp_path: Path) -> None:
    files = {"a.md": article({10: "quality: high"}), "b.md": article()}
    ignored = validate(tmp_path / "ignore", files, "--ignore", RULE)
    assert [p["rule"] for p in problems(ignored)] == ["wrong-type"]
    selected = validate(tmp_path / "select", files, "--select", f"wrong-type,{RULE}")
    assert sorted(p["rule"] for p in problems(selected)) == [RULE, RULE, "wrong-type"]
    only_others = validate(tmp_path / "others", files, "--select", "wrong-type")
    assert [p["rule"] for p in problems(only_others)] == ["wrong-type"]
