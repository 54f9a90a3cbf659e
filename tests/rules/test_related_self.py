"""related-self: a related item that points at the article itself (error).

URLs are compared without scheme, ``www.``, host case, a trailing ``/`` or a ``#fragment``.
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
    validate,
)

RULE = "related-self"
SEVERITY = "error"

OWN = "www.washingtonpost.com/technology/2020/06/11/microsoft-facial-recognition/"


def second_related(url: str) -> bytes:
    """The house article with related[1] (line 49) pointing at ``url``, its provider matching."""
    return article({49: f'    webUrl: "{url}"', 53: "      domain: washingtonpost.com"})


CASES: list[Case] = [
    fails(
        "identical",
        second_related(f"https://{OWN}"),
        Expect(49, 13, "related[1].webUrl points at the article itself", '"https://www.wash'),
    ),
    fails(
        "first-item",
        article({33: f'    webUrl: "https://{OWN}"', 39: "      domain: washingtonpost.com"}),
        Expect(33, 13, "related[0].webUrl points at the article itself"),
    ),
    fails("http-scheme", second_related(f"http://{OWN}"), Expect(49, 13)),
    fails("without-www", second_related(f"https://{OWN.removeprefix('www.')}"), Expect(49, 13)),
    fails(
        "host-in-capitals",
        second_related(f"https://WWW.WashingtonPost.COM/{OWN.split('/', 1)[1]}"),
        Expect(49, 13),
    ),
    fails("without-trailing-slash", second_related(f"https://{OWN.rstrip('/')}"), Expect(49, 13)),
    fails("with-fragment", second_related(f"https://{OWN}#comments"), Expect(49, 13)),
    fails(
        "all-at-once",
        second_related(
            "http://WashingtonPost.com/technology/2020/06/11/microsoft-facial-recognition#top"
        ),
        Expect(49, 13),
    ),
    # Near misses: another page of the same site.
    passes("another-day", second_related(f"https://{OWN.replace('/11/', '/12/')}")),
    passes("another-query", second_related(f"https://{OWN}?page=2")),
    passes("amp-version", second_related(f"https://{OWN}?outputType=amp")),
    passes(
        "path-case-differs", second_related(f"https://{OWN.replace('technology', 'Technology')}")
    ),
    passes("subdomain", second_related(f"https://live.{OWN.removeprefix('www.')}")),
    passes("longer-path", second_related(f"https://{OWN}comments/")),
    # The article's own ampWebUrl is not its webUrl.
    passes("own-amp-url-elsewhere", article()),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    check_severity_and_exit(tmp_path, second_related(f"https://{OWN}"), RULE, SEVERITY)


def test_another_port_is_another_page(tmp_path: Path) -> None:
    content = second_related(f"https://{OWN.replace('.com/', '.com:8443/')}")
    assert problems(validate(tmp_path, {"a.md": content}), RULE) == []
