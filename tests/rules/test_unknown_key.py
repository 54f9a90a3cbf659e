"""unknown-key: a key the article format does not declare (warning, not fixable).

Reported at the key itself, with a did-you-mean when a declared key is close.
"""

from __future__ import annotations

from pathlib import Path

from .helpers import (
    Case,
    Expect,
    article,
    case_tests,
    check_severity_and_exit,
    fails,
    passes,
    problems,
    validate,
)

RULE = "unknown-key"
SEVERITY = "warning"

CASES: list[Case] = [
    fails(
        "published-datetime-lower-t",
        article(
            {5: "publishedDatetime: 2020-06-11T16:42:00Z"},
            insert={5: "publishedDateTime: 2020-06-11T16:42:00Z"},
        ),
        Expect(
            5,
            1,
            "unknown key publishedDatetime (did you mean 'publishedDateTime'?)",
            "publishedDatetime:",
        ),
    ),
    fails(
        "title-capitalised",
        article(insert={3: 'Title: "Another headline"'}),
        Expect(4, 1, "unknown key Title (did you mean 'title'?)", "Title:"),
    ),
    fails(
        "web-url-snake-case",
        article(insert={6: 'web_url: "https://www.washingtonpost.com/x/"'}),
        Expect(7, 1, "unknown key web_url (did you mean 'webUrl'?)", "web_url:"),
    ),
    fails(
        "author-no-suggestion",
        article(insert={2: "author: Jane Doe"}),
        Expect(3, 1, "unknown key author", "author:"),
    ),
    fails(
        "provider-url-nested",
        article(insert={16: '  url: "https://www.washingtonpost.com/"'}),
        Expect(17, 3, "unknown key provider.url", "url:"),
    ),
    fails(
        "image-key-misspelt",
        article({24: "    widht: 1440"}),
        Expect(24, 5, "unknown key images[0].widht (did you mean 'width'?)", "widht:"),
    ),
    fails(
        "related-item-key",
        article(insert={36: "    autor: Jay Peters"}),
        Expect(37, 5, "unknown key related[0].autor", "autor:"),
    ),
    fails(
        "related-provider-key",
        article(insert={39: "      Name: VentureBeat"}),
        Expect(40, 7, "unknown key related[0].provider.Name (did you mean 'name'?)", "Name:"),
    ),
    fails(
        "related-image-key-case",
        article(insert={45: "        iscached: true"}),
        Expect(46, 9, "unknown key related[0].images[0].iscached (did you mean 'isCached'?)"),
    ),
    fails(
        "unknown-mapping-reported-once",
        article(insert={2: ["author:", "  name: Jane Doe", "  email: jane@example.com"]}),
        Expect(3, 1, "unknown key author"),
    ),
    fails(
        "two-unknown-keys",
        article(insert={2: "author: Jane Doe", 61: "signature: x"}),
        Expect(3, 1, "author"),
        Expect(63, 1, "signature"),
    ),
    # Near misses: declared keys, even where they look unusual.
    passes("is-cached-exact-case", article({26: "    isCached: false"})),
    passes("image-title-in-article-images", article()),
    passes("category-optional-key", article({2: "category: technology"})),
    passes(
        "keys-in-flow-mapping",
        article(
            {37: "    provider: {name: VentureBeat, domain: venturebeat.com}"}, delete=[38, 39]
        ),
    ),
    passes("comment-that-looks-like-a-key", article(insert={2: "# author: Jane Doe"})),
    # A related item has no image titles: its image "title" is unknown, but the article's is not.
    fails(
        "related-image-title",
        article(insert={45: '        title: "A caption"'}),
        Expect(46, 9, "unknown key related[0].images[0].title"),
    ),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    check_severity_and_exit(tmp_path, article(insert={2: "author: Jane Doe"}), RULE, SEVERITY)


def test_extra_keys_config_silences_them(tmp_path: Path) -> None:
    files = {
        "a.md": article(
            insert={2: "author: Jane Doe", 16: '  url: "https://www.washingtonpost.com/"'}
        ),
        # Near misses: the configured keys are matched exactly, and at their place only.
        "b.md": article(insert={2: "Author: Jane Doe", 9: "url: x", 39: "      url: x"}),
    }
    result = validate(
        tmp_path,
        files,
        "--ignore",
        "duplicate-url",
        config='extra-keys = ["author", "provider.url"]\n',
    )
    found = problems(result)
    assert [(p["path"], p["line"], p["column"], p["message"]) for p in found] == [
        ("b.md", 3, 1, "unknown key Author (did you mean 'author'?)"),
        ("b.md", 11, 1, "unknown key url"),
        ("b.md", 42, 7, "unknown key related[0].provider.url"),
    ]
    assert {p["rule"] for p in found} == {RULE}


def test_rules_table_off_and_select_ignore(tmp_path: Path) -> None:
    files = {"a.md": article(insert={2: "author: Jane Doe"}, replace={10: "quality: high"})}
    off = validate(tmp_path / "off", files, config=f'[rules]\n{RULE} = "off"\n')
    assert [p["rule"] for p in problems(off)] == ["wrong-type"]
    selected = validate(tmp_path / "select", files, "--select", RULE)
    assert [p["rule"] for p in problems(selected)] == [RULE]
    assert selected.code == 0  # only a warning left
    ignored = validate(tmp_path / "ignore", files, "--ignore", f"wrong-type,{RULE}")
    assert problems(ignored) == []
    assert ignored.code == 0
