"""date-timezone: a date without a time of day or without a time zone (error)."""

from __future__ import annotations

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
    validate,
)

RULE = "date-timezone"
SEVERITY = "error"

NO_TIME = "has a date but no time and time zone"
NO_ZONE = "has no time zone; add Z for UTC or an offset such as +02:00"

CASES: list[Case] = [
    fails(
        "date-only-timestamp",
        article({5: "publishedDateTime: 2020-06-11"}),
        Expect(5, 20, f"publishedDateTime {NO_TIME}", "2020-06-11"),
    ),
    fails(
        "date-only-string",
        article({5: 'publishedDateTime: "2020-06-11"'}),
        Expect(5, 20, NO_TIME, '"2020-06-11"'),
    ),
    fails(
        "words-date-only",
        article({5: 'publishedDateTime: "June 11 2020"'}),
        Expect(5, 20, NO_TIME),
    ),
    fails(
        "naive-timestamp",
        article({5: "publishedDateTime: 2020-06-11T16:42:00"}),
        Expect(5, 20, f"publishedDateTime {NO_ZONE}", "2020-06-11T16:42:00"),
    ),
    fails(
        "naive-string",
        article({5: 'publishedDateTime: "Thu, 11 Jun 2020 16:42:00"'}),
        Expect(5, 20, NO_ZONE),
    ),
    fails(
        "updated-naive",
        article(insert={5: "updatedDateTime: 2020-06-12T09:00:00"}),
        Expect(6, 18, f"updatedDateTime {NO_ZONE}"),
    ),
    fails(
        "related-date-only",
        article({32: "    publishedDateTime: 2020-06-11"}),
        Expect(32, 24, f"related[0].publishedDateTime {NO_TIME}"),
    ),
    fails(
        "related-naive",
        article({48: "    publishedDateTime: 2020-06-09T03:34:00"}),
        Expect(48, 24, f"related[1].publishedDateTime {NO_ZONE}"),
    ),
    # Near misses: a time and a zone, in every spelling.
    passes("utc-z", article({5: "publishedDateTime: 2020-06-11T16:42:00Z"})),
    passes("offset", article({5: "publishedDateTime: 2020-06-11T18:42:00+02:00"})),
    passes(
        "negative-offset-string", article({5: 'publishedDateTime: "2020-06-11T11:42:00-05:00"'})
    ),
    passes("gmt-string", article({5: 'publishedDateTime: "Thu, 11 Jun 2020 16:42:00 GMT"'})),
    passes("midnight-utc", article({5: "publishedDateTime: 2020-06-11T00:00:00Z"})),
    passes("lower-case-t-and-z", article({5: "publishedDateTime: 2020-06-11t16:42:00z"})),
    # Not a full date: invalid-date's to report.
    passes("month-and-year", article({5: 'publishedDateTime: "June 2020"'}), clean=False),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    content = article({5: "publishedDateTime: 2020-06-11T16:42:00"})
    check_severity_and_exit(tmp_path, content, RULE, SEVERITY)


@pytest.mark.parametrize(
    "value", ['"2020-06-11T16:42Z"', '"Thu, 11 Jun 2020 16:42 GMT"', '"2020-06-11 16:42+02:00"']
)
def test_time_without_seconds_has_a_time_and_zone(tmp_path: Path, value: str) -> None:
    result = validate(tmp_path, {"a.md": article({5: f"publishedDateTime: {value}"})})
    assert problems(result) == []


def test_unknown_zone_name_prints_only_the_summary(tmp_path: Path) -> None:
    content = article({5: 'publishedDateTime: "Thu, 11 Jun 2020 09:42:00 PDT"'})
    result = validate(tmp_path, {"a.md": content})
    assert [(p["rule"], p["line"]) for p in problems(result)] == [(RULE, 5)]
    assert result.stderr == "1 error, 0 warnings in 1 of 1 file\n"
