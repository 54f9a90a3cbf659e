"""empty-topic: a topic that is an empty string (error)."""

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
)

RULE = "empty-topic"
SEVERITY = "error"

CASES: list[Case] = [
    fails(
        "double-quoted-empty", article({20: '  - ""'}), Expect(20, 5, "topics[1] is empty", '""')
    ),
    fails(
        "single-quoted-empty", article({19: "  - ''"}), Expect(19, 5, "topics[0] is empty", "''")
    ),
    fails("only-spaces", article({20: '  - "   "'}), Expect(20, 5, "topics[1] is empty", '"   "')),
    fails("only-a-tab", article({20: '  - "\\t"'}), Expect(20, 5, "topics[1] is empty")),
    fails(
        "flow-list",
        article({18: 'topics: [AI, "", Computer Vision]'}, delete=[19, 20]),
        Expect(18, 14, "topics[1] is empty", '""'),
    ),
    fails(
        "two-empty",
        article({19: '  - ""'}, insert={20: "  - ''"}),
        Expect(19, 5, "topics[0]"),
        Expect(21, 5, "topics[2]"),
    ),
    # Near misses.
    passes("a-dash", article({20: '  - "-"'})),
    passes("a-dot", article({20: "  - ."})),
    passes("a-zero", article({20: '  - "0"'})),
    passes("no-topics", article(delete=[18, 19, 20])),
    passes("empty-list", article({18: "topics: []"}, delete=[19, 20])),
    # A null topic is wrong-type's to report.
    passes("null-topic", article({20: "  - ~"}), clean=False),
    # Empty strings elsewhere are not topics.
    passes("empty-type", article({9: 'type: ""'})),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    check_severity_and_exit(tmp_path, article({20: '  - ""'}), RULE, SEVERITY)
