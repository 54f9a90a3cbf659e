"""out-of-range: a number outside its range (error).

quality 0-100 (article and related items), heat -1 or more, image width and height 1 or more.
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
)

RULE = "out-of-range"
SEVERITY = "error"

CASES: list[Case] = [
    fails(
        "quality-101",
        article({10: "quality: 101"}),
        Expect(10, 10, "quality is 101; it must be between 0 and 100", "101"),
    ),
    fails(
        "quality-minus-1",
        article({10: "quality: -1"}),
        Expect(10, 10, "quality is -1; it must be between 0 and 100", "-1"),
    ),
    fails(
        "heat-minus-2",
        article({11: "heat: -2"}),
        Expect(11, 7, "heat is -2; it must be at least -1", "-2"),
    ),
    fails(
        "image-width-0",
        article({24: "    width: 0"}),
        Expect(24, 12, "images[0].width is 0; it must be at least 1", "0"),
    ),
    fails(
        "image-height-negative",
        article({25: "    height: -960"}),
        Expect(25, 13, "images[0].height is -960; it must be at least 1"),
    ),
    fails(
        "related-quality-810",
        article({40: "    quality: 810"}),
        Expect(40, 14, "related[0].quality is 810; it must be between 0 and 100", "810"),
    ),
    fails(
        "related-image-height-0",
        article({58: "        height: 0"}),
        Expect(58, 17, "related[1].images[0].height is 0; it must be at least 1"),
    ),
    fails(
        "hexadecimal-too-big",
        article({10: "quality: 0x65"}),
        Expect(10, 10, "quality is 101", "0x65"),
    ),
    fails(
        "two-in-one-item",
        article({43: "        width: 0", 44: "        height: 0"}),
        Expect(43, 16, "related[0].images[0].width"),
        Expect(44, 17, "related[0].images[0].height"),
    ),
    # Near misses: the bounds themselves.
    passes("quality-100", article({10: "quality: 100"})),
    passes("quality-0", article({10: "quality: 0"})),
    passes("heat-minus-1", article({11: "heat: -1"})),
    passes("heat-0", article({11: "heat: 0"})),
    passes("heat-a-million", article({11: "heat: 1000000"})),
    passes("width-1", article({24: "    width: 1", 25: "    height: 1"})),
    passes("related-quality-100", article({40: "    quality: 100"})),
    # Not integers: wrong-type's to report.
    passes("quality-float-too-big", article({10: "quality: 127.5"}), clean=False),
    passes("quality-true", article({10: "quality: true"}), clean=False),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    check_severity_and_exit(tmp_path, article({10: "quality: 127"}), RULE, SEVERITY)
