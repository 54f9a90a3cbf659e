"""invalid-date: a date field that cannot be read as a full date (error).

Strings are read by python-dateutil; a partial date such as "June 2020" is refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import (
    Batch,
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

RULE = "invalid-date"
SEVERITY = "error"

CASES: list[Case] = [
    fails(
        "month-and-year-only",
        article({5: 'publishedDateTime: "June 2020"'}),
        Expect(
            5,
            20,
            "publishedDateTime is not a full date (year, month and day): 'June 2020'",
            '"June',
        ),
    ),
    fails(
        "year-only-string",
        article({5: 'publishedDateTime: "2020"'}),
        Expect(5, 20, "is not a full date (year, month and day): '2020'"),
    ),
    fails(
        "time-only",
        article({5: 'publishedDateTime: "16:42:00Z"'}),
        Expect(5, 20, "is not a full date"),
    ),
    fails(
        "words",
        article({5: "publishedDateTime: sometime last tuesday"}),
        Expect(
            5, 20, "publishedDateTime is not a date and time: 'sometime last tuesday'", "sometime"
        ),
    ),
    fails(
        "impossible-day-quoted",
        article({5: 'publishedDateTime: "2020-02-30T10:00:00Z"'}),
        Expect(5, 20, "is not a date and time: '2020-02-30T10:00:00Z'"),
    ),
    fails(
        "updated-in-related",
        article(insert={32: "    updatedDateTime: soon"}),
        Expect(33, 22, "related[0].updatedDateTime is not a date and time: 'soon'", "soon"),
    ),
    fails(
        "related-published-partial",
        article({48: '    publishedDateTime: "June 2020"'}),
        Expect(48, 24, "related[1].publishedDateTime is not a full date"),
    ),
    # Near misses: full dates in the forms dateutil reads, with time and zone.
    passes("rfc-2822-gmt", article({5: 'publishedDateTime: "Thu, 11 Jun 2020 16:42:00 GMT"'})),
    passes(
        "iso-string-with-offset", article({5: 'publishedDateTime: "2020-06-11T18:42:00+02:00"'})
    ),
    passes("yaml-timestamp-with-space", article({5: "publishedDateTime: 2020-06-11 16:42:00Z"})),
    passes("long-form", article({5: 'publishedDateTime: "June 11, 2020 16:42:00 UTC"'})),
    passes("fractional-seconds", article({5: "publishedDateTime: 2020-06-11T16:42:00.123Z"})),
    passes("leap-day", article({5: 'publishedDateTime: "2020-02-29T10:00:00Z"'})),
    # A full date without a time: readable, so date-timezone's to report.
    passes("date-without-time", article({5: 'publishedDateTime: "June 11 2020"'}), clean=False),
    # Not a string: wrong-type's to report.
    passes("year-as-number", article({5: "publishedDateTime: 2020"}), clean=False),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_date_without_time_goes_to_date_timezone(batch: Batch) -> None:
    found = batch.problems("date-without-time.md")
    assert [(p["rule"], p["line"], p["column"]) for p in found] == [("date-timezone", 5, 20)]


def test_severity_and_exit_code(tmp_path: Path) -> None:
    content = article({5: 'publishedDateTime: "June 2020"'})
    check_severity_and_exit(tmp_path, content, RULE, SEVERITY)


@pytest.mark.parametrize("value", ["2020-02-30T10:00:00Z", "2020-13-45"])
def test_impossible_unquoted_timestamp_is_a_finding(tmp_path: Path, value: str) -> None:
    result = validate(tmp_path, {"a.md": article({5: f"publishedDateTime: {value}"})})
    found = problems(result)
    assert [(p["rule"], p["line"], p["column"]) for p in found] == [(RULE, 5, 20)]
    assert result.code == 1
