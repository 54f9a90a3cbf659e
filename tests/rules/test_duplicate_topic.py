"""duplicate-topic: a topic listed twice (warning, fixable: --fix removes the later copies)."""

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
    run_fix,
)

RULE = "duplicate-topic"
SEVERITY = "warning"

CASES: list[Case] = [
    fails(
        "ai-twice",
        article(insert={20: "  - AI"}),
        Expect(21, 5, "topic 'AI' is listed twice (first on line 20)", "AI"),
    ),
    fails(
        "three-copies-and-another-pair",
        article(insert={20: ["  - AI", "  - Computer Vision", "  - AI"]}),
        Expect(21, 5, "topic 'AI' is listed twice (first on line 20)"),
        Expect(22, 5, "topic 'Computer Vision' is listed twice (first on line 19)"),
        Expect(23, 5, "topic 'AI' is listed twice (first on line 20)"),
    ),
    fails(
        "quoted-and-plain-are-the-same",
        article(insert={20: '  - "AI"'}),
        Expect(21, 5, "topic 'AI'", '"AI"'),
    ),
    fails(
        "flow-list",
        article({18: "topics: [AI, Computer Vision, AI]"}, delete=[19, 20]),
        Expect(18, 31, "topic 'AI' is listed twice (first on line 18)", "AI]"),
    ),
    fails(
        "after-a-comment-line",
        article(insert={20: ["  # more topics", "  - Computer Vision"]}),
        Expect(22, 5, "topic 'Computer Vision' is listed twice (first on line 19)"),
    ),
    # Near misses: topics are compared exactly.
    passes("different-case", article(insert={20: "  - ai"})),
    passes("trailing-space", article(insert={20: '  - "AI "'})),
    passes("plural", article(insert={20: "  - AIs"})),
    passes("same-text-in-another-field", article({9: "type: AI"})),
    # Two empty topics are empty-topic's to report, not duplicates.
    passes("two-empty", article({19: '  - ""', 20: '  - ""'}), clean=False),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES, fixable=True)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    check_severity_and_exit(tmp_path, article(insert={20: "  - AI"}), RULE, SEVERITY)


def test_fix_removes_the_later_copies_only(tmp_path: Path) -> None:
    body = ["Body.", "  - AI", "---"]
    topics = [
        "  - AI  # the first",
        "  - Computer Vision",
        "  - AI",
        "  - 'Computer Vision'",
        "  - Privacy",
    ]
    kept = ["  - AI  # the first", "  - Computer Vision", "  - Privacy"]
    comment = {17: "# topics, most important first"}
    content = article({19: topics, 63: body}, delete=[20], insert=comment, newline="\r\n", bom=True)
    after, first, second = run_fix(tmp_path, content)
    assert after == article(
        {19: kept, 63: body}, delete=[20], insert=comment, newline="\r\n", bom=True
    )
    assert first.stderr.count("fixed [duplicate-topic]") == 2
    assert problems(first) == [] and first.code == 0
    assert problems(second, RULE) == [] and second.code == 0


def test_fix_in_a_flow_list(tmp_path: Path) -> None:
    content = article({18: "topics: [AI, Computer Vision, AI]"}, delete=[19, 20])
    after, _first, second = run_fix(tmp_path, content)
    assert after == article({18: "topics: [AI, Computer Vision]"}, delete=[19, 20])
    assert problems(second) == []


def test_fix_of_the_last_item_keeps_what_follows(tmp_path: Path) -> None:
    content = article(insert={20: ["  - AI", "  # end of topics"]})
    after, _first, second = run_fix(tmp_path, content)
    assert after == article(insert={20: "  # end of topics"})
    assert problems(second) == []
