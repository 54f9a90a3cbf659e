"""text-control: a control character in a title or excerpt (error).

Written in the files as double-quoted escapes (``\\t``, ``\\e``, ``\\x7f``): YAML does not
allow most of them raw.  A line break at either end is text-whitespace's; the line breaks of
a ``|`` or ``>`` block are the author's.
"""

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
)

RULE = "text-control"
SEVERITY = "error"

CASES: list[Case] = [
    fails(
        "tab-escape",
        article({3: 'title: "Microsoft won’t sell\\tpolice"'}),
        Expect(3, 8, "title contains a tab", '"Microsoft'),
    ),
    fails(
        "raw-tab",
        article({3: 'title: "Microsoft won’t sell\tpolice"'}),
        Expect(3, 8, "title contains a tab"),
    ),
    fails(
        "line-break",
        article({3: 'title: "Microsoft\\nwon’t sell"'}),
        Expect(3, 8, "title contains a line break"),
    ),
    fails(
        "blank-line-in-quoted-string",
        article({4: ['excerpt: "Microsoft will ban', "", '  police use."']}),
        Expect(4, 10, "excerpt contains a line break"),
    ),
    fails(
        "escape",
        article({4: 'excerpt: "Microsoft \\e[31m will ban"'}),
        Expect(4, 10, "excerpt contains the control character U+001B"),
    ),
    fails(
        "bell-in-image-title",
        article({27: '    title: "Microsoft\\a won’t"'}),
        Expect(27, 12, "images[0].title contains the control character U+0007"),
    ),
    fails(
        "delete-in-related-excerpt",
        article({31: '    excerpt: "Urging action\\x7ffrom Congress"'}),
        Expect(31, 14, "related[0].excerpt contains the control character U+007F"),
    ),
    fails(
        "c1-next-line",
        article({46: '  - title: "House police\\Nreform bill"'}),
        Expect(46, 12, "related[1].title contains the control character U+0085"),
    ),
    fails("nul", article({3: 'title: "Microsoft\\0"'}), Expect(3, 8, "U+0000")),
    # Near misses.
    passes("no-break-space", article({3: 'title: "Microsoft\\_won’t sell"'})),
    passes("zero-width-space", article({3: 'title: "Microsoft\\u200bwon’t sell"'})),
    fails(
        "line-separator",
        article({3: 'title: "Microsoft\\Lwon’t sell"'}),
        Expect(3, 8, "title contains a line separator (U+2028)", '"Microsoft'),
    ),
    fails(
        "bidi-override",
        article({3: 'title: "Microsoft\\u202ewon’t sell"'}),
        Expect(3, 8, "title contains the control character U+202E", '"Microsoft'),
    ),
    passes("hard-wrapped-quoted", article({4: ['excerpt: "Microsoft will ban', '  police use."']})),
    passes("literal-block", article({4: ["excerpt: |-", "  Microsoft will ban", "  police use."]})),
    passes(
        "folded-block", article({4: ["excerpt: >", "  Microsoft will ban", "", "  police use."]})
    ),
    passes("tab-in-provider-name", article({15: '  name: "Washington\\tPost"'})),
    passes("tab-in-secured", article({61: 'secured: "abc\\tdef"'})),
    # A line break at the end is stray white space, text-whitespace's to report.
    passes("trailing-line-break", article({3: 'title: "Microsoft won’t sell\\n"'}), clean=False),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_trailing_line_break_goes_to_text_whitespace(batch: Batch) -> None:
    found = batch.problems("trailing-line-break.md")
    assert [(p["rule"], p["line"], p["column"]) for p in found] == [("text-whitespace", 3, 8)]


def test_severity_and_exit_code(tmp_path: Path) -> None:
    content = article({3: 'title: "Microsoft won’t sell\\tpolice"'})
    check_severity_and_exit(tmp_path, content, RULE, SEVERITY)
