"""provider-domain: ``provider.domain`` does not match the host of ``webUrl`` (warning)."""

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

RULE = "provider-domain"
SEVERITY = "warning"


def web_url(url: str) -> bytes:
    return article({6: f'webUrl: "{url}"'})


CASES: list[Case] = [
    fails(
        "other-site",
        web_url("https://www.reuters.com/technology/x/"),
        Expect(
            16,
            11,
            "provider.domain 'washingtonpost.com' does not match the host of webUrl "
            "'www.reuters.com'",
            "washingtonpost.com",
        ),
    ),
    # A suffix that is not a whole label does not match.
    fails(
        "suffix-not-a-label",
        web_url("https://www.notwashingtonpost.com/technology/x/"),
        Expect(16, 11, "'www.notwashingtonpost.com'"),
    ),
    # The domain is more specific than the host.
    fails(
        "domain-with-www-host-without",
        article(
            {6: 'webUrl: "https://washingtonpost.com/x/"', 16: "  domain: www.washingtonpost.com"}
        ),
        Expect(
            16,
            11,
            "provider.domain 'www.washingtonpost.com' does not match the host of webUrl "
            "'washingtonpost.com'",
        ),
    ),
    fails(
        "domain-written-as-url",
        article({16: '  domain: "https://washingtonpost.com"'}),
        Expect(16, 11, "provider.domain 'https://washingtonpost.com'", '"https://'),
    ),
    fails(
        "other-tld",
        article({16: "  domain: washingtonpost.co.uk"}),
        Expect(16, 11, "'washingtonpost.co.uk'"),
    ),
    fails(
        "related-first",
        article({39: "      domain: venturebeat.net"}),
        Expect(
            39,
            15,
            "related[0].provider.domain 'venturebeat.net' does not match the host of webUrl "
            "'venturebeat.com'",
            "venturebeat.net",
        ),
    ),
    fails(
        "related-second",
        article({53: "      domain: sc-media.com"}),
        Expect(53, 15, "related[1].provider.domain 'sc-media.com'"),
    ),
    fails(
        "flow-provider",
        article({14: "provider: {name: Washington Post, domain: reuters.com}"}, delete=[15, 16]),
        Expect(14, 43, "provider.domain 'reuters.com'", "reuters.com}"),
    ),
    # Near misses.
    passes("subdomain-host", web_url("https://live.washingtonpost.com/technology/x/")),
    passes("deep-subdomain-host", web_url("https://a.b.washingtonpost.com/technology/x/")),
    passes("bare-host", web_url("https://washingtonpost.com/technology/x/")),
    passes("domain-in-capitals-with-dot", article({16: "  domain: WashingtonPost.com."})),
    passes("host-in-capitals", web_url("https://WWW.WASHINGTONPOST.COM/technology/x/")),
    passes("host-with-port", web_url("https://www.washingtonpost.com:443/technology/x/")),
    passes("related-host-without-www", article()),
    # Nothing to compare with: the rules for those fields report what is wrong.
    passes("web-url-invalid", web_url("/technology/x/"), clean=False),
    passes("domain-empty", article({16: '  domain: ""'}), clean=False),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    check_severity_and_exit(tmp_path, article({53: "      domain: sc-media.com"}), RULE, SEVERITY)
