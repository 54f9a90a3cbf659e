"""url-entity: an HTML character reference in a URL (warning, fixable).

``--fix`` replaces each reference by its character and changes nothing else: the quoting
style, comments, CRLF line endings, the BOM and the body stay as they were.
"""

from __future__ import annotations

from pathlib import Path

from ..conftest import REFERENCE
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
    validate,
)

RULE = "url-entity"
SEVERITY = "warning"

WP = "https://www.washingtonpost.com"
VB_IMAGE = "https://venturebeat.com/wp-content/uploads/2019/07/Microsoft-e1572850220242.jpg"

CASES: list[Case] = [
    fails(
        "decimal-038-in-related-image",
        article({42: f'      - url: "{VB_IMAGE}?w=1200&#038;strip=all"'}),
        Expect(
            42,
            14,
            "related[0].images[0].url has the HTML entity '&#038;' where the URL needs the "
            "character",
            '"https://venturebeat',
        ),
    ),
    fails(
        "named-amp-in-web-url",
        article({6: f'webUrl: "{WP}/x/?a=1&amp;b=2&amp;c=3"'}),
        Expect(6, 9, "webUrl has the HTML entity '&amp;'", '"https://www'),
    ),
    fails(
        "hexadecimal-in-image-url",
        article({23: f"  - url: '{WP}/x.jpg?a=1&#x26;b=2'"}),
        Expect(23, 10, "images[0].url has the HTML entity '&#x26;'", "'https://www"),
    ),
    fails(
        "two-kinds-listed-once-each",
        article({42: f"      - url: {VB_IMAGE}?w=1&#038;h=2&amp;q=3&#038;x=4"}),
        Expect(42, 14, "has the HTML entities '&#038;', '&amp;' where", "https://venturebeat"),
    ),
    fails(
        "related-amp-url",
        article({49: '    webUrl: "https://www.scmagazine.com/x/?a=1&amp;b=2"'}),
        Expect(49, 13, "related[1].webUrl has the HTML entity '&amp;'"),
    ),
    fails(
        "article-and-related-in-one-file",
        article(
            {
                6: f'webUrl: "{WP}/x/?a=1&amp;b=2"',
                56: '      - url: "https://www.scmagazine.com/x.jpg?a&#038;b"',
            }
        ),
        Expect(6, 9, "webUrl"),
        Expect(56, 14, "related[1].images[0].url"),
    ),
    # Near misses: an ampersand, or something that only looks like a reference.
    passes("bare-ampersand", article({6: f'webUrl: "{WP}/x/?a=1&b=2"'})),
    passes("no-hash-before-digits", article({6: f'webUrl: "{WP}/x/?a=1&038;b=2"'})),
    passes("no-semicolon", article({6: f'webUrl: "{WP}/x/?a=1&amp=2&copy=3"'})),
    passes("percent-encoded-ampersand", article({6: f'webUrl: "{WP}/x/?a=1%26b=2"'})),
    passes("unknown-name", article({6: f'webUrl: "{WP}/x/?a=1&foo;b=2"'})),
    # Only URL fields are checked: a title with &amp; is text-entity's business.
    passes(
        "entity-in-title-not-a-url", article({3: 'title: "Johnson &amp; Johnson"'}), clean=False
    ),
    passes("entity-in-secured", article({61: 'secured: "abc&amp;def"'})),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES, fixable=True)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    content = article({6: f'webUrl: "{WP}/x/?a=1&amp;b=2"'})
    check_severity_and_exit(tmp_path, content, RULE, SEVERITY)


def test_fix_the_reference_article_changes_line_42_only(tmp_path: Path) -> None:
    content = REFERENCE.read_bytes()
    after, first, second = run_fix(tmp_path, content)
    before_lines, after_lines = content.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(after_lines) == len(before_lines)
    changed = [
        n for n, (a, b) in enumerate(zip(before_lines, after_lines, strict=True), 1) if a != b
    ]
    assert changed == [42]
    assert after_lines[41] == before_lines[41].replace(b"&#038;", b"&")
    assert after == article()[: len(after)] or b"&#038;" not in after
    assert first.code == 0 and problems(first) == []
    assert "fixed [url-entity]" in first.stderr
    assert problems(second) == [] and second.code == 0


def test_fix_keeps_quotes_comments_crlf_bom_and_body(tmp_path: Path) -> None:
    body = ["Body with a --- line", "---", "and &amp; in it."]
    edits = {
        6: f'webUrl: "{WP}/x/?a=1&amp;b=2"',
        23: f"  - url: '{WP}/x.jpg?a=1&#x26;b=2'",
        42: f"      - url: {VB_IMAGE}?w=1200&#038;strip=all",
        63: body,
    }
    fixed = {
        6: f'webUrl: "{WP}/x/?a=1&b=2"',
        23: f"  - url: '{WP}/x.jpg?a=1&b=2'",
        42: f"      - url: {VB_IMAGE}?w=1200&strip=all",
        63: body,
    }
    comments = {5: "# the canonical address:", 41: "    # one image"}
    content = article(edits, insert=comments, newline="\r\n", bom=True)
    after, first, second = run_fix(tmp_path, content)
    assert after == article(fixed, insert=comments, newline="\r\n", bom=True)
    assert first.code == 0
    assert problems(first, RULE) == []
    assert first.stderr.count("fixed [url-entity]") == 3
    assert problems(second, RULE) == [] and second.code == 0


def test_fix_with_a_comment_on_the_fixed_line_keeps_the_comment(tmp_path: Path) -> None:
    content = article({6: f'webUrl: "{WP}/x/?a=1&amp;b=2"  # copied from the page'})
    after, _first, second = run_fix(tmp_path, content)
    lines = after.decode("utf-8").splitlines()
    house = article().decode("utf-8").splitlines()
    # The emitter may move the comment's column (docs/fidelity.md); its text stays.
    assert lines[5].startswith(f'webUrl: "{WP}/x/?a=1&b=2"')
    assert lines[5].endswith(" # copied from the page")
    assert lines[:5] == house[:5] and lines[6:] == house[6:]
    assert problems(second, RULE) == []


def test_fix_leaves_other_files_and_unselected_rules_alone(tmp_path: Path) -> None:
    bad = article({6: f'webUrl: "{WP}/x/?a=1&amp;b=2"', 3: 'title: " Microsoft "'})
    good = article({6: f'webUrl: "{WP}/y/"'})
    result = validate(tmp_path, {"a.md": bad, "b.md": good}, "--fix", "--select", RULE)
    assert (tmp_path / "a.md").read_bytes() == article(
        {6: f'webUrl: "{WP}/x/?a=1&b=2"', 3: 'title: " Microsoft "'}
    )
    assert (tmp_path / "b.md").read_bytes() == good
    assert problems(result) == []
