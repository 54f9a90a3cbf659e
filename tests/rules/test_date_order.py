"""date-order: ``updatedDateTime`` before ``publishedDateTime`` (error), compared as instants."""

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

RULE = "date-order"
SEVERITY = "error"


def updated(value: str) -> bytes:
    """The house article (published 2020-06-11T16:42:00Z) with ``updatedDateTime`` on line 6."""
    return article(insert={5: f"updatedDateTime: {value}"})


CASES: list[Case] = [
    fails(
        "a-day-before",
        updated("2020-06-10T09:00:00Z"),
        Expect(
            6,
            18,
            "updatedDateTime (2020-06-10T09:00:00+00:00) is before publishedDateTime "
            "(2020-06-11T16:42:00+00:00)",
            "2020-06-10",
        ),
    ),
    fails("a-second-before", updated("2020-06-11T16:41:59Z"), Expect(6, 18, "is before")),
    # 17:00+02:00 is 15:00 UTC: before 16:42 UTC although the clock reads later.
    fails("later-clock-earlier-instant", updated("2020-06-11T17:00:00+02:00"), Expect(6, 18)),
    fails("string-date-before", updated('"Wed, 10 Jun 2020 09:00:00 GMT"'), Expect(6, 18)),
    fails(
        "published-a-string",
        article(
            {5: 'publishedDateTime: "Thu, 11 Jun 2020 16:42:00 GMT"'},
            insert={5: "updatedDateTime: 2020-06-11T16:00:00Z"},
        ),
        Expect(6, 18, "is before publishedDateTime (2020-06-11T16:42:00+00:00)"),
    ),
    fails(
        "in-a-related-item",
        article(insert={32: "    updatedDateTime: 2020-06-11T17:29:59Z"}),
        Expect(
            33,
            22,
            "related[0].updatedDateTime (2020-06-11T17:29:59+00:00) is before "
            "related[0].publishedDateTime (2020-06-11T17:30:00+00:00)",
        ),
    ),
    fails(
        "in-the-second-related-item",
        article(insert={48: "    updatedDateTime: 2020-06-08T03:34:00Z"}),
        Expect(49, 22, "related[1].updatedDateTime"),
    ),
    # Near misses.
    passes("same-instant", updated("2020-06-11T16:42:00Z")),
    passes("a-second-later", updated("2020-06-11T16:42:01Z")),
    # 12:00-05:00 is 17:00 UTC: after 16:42 UTC although the clock reads earlier.
    passes("earlier-clock-later-instant", updated("2020-06-11T12:00:00-05:00")),
    # Before the article's publication but after the related item's own: no problem.
    passes(
        "related-updated-before-the-article",
        article(insert={48: "    updatedDateTime: 2020-06-10T00:00:00Z"}),
    ),
    # A related item without publishedDateTime has nothing to be before.
    passes("related-without-published", article({32: "    updatedDateTime: 2000-01-01T00:00:00Z"})),
    # Without a zone the order is unknown: date-timezone's to report.
    passes("naive-updated", updated("2020-06-10T09:00:00"), clean=False),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    check_severity_and_exit(tmp_path, updated("2020-06-10T09:00:00Z"), RULE, SEVERITY)
