"""invalid-url: a URL field that is not an absolute http(s) URL with a host (error)."""

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

RULE = "invalid-url"
SEVERITY = "error"

WP = "https://www.washingtonpost.com"

CASES: list[Case] = [
    fails(
        "web-url-relative",
        article({6: 'webUrl: "/technology/2020/06/11/microsoft-facial-recognition/"'}),
        Expect(6, 9, "webUrl is not an absolute http(s) URL", '"/technology'),
    ),
    fails(
        "web-url-scheme-without-colon",
        article({6: 'webUrl: "https//www.washingtonpost.com/x/"'}),
        Expect(6, 9, "webUrl is not an absolute http(s) URL", '"https//'),
    ),
    fails(
        "amp-url-ftp",
        article({7: 'ampWebUrl: "ftp://www.washingtonpost.com/x"'}),
        Expect(7, 12, "ampWebUrl is not an absolute http(s) URL: 'ftp://www.washingtonpost.com/x'"),
    ),
    fails(
        "image-url-with-space",
        article({23: f'  - url: "{WP}/wp apps/x.jpg"'}),
        Expect(23, 10, "images[0].url contains white space", '"https://'),
    ),
    fails(
        "web-url-host-without-dot",
        article({6: 'webUrl: "https://washingtonpost/technology/"'}),
        Expect(6, 9, "webUrl has no valid host name"),
    ),
    fails(
        "web-url-bad-port",
        article({6: f'webUrl: "{WP}:99999/x/"'}),
        Expect(6, 9, "webUrl cannot be read as a URL"),
    ),
    fails(
        "amp-url-empty",
        article({7: 'ampWebUrl: ""'}),
        Expect(7, 12, "ampWebUrl is empty", '""'),
    ),
    fails(
        "plain-scalar-url",
        article({6: "webUrl: www.washingtonpost.com/technology/x/"}),
        Expect(6, 9, "webUrl is not an absolute http(s) URL", "www."),
    ),
    # Nested places.
    fails(
        "related-web-url-without-scheme",
        article({33: '    webUrl: "venturebeat.com/2020/06/11/x/"'}),
        Expect(33, 13, "related[0].webUrl is not an absolute http(s) URL"),
    ),
    fails(
        "related-image-protocol-relative",
        article({56: '      - url: "//www.scmagazine.com/x.jpg"'}),
        Expect(56, 14, "related[1].images[0].url is not an absolute http(s) URL"),
    ),
    fails(
        "related-cdn-url-space",
        article({35: '    cdnAmpWebUrl: "https://venturebeat-com.cdn.ampproject.org/c/s/ x"'}),
        Expect(35, 19, "related[0].cdnAmpWebUrl contains white space"),
    ),
    # Near misses.
    passes(
        "scheme-and-host-in-capitals",
        article({6: 'webUrl: "HTTPS://WWW.WASHINGTONPOST.COM/technology/x/"'}),
    ),
    passes("plain-scalar-absolute", article({6: f"webUrl: {WP}/technology/x/"})),
    passes("http-not-https", article({6: 'webUrl: "http://www.washingtonpost.com/technology/x/"'})),
    passes("explicit-port", article({6: f'webUrl: "{WP}:443/technology/x/"'})),
    passes("query-and-fragment", article({6: f'webUrl: "{WP}/technology/x/?a=1&b=2#top"'})),
    passes("percent-encoded-space", article({23: f'  - url: "{WP}/wp%20apps/x.jpg"'})),
    # Hosts without a dot: only localhost (not valid for provider-domain, hence not clean).
    passes(
        "localhost",
        article({6: 'webUrl: "http://localhost/technology/"'}, delete=[7, 8]),
        clean=False,
    ),
    passes(
        "ipv4-host",
        article({6: 'webUrl: "http://127.0.0.1/technology/"'}, delete=[7, 8]),
        clean=False,
    ),
    # Not a string: wrong-type's to report.
    passes("web-url-number", article({6: "webUrl: 42"}, delete=[7, 8]), clean=False),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    content = article({23: f'  - url: "{WP}/wp apps/x.jpg"'})
    check_severity_and_exit(tmp_path, content, RULE, SEVERITY)
