"""text-entity: an HTML character reference in a title or excerpt (warning)."""

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

RULE = "text-entity"
SEVERITY = "warning"

CASES: list[Case] = [
    fails(
        "named-amp",
        article({3: 'title: "Johnson &amp; Johnson halts sales"'}),
        Expect(3, 8, "title contains the HTML entity '&amp;'", '"Johnson'),
    ),
    fails(
        "decimal",
        article({4: 'excerpt: "Microsoft won&#8217;t sell"'}),
        Expect(4, 10, "excerpt contains the HTML entity '&#8217;'"),
    ),
    fails(
        "hexadecimal",
        article({27: '    title: "Microsoft won&#x2019;t sell"'}),
        Expect(27, 12, "images[0].title contains the HTML entity '&#x2019;'"),
    ),
    fails(
        "nbsp-plain-scalar",
        article({3: "title: Microsoft&nbsp;won’t sell"}),
        Expect(3, 8, "'&nbsp;'", "Microsoft&nbsp;"),
    ),
    fails(
        "related-title-two-kinds",
        article({46: '  - title: "House &lt;police&gt; bill &lt;2&gt;"'}),
        Expect(46, 12, "related[1].title contains the HTML entit"),
    ),
    fails(
        "related-excerpt",
        article({31: '    excerpt: "Urging action from Congress &amp; the states"'}),
        Expect(31, 14, "related[0].excerpt"),
    ),
    # Near misses: ampersands that are not references.
    passes("bare-ampersand", article({3: 'title: "Johnson & Johnson halts sales"'})),
    passes("at-and-t", article({3: 'title: "AT&T and R&D news"'})),
    passes("no-semicolon", article({3: 'title: "Fish &amp chips"'})),
    passes("unknown-name", article({3: 'title: "Fish &chips; here"'})),
    passes("space-inside", article({3: 'title: "Fish & amp; chips"'})),
    passes("entity-in-provider-name", article({15: '  name: "Washington &amp; Post"'})),
    passes("entity-in-secured", article({61: 'secured: "abc&amp;def"'})),
    # In a URL it is url-entity's to report.
    passes(
        "entity-in-image-url",
        article({23: '  - url: "https://www.washingtonpost.com/x.jpg?a&amp;b"'}),
        clean=False,
    ),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_several_entities_are_named_once_each(batch: Batch) -> None:
    (problem,) = batch.problems("related-title-two-kinds.md", RULE)
    assert "'&lt;', '&gt;'" in problem["message"]
    assert problem["message"].count("&lt;") == 1


def test_severity_and_exit_code(tmp_path: Path) -> None:
    content = article({3: 'title: "Johnson &amp; Johnson halts sales"'})
    check_severity_and_exit(tmp_path, content, RULE, SEVERITY)
