"""text-whitespace: a title or excerpt that starts or ends with white space (warning, fixable).

Checked for the article's and related items' title and excerpt, and image titles.
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
    run_fix,
)

RULE = "text-whitespace"
SEVERITY = "warning"

TITLE = "Microsoft won’t sell police its facial-recognition technology"

CASES: list[Case] = [
    fails(
        "title-both-ends",
        article({3: f'title: " {TITLE} "'}),
        Expect(3, 8, "title starts and ends with white space", '" Microsoft'),
    ),
    fails(
        "title-starts",
        article({3: f'title: "  {TITLE}"'}),
        Expect(3, 8, "title starts with white space"),
    ),
    fails(
        "title-ends-single-quoted",
        article({3: f"title: '{TITLE} '"}),
        Expect(3, 8, "title ends with white space", "'Microsoft"),
    ),
    fails(
        "excerpt-trailing-newline",
        article({4: 'excerpt: "Microsoft will ban police use.\\n"'}),
        Expect(4, 10, "excerpt ends with white space"),
    ),
    fails(
        "excerpt-leading-tab",
        article({4: 'excerpt: "\\tMicrosoft will ban police use."'}),
        Expect(4, 10, "excerpt starts with white space"),
    ),
    fails(
        "no-break-space",
        article({3: f'title: "{TITLE}\\u00a0"'}),
        Expect(3, 8, "title ends with white space"),
    ),
    fails(
        "image-title",
        article({27: f'    title: "{TITLE} "'}),
        Expect(27, 12, "images[0].title ends with white space", '"Microsoft'),
    ),
    fails(
        "related-title",
        article({46: '  - title: " House police reform bill"'}),
        Expect(46, 12, "related[1].title starts with white space"),
    ),
    fails(
        "related-excerpt",
        article({31: '    excerpt: "Urging action from Congress. "'}),
        Expect(31, 14, "related[0].excerpt ends with white space"),
    ),
    # Near misses: white space inside, or in fields that are not text.
    passes("spaces-inside", article({3: 'title: "Microsoft  won’t   sell"'})),
    passes("plain-scalar", article({3: "title:   Microsoft won’t sell   "})),
    passes("provider-name-not-text", article({15: '  name: " Washington Post "'})),
    passes("type-not-text", article({9: 'type: "article "'})),
    passes("topic-not-text", article({20: '  - " AI"'})),
    passes("zero-width-space-is-not-white-space", article({3: f'title: "{TITLE}\\u200b"'})),
    # A | or > block ends with its line break on purpose.
    passes("literal-block", article({4: ["excerpt: |", "  Microsoft will ban police use."]})),
    passes(
        "folded-block-keep", article({4: ["excerpt: >+", "  Microsoft will ban police use.", ""]})
    ),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES, fixable=True)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    check_severity_and_exit(tmp_path, article({3: f'title: " {TITLE} "'}), RULE, SEVERITY)


def test_fix_strips_and_keeps_everything_else(tmp_path: Path) -> None:
    body = ["  Body with leading spaces.  ", "---"]
    broken = {
        3: f'title: " {TITLE} "',
        4: "excerpt: ' Microsoft will ban police use. '",
        27: f'    title: "{TITLE}\\t"',
        46: "  - title: ' It''s a bill '",
        63: body,
    }
    fixed = {
        3: f'title: "{TITLE}"',
        4: "excerpt: 'Microsoft will ban police use.'",
        27: f'    title: "{TITLE}"',
        46: "  - title: 'It''s a bill'",
        63: body,
    }
    comments = {2: "# headline and summary", 26: "    # the caption:"}
    content = article(broken, insert=comments, newline="\r\n", bom=True)
    after, first, second = run_fix(tmp_path, content)
    assert after == article(fixed, insert=comments, newline="\r\n", bom=True)
    assert first.stderr.count("fixed [text-whitespace]") == 4
    assert problems(first) == [] and first.code == 0
    assert problems(second, RULE) == [] and second.code == 0


def test_fix_joins_a_hard_wrapped_value(tmp_path: Path) -> None:
    content = article({4: ['excerpt: " Microsoft will ban police use', '  of its systems."']})
    after, _first, second = run_fix(tmp_path, content)
    assert after == article({4: 'excerpt: "Microsoft will ban police use of its systems."'})
    assert problems(second) == []


def test_strict_with_fix_exits_0_once_fixed(tmp_path: Path) -> None:
    content = article({3: f'title: " {TITLE} "'})
    after, first, second = run_fix(tmp_path, content, "--strict")
    assert after == article({3: f'title: "{TITLE}"'})
    assert first.code == 0 and second.code == 0
