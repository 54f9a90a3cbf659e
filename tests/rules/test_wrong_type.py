"""wrong-type: a value of the wrong type (error, not fixable)."""

from __future__ import annotations

from pathlib import Path

from .helpers import (
    Batch,
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

RULE = "wrong-type"
SEVERITY = "error"

CASES: list[Case] = [
    fails(
        "quality-high",
        article({10: "quality: high"}),
        Expect(10, 10, "quality must be an integer, not the string 'high'", "high"),
    ),
    fails(
        "quality-quoted-number",
        article({10: 'quality: "27"'}),
        Expect(10, 10, "quality must be an integer, not the string '27'", '"27"'),
    ),
    fails(
        "quality-float",
        article({10: "quality: 27.0"}),
        Expect(10, 10, "not the number 27.0", "27.0"),
    ),
    fails(
        "heat-boolean",
        article({11: "heat: true"}),
        Expect(11, 7, "heat must be an integer, not the boolean true", "true"),
    ),
    fails(
        "published-yes-ish",
        article({12: 'published: "yes-ish"'}),
        Expect(12, 12, "published must be true or false, not the string 'yes-ish'", '"yes-ish"'),
    ),
    # YAML 1.2: yes, no, on and off are strings, not booleans.
    fails(
        "published-yes",
        article({12: "published: yes"}),
        Expect(12, 12, "published must be true or false, not the string 'yes'", "yes"),
    ),
    fails("published-off", article({12: "published: off"}), Expect(12, 12, "'off'", "off")),
    fails(
        "provider-string",
        article({14: "provider: Washington Post"}, delete=[15, 16]),
        Expect(14, 11, "provider must be a mapping of keys, not the string 'Washington Post'"),
    ),
    fails(
        "topics-string",
        article({18: "topics: AI"}, delete=[19, 20]),
        Expect(18, 9, "topics must be a list, not the string 'AI'", "AI"),
    ),
    fails(
        "topic-number",
        article({20: "  - 42"}),
        Expect(20, 5, "topics[1] must be a string, not the number 42", "42"),
    ),
    fails(
        "image-width-string",
        article({24: '    width: "1440"'}),
        Expect(24, 12, "images[0].width must be an integer, not the string '1440'", '"1440"'),
    ),
    fails(
        "images-mapping",
        article(
            {22: "images:", 23: '  url: "https://www.washingtonpost.com/x.jpg"'},
            delete=[24, 25, 26, 27],
        ),
        Expect(23, 3, "images must be a list, not a mapping", "url:"),
    ),
    fails(
        "date-number",
        article({5: "publishedDateTime: 20200611"}),
        Expect(5, 20, "publishedDateTime must be a date and time, not the number 20200611"),
    ),
    fails(
        "url-number",
        article({6: "webUrl: 42"}, delete=[7, 8]),
        Expect(6, 9, "webUrl must be a URL string, not the number 42", "42"),
    ),
    fails(
        "secured-list",
        article({61: "secured: [a, b]"}),
        Expect(61, 10, "secured must be a string, not a list", "[a, b]"),
    ),
    # Null values: a declared field that is not required must not be null.
    fails(
        "quality-null",
        article({10: "quality: ~"}),
        Expect(10, 10, "quality must be an integer, not null (no value)", "~"),
    ),
    fails(
        "excerpt-null",
        article({4: "excerpt: null"}),
        Expect(4, 10, "excerpt must be a string, not null", "null"),
    ),
    fails(
        "topic-null",
        article({20: "  - ~"}),
        Expect(20, 5, "topics[1] must be a string, not null", "~"),
    ),
    # Nested places: related items, their provider and images.
    fails(
        "related-provider-string",
        article({37: "    provider: VentureBeat"}, delete=[38, 39]),
        Expect(
            37, 15, "related[0].provider must be a mapping of keys, not the string 'VentureBeat'"
        ),
    ),
    fails(
        "related-quality-string",
        article({54: "    quality: high"}),
        Expect(54, 14, "related[1].quality must be an integer, not the string 'high'", "high"),
    ),
    fails(
        "related-image-height-null",
        article({44: "        height: ~"}),
        Expect(44, 17, "related[0].images[0].height must be an integer, not null", "~"),
    ),
    fails(
        "image-is-cached-string",
        article({26: '    isCached: "true"'}),
        Expect(26, 15, "images[0].isCached must be true or false, not the string 'true'"),
    ),
    fails(
        "related-item-string",
        article({46: '  - "House police reform bill"'}, delete=range(47, 60)),
        Expect(46, 5, "related[1] must be a mapping of keys, not the string", '"House'),
    ),
    fails(
        "two-in-one-file",
        article({10: "quality: high", 11: "heat: lots"}),
        Expect(10, 10, "quality"),
        Expect(11, 7, "heat"),
    ),
    # Near misses.
    passes("published-true-capitalised", article({12: "published: True"})),
    passes("published-false-upper", article({12: "published: FALSE"})),
    passes("quality-hexadecimal", article({10: "quality: 0x1B"})),
    passes("quality-zero", article({10: "quality: 0"})),
    passes("date-quoted-string", article({5: 'publishedDateTime: "2020-06-11T16:42:00Z"'})),
    passes(
        "provider-flow-mapping",
        article(
            {14: "provider: {name: Washington Post, domain: washingtonpost.com}"}, delete=[15, 16]
        ),
    ),
    passes("topics-flow-list", article({18: "topics: [Computer Vision, AI]"}, delete=[19, 20])),
    passes("topics-empty-list", article({18: "topics: []"}, delete=[19, 20])),
    passes("topic-quoted-number", article({20: '  - "42"'})),
    passes("title-plain-scalar", article({3: "title: Microsoft won’t sell police its technology"})),
    # title is required: null is required-field's to report, not wrong-type's.
    passes("title-null-is-required-field", article({3: "title: ~"}), clean=False),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_null_required_title_is_reported_once_by_required_field(batch: Batch) -> None:
    found = batch.problems("title-null-is-required-field.md")
    assert [(p["rule"], p["line"]) for p in found] == [("required-field", 3)]


def test_severity_and_exit_code(tmp_path: Path) -> None:
    check_severity_and_exit(tmp_path, article({10: "quality: high"}), RULE, SEVERITY)


def test_fix_leaves_wrong_types_alone(tmp_path: Path) -> None:
    content = article({10: "quality: high"})
    result = validate(tmp_path, {"a.md": content}, "--fix")
    assert (tmp_path / "a.md").read_bytes() == content
    assert [p["rule"] for p in problems(result)] == [RULE]
    assert result.code == 1


def test_empty_value_is_reported_on_its_own_line(tmp_path: Path) -> None:
    content = article({12: "published:", 27: "    title:"})
    found = problems(validate(tmp_path, {"a.md": content}), RULE)
    assert [p["line"] for p in found] == [12, 27]
