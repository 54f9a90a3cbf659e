"""text-mojibake: UTF-8 text once read as Windows-1252 in a title or excerpt (warning)."""

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

RULE = "text-mojibake"
SEVERITY = "warning"


def garbled(text: str) -> str:
    """``text`` as it looks after its UTF-8 bytes were read as Windows-1252."""
    return text.encode("utf-8").decode("cp1252")


CASES: list[Case] = [
    fails(
        "apostrophe",
        article({3: f'title: "Microsoft won{garbled("’")}t sell police its technology"'}),
        Expect(3, 8, "title contains mojibake 'â€™' (probably '’')", '"Microsoft'),
    ),
    fails(
        "e-acute",
        article({4: f'excerpt: "Caf{garbled("é")} culture"'}),
        Expect(4, 10, "excerpt contains mojibake 'Ã©' (probably 'é')"),
    ),
    fails(
        "pound-sign",
        article({3: f'title: "Costs {garbled("£")}5"'}),
        Expect(3, 8, "'Â£' (probably '£')"),
    ),
    fails(
        "image-title",
        article({27: f'    title: "Microsoft won{garbled("’")}t"'}),
        Expect(27, 12, "images[0].title contains mojibake"),
    ),
    fails(
        "related-excerpt",
        article({31: f'    excerpt: "Brad Smith{garbled("’")}s plea"'}),
        Expect(31, 14, "related[0].excerpt contains mojibake"),
    ),
    fails(
        "related-title-dash",
        article({46: f'  - title: "House bill {garbled("—")} face recognition"'}),
        Expect(46, 12, "related[1].title contains mojibake"),
    ),
    # Near misses: real accented text and typography.
    passes("accents", article({3: 'title: "Café naïve façade Ærø"'})),
    passes("french-quotes", article({3: 'title: "«Ça va» ½ ©®"'})),
    passes("typography", article({3: 'title: "‘quoted’ “double” – dash … €5 ™"'})),  # noqa: RUF001
    passes("reference-title", article()),
    passes("mojibake-in-provider-name", article({15: f'  name: "Washington{garbled("’")}s Post"'})),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    content = article({3: f'title: "Microsoft won{garbled("’")}t sell"'})
    check_severity_and_exit(tmp_path, content, RULE, SEVERITY)
