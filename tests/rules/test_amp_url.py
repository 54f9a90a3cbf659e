"""amp-url: ``cdnAmpWebUrl`` is not the Google AMP cache form of ``ampWebUrl`` (error, fixable).

The expected cache URLs below are written out by hand or computed here from the AMP cache
documentation (https://amp.dev/documentation/guides-and-tutorials/learn/amp-caches-and-cors/
amp-cache-urls/), not with newsmeta's own function.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

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

RULE = "amp-url"
SEVERITY = "error"

WP_PATH = (
    "www.washingtonpost.com/technology/2020/06/11/microsoft-facial-recognition/?outputType=amp"
)
WP_CDN = f"https://www-washingtonpost-com.cdn.ampproject.org/c/s/{WP_PATH}"
VB_PATH = (
    "venturebeat.com/2020/06/11/microsoft-wont-sell-police-facial-recognition-until-theres-a-"
    "national-law-in-place/amp/"
)
VB_CDN = f"https://venturebeat-com.cdn.ampproject.org/c/s/{VB_PATH}"

LONG_HOST = "a-rather-long-subdomain-for-testing.some-publisher-with-a-long-name.example.com"
HOST_63 = "news." + "x" * 54 + ".com"  # 63 characters, no '-': the readable label fits
HOST_64 = "news." + "x" * 55 + ".com"  # 64 characters: too long for a DNS label


def hashed_label(host: str) -> str:
    """The fallback label: base32 of the SHA-256 of the host, without padding, lower case."""
    digest = hashlib.sha256(host.encode("ascii")).digest()
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()


def amp(amp_url: str, cdn_url: str) -> bytes:
    """The house article with its ampWebUrl (line 7) and cdnAmpWebUrl (line 8) replaced."""
    return article({7: f'ampWebUrl: "{amp_url}"', 8: f'cdnAmpWebUrl: "{cdn_url}"'})


def cdn(label: str, rest: str, *, secure: bool = True) -> str:
    return f"https://{label}.cdn.ampproject.org/c/{'s/' if secure else ''}{rest}"


CASES: list[Case] = [
    fails(
        "wrong-host-label",
        article({8: f'cdnAmpWebUrl: "https://wrong-host.cdn.ampproject.org/c/s/{WP_PATH}"'}),
        Expect(
            8,
            15,
            f"cdnAmpWebUrl is not the AMP cache URL of the AMP URL; expected {WP_CDN!r}",
            '"https://wrong-host',
        ),
    ),
    fails(
        "https-page-without-s",
        article(
            {8: f'cdnAmpWebUrl: "https://www-washingtonpost-com.cdn.ampproject.org/c/{WP_PATH}"'}
        ),
        Expect(8, 15, f"expected {WP_CDN!r}"),
    ),
    # An http AMP page: /c/ without s/.
    fails(
        "http-page-with-s",
        amp(
            "http://www.washingtonpost.com/amp/x",
            cdn("www-washingtonpost-com", "www.washingtonpost.com/amp/x"),
        ),
        Expect(
            8,
            15,
            "expected "
            + repr(cdn("www-washingtonpost-com", "www.washingtonpost.com/amp/x", secure=False)),
        ),
    ),
    # A '-' in the host is doubled, a '.' becomes '-'.
    fails(
        "dash-not-doubled",
        amp("https://the-verge.com/amp/x", cdn("the-verge-com", "the-verge.com/amp/x")),
        Expect(8, 15, "expected " + repr(cdn("the--verge-com", "the-verge.com/amp/x"))),
    ),
    fails(
        "dots-kept",
        amp(
            "https://www.the-verge.com/amp/x", cdn("www.the--verge.com", "www.the-verge.com/amp/x")
        ),
        Expect(8, 15, "expected " + repr(cdn("www-the--verge-com", "www.the-verge.com/amp/x"))),
    ),
    fails(
        "path-differs",
        amp("https://the-verge.com/amp/x", cdn("the--verge-com", "the-verge.com/amp/y")),
        Expect(8, 15),
    ),
    # A label longer than 63 characters: the hashed form.
    fails(
        "long-host-readable-label",
        amp(
            f"https://{LONG_HOST}/amp/x",
            cdn(LONG_HOST.replace("-", "--").replace(".", "-"), f"{LONG_HOST}/amp/x"),
        ),
        Expect(8, 15, "expected " + repr(cdn(hashed_label(LONG_HOST), f"{LONG_HOST}/amp/x"))),
    ),
    fails(
        "64-characters-readable-label",
        amp(f"https://{HOST_64}/x", cdn(HOST_64.replace(".", "-"), f"{HOST_64}/x")),
        Expect(8, 15, "expected " + repr(cdn(hashed_label(HOST_64), f"{HOST_64}/x"))),
    ),
    # cdnAmpWebUrl without ampWebUrl: an error, and not fixable.
    fails(
        "cdn-without-amp",
        article(delete=[7]),
        Expect(
            7,
            15,
            "cdnAmpWebUrl is set but ampWebUrl is missing",
            '"https://www-wash',
            fixable=False,
        ),
    ),
    # Nested: related items.
    fails(
        "related-wrong-label",
        article({35: f'    cdnAmpWebUrl: "{VB_CDN.replace("venturebeat-com", "venturebeat")}"'}),
        Expect(
            35,
            19,
            f"related[0].cdnAmpWebUrl is not the AMP cache URL of the AMP URL; expected {VB_CDN!r}",
        ),
    ),
    fails(
        "related-cdn-without-amp",
        article(delete=[34]),
        Expect(
            34,
            19,
            "related[0].cdnAmpWebUrl is set but related[0].ampWebUrl is missing",
            fixable=False,
        ),
    ),
    # Near misses.
    passes("the-house-article", article()),
    passes(
        "http-page",
        amp(
            "http://www.washingtonpost.com/amp/x",
            cdn("www-washingtonpost-com", "www.washingtonpost.com/amp/x", secure=False),
        ),
    ),
    passes(
        "dash-doubled",
        amp("https://the-verge.com/amp/x", cdn("the--verge-com", "the-verge.com/amp/x")),
    ),
    passes(
        "host-in-capitals",
        amp(
            "https://WWW.WashingtonPost.com/amp/x",
            cdn("www-washingtonpost-com", "WWW.WashingtonPost.com/amp/x"),
        ),
    ),
    passes(
        "long-host-hashed",
        amp(f"https://{LONG_HOST}/amp/x", cdn(hashed_label(LONG_HOST), f"{LONG_HOST}/amp/x")),
    ),
    passes(
        "63-characters-readable",
        amp(f"https://{HOST_63}/x", cdn(HOST_63.replace(".", "-"), f"{HOST_63}/x")),
    ),
    passes("amp-without-cdn", article(delete=[8])),
    passes("neither", article(delete=[7, 8])),
    passes("related-without-amp-urls", article(delete=[34, 35])),
    # An ampWebUrl that is not a URL is invalid-url's to report, not this rule's.
    passes("amp-not-a-url", article({7: 'ampWebUrl: "not a url"'}), clean=False),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES, fixable=True)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    content = article({8: f'cdnAmpWebUrl: "https://wrong.cdn.ampproject.org/c/s/{WP_PATH}"'})
    check_severity_and_exit(tmp_path, content, RULE, SEVERITY)


def test_fix_writes_the_cache_url_and_nothing_else(tmp_path: Path) -> None:
    body = ["Body.", "---", "cdnAmpWebUrl: not front matter"]
    comments = {6: "# AMP:", 33: "    # VentureBeat's AMP page"}
    broken = {
        8: "cdnAmpWebUrl: 'https://wrong.cdn.ampproject.org/c/s/x'",
        35: f'    cdnAmpWebUrl: "{VB_CDN.replace("/c/s/", "/c/")}"',
        63: body,
    }
    fixed = {8: f"cdnAmpWebUrl: '{WP_CDN}'", 35: f'    cdnAmpWebUrl: "{VB_CDN}"', 63: body}
    content = article(broken, insert=comments, newline="\r\n", bom=True)
    after, first, second = run_fix(tmp_path, content)
    assert after == article(fixed, insert=comments, newline="\r\n", bom=True)
    assert first.stderr.count("fixed [amp-url]") == 2
    assert problems(first) == [] and first.code == 0
    assert problems(second) == [] and second.code == 0


def test_fix_of_a_hashed_label(tmp_path: Path) -> None:
    label = hashed_label(LONG_HOST)
    assert len(label) == 52 and set(label) <= set("abcdefghijklmnopqrstuvwxyz234567")
    wrong = amp(f"https://{LONG_HOST}/amp/x", cdn("wrong", f"{LONG_HOST}/amp/x"))
    after, _first, second = run_fix(tmp_path, wrong)
    assert after == amp(
        f"https://{LONG_HOST}/amp/x", cdn(hashed_label(LONG_HOST), f"{LONG_HOST}/amp/x")
    )
    assert problems(second, RULE) == []


def test_fix_leaves_a_cdn_url_without_amp_url_alone(tmp_path: Path) -> None:
    content = article(delete=[7])
    after, first, second = run_fix(tmp_path, content)
    assert after == content
    assert "fixed" not in first.stderr
    assert [(p["rule"], p["line"], p["fixable"]) for p in problems(second)] == [(RULE, 7, False)]
    assert second.code == 1


@pytest.mark.parametrize(
    ("host", "label"),
    [("en-us.example.com", "0-en--us-example-com-0"), ("xn--57hw060o.com", "xn---com-p33b41770a")],
)
def test_amp_cache_special_labels(tmp_path: Path, host: str, label: str) -> None:
    content = amp(f"https://{host}/amp/x", cdn(label, f"{host}/amp/x"))
    assert problems(validate(tmp_path, {"a.md": content}), RULE) == []


def test_fix_reports_only_the_problems_the_file_had(tmp_path: Path) -> None:
    content = amp(
        "https://www.washingtonpost.com/amp/x?a=1&amp;b=2", "https://wrong.cdn.ampproject.org/c/s/x"
    )
    before = problems(validate(tmp_path / "check", {"a.md": content}))
    assert [p["rule"] for p in before] == ["url-entity", RULE]
    after, first, _second = run_fix(tmp_path / "fix", content)
    assert after == amp(
        "https://www.washingtonpost.com/amp/x?a=1&b=2",
        cdn("www-washingtonpost-com", "www.washingtonpost.com/amp/x?a=1&b=2"),
    )
    assert first.stderr.count("fixed [") == 2
    assert "fixed 2 problems in 1 file" in first.stderr
