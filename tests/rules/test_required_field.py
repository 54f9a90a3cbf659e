"""required-field: a required field is missing or empty (error, not fixable).

A missing field is reported where its mapping starts (the root: line 2, column 1; a nested
mapping: its key; a list item: the item); an empty one at its key.
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
    small,
    validate,
    validate_all,
)

RULE = "required-field"
SEVERITY = "error"

RELATED_1 = range(46, 60)  # the second related item, lines 46-59

CASES: list[Case] = [
    fails(
        "title-missing",
        article(delete=[3]),
        Expect(2, 1, "missing required field title", "category:"),
    ),
    fails(
        "title-empty-string",
        article({3: 'title: ""'}),
        Expect(3, 1, "required field title is empty", "title:"),
    ),
    fails("title-null", article({3: "title: ~"}), Expect(3, 1, "required field title is empty")),
    fails("title-nothing", article({3: "title:"}), Expect(3, 1, "required field title is empty")),
    fails(
        "web-url-missing",
        small(delete=[4]),
        Expect(2, 1, "missing required field webUrl", "title:"),
    ),
    fails(
        "published-missing",
        article(delete=[5]),
        Expect(2, 1, "missing required field publishedDateTime"),
    ),
    fails(
        "provider-missing",
        article(delete=[14, 15, 16]),
        Expect(2, 1, "missing required field provider"),
    ),
    fails(
        "provider-domain-missing",
        article(delete=[16]),
        Expect(14, 1, "missing required field provider.domain", "provider:"),
    ),
    fails(
        "provider-name-empty",
        article({15: '  name: ""'}),
        Expect(15, 3, "required field provider.name is empty", "name:"),
    ),
    fails(
        "provider-null",
        article({14: "provider:"}, delete=[15, 16]),
        Expect(14, 1, "required field provider is empty", "provider:"),
    ),
    fails(
        "related-web-url-missing",
        article(delete=[33]),
        Expect(30, 5, "missing required field related[0].webUrl", "title:"),
    ),
    fails(
        "related-title-missing",
        article({46: '  - excerpt: "Tucked into the police reform bill"'}, delete=[47]),
        Expect(46, 5, "missing required field related[1].title", "excerpt:"),
    ),
    fails(
        "related-provider-missing",
        article(delete=[51, 52, 53]),
        Expect(46, 5, "missing required field related[1].provider", "title:"),
    ),
    fails(
        "related-provider-domain-missing",
        article(delete=[39]),
        Expect(37, 5, "missing required field related[0].provider.domain", "provider:"),
    ),
    fails(
        "image-url-missing",
        article({23: "  - width: 1440"}, delete=[24]),
        Expect(23, 5, "missing required field images[0].url", "width:"),
    ),
    fails(
        "related-image-url-empty",
        article({56: '      - url: ""'}),
        Expect(56, 9, "required field related[1].images[0].url is empty", "url:"),
    ),
    fails(
        "two-missing-in-one-item",
        article({30: '  - excerpt: "Urging action from Congress"'}, delete=[31, 33]),
        Expect(30, 5, "related[0].title", "excerpt:"),
        Expect(30, 5, "related[0].webUrl", "excerpt:"),
    ),
    # Near misses: what is optional may be missing or empty.
    passes("related-without-published", article(delete=[32, 48])),
    passes("excerpt-missing", article(delete=[4])),
    passes("image-without-title", article(delete=[27])),
    passes("no-related-no-images", article(delete=[*range(22, 29), *range(29, 60)])),
    passes("related-empty-list", article({29: "related: []"}, delete=range(30, 60))),
    passes("topics-empty-list", article({18: "topics: []"}, delete=[19, 20])),
    passes("title-zero-string", article({3: 'title: "0"'})),
    passes("the-small-article", small()),
    # The required title present but with a wrong type is wrong-type's, not this rule's.
    passes("title-a-list", article({3: "title: [a]"}), clean=False),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    check_severity_and_exit(tmp_path, article(delete=[3]), RULE, SEVERITY)


def test_required_fields_config_adds_a_field(tmp_path: Path) -> None:
    files = {
        "a-without-category.md": article(delete=[2]),
        "b-with-category.md": article(),
        "c-empty-category.md": article({2: 'category: ""'}),
    }
    config = 'required-fields = ["category", "provider.url"]\n'
    found = problems(validate(tmp_path, files, config=config), RULE)
    assert [(p["path"], p["line"], p["column"], p["message"]) for p in found] == [
        ("a-without-category.md", 2, 1, "missing required field category"),
        ("a-without-category.md", 13, 1, "missing required field provider.url"),
        ("b-with-category.md", 14, 1, "missing required field provider.url"),
        ("c-empty-category.md", 2, 1, "required field category is empty"),
        ("c-empty-category.md", 14, 1, "missing required field provider.url"),
    ]


def test_select_and_ignore(tmp_path: Path) -> None:
    # Missing title (required-field), quality "high" (wrong-type), an unknown key.
    files = {"a.md": article({3: "headline: x", 10: "quality: high"})}
    runs: dict[str, tuple[str, ...]] = {
        "all": (),
        "select-one": ("--select", RULE),
        "select-comma": ("--select", f"{RULE},wrong-type"),
        "select-repeated": ("--select", RULE, "--select", "unknown-key"),
        "ignore-one": ("--ignore", RULE),
        "ignore-comma-space": ("--ignore", f"{RULE}, wrong-type"),
        "ignore-repeated": ("--ignore", RULE, "--ignore", "unknown-key"),
        "select-and-ignore": ("--select", f"{RULE},wrong-type", "--ignore", "wrong-type"),
    }
    results = validate_all(
        {name: (tmp_path / name, files, options, "") for name, options in runs.items()}
    )
    rules = {name: sorted({p["rule"] for p in problems(r)}) for name, r in results.items()}
    assert rules == {
        "all": [RULE, "unknown-key", "wrong-type"],
        "select-one": [RULE],
        "select-comma": [RULE, "wrong-type"],
        "select-repeated": [RULE, "unknown-key"],
        "ignore-one": ["unknown-key", "wrong-type"],
        "ignore-comma-space": ["unknown-key"],
        "ignore-repeated": ["wrong-type"],
        "select-and-ignore": [RULE],
    }


def test_rules_table_turns_the_rule_off(tmp_path: Path) -> None:
    result = validate(tmp_path, {"a.md": article(delete=[3])}, config=f'[rules]\n{RULE} = "off"\n')
    assert problems(result) == []
    assert result.code == 0


def test_unknown_rule_in_select_is_a_usage_error(tmp_path: Path) -> None:
    result = validate(tmp_path, {"a.md": article()}, "--select", "required-fields")
    assert result.code == 2
    assert result.stdout == ""
    assert "unknown rule 'required-fields'" in result.stderr
    assert "did you mean 'required-field'?" in result.stderr


def test_parse_rule_in_ignore_is_a_usage_error(tmp_path: Path) -> None:
    result = validate(tmp_path, {"a.md": article()}, "--ignore", f"{RULE},yaml-syntax")
    assert result.code == 2
    assert result.stdout == ""
    assert "'yaml-syntax' is checked while reading the file" in result.stderr


def test_blank_title_is_reported(tmp_path: Path) -> None:
    found = problems(validate(tmp_path, {"a.md": article({3: 'title: "   "'})}))
    assert [(p["line"], p["rule"]) for p in found] == [(3, RULE)]
