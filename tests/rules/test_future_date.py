"""future-date: a date in the future beyond ``future-tolerance`` (warning, default 1 day)."""

from __future__ import annotations

import datetime as dt
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

RULE = "future-date"
SEVERITY = "warning"

CASES: list[Case] = [
    fails(
        "year-2999",
        article({5: "publishedDateTime: 2999-01-01T00:00:00Z"}),
        Expect(5, 20, "publishedDateTime is in the future: 2999-01-01T00:00:00+00:00", "2999"),
    ),
    fails(
        "year-2999-string-with-offset",
        article({5: 'publishedDateTime: "2999-06-11T18:42:00+02:00"'}),
        Expect(5, 20, "is in the future: 2999-06-11T18:42:00+02:00", '"2999'),
    ),
    fails(
        "updated-in-2999",
        article(insert={5: "updatedDateTime: 2999-06-12T09:00:00Z"}),
        Expect(6, 18, "updatedDateTime is in the future"),
    ),
    fails(
        "related-published-in-2999",
        article({32: "    publishedDateTime: 2999-06-11T17:30:00Z"}),
        Expect(32, 24, "related[0].publishedDateTime is in the future: 2999-06-11T17:30:00+00:00"),
    ),
    fails(
        "related-updated-in-2999",
        article(insert={48: "    updatedDateTime: 2999-01-01T00:00:00Z"}),
        Expect(49, 22, "related[1].updatedDateTime is in the future"),
    ),
    # Near misses: the past, the reference's own dates.
    passes("year-2020", article({5: "publishedDateTime: 2020-06-11T16:42:00Z"})),
    passes("year-1999", article({5: "publishedDateTime: 1999-12-31T23:59:59-12:00"})),
    # Without a zone the instant is unknown: date-timezone's to report, not this rule's.
    passes("naive-2999", article({5: "publishedDateTime: 2999-01-01T00:00:00"}), clean=False),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    content = article({5: "publishedDateTime: 2999-01-01T00:00:00Z"})
    check_severity_and_exit(tmp_path, content, RULE, SEVERITY)


def _from_now(delta: dt.timedelta) -> str:
    moment = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + delta
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    ("config", "flagged"),
    [
        ("", ["in-3-days.md", "in-10-days.md"]),  # the default: 1 day
        ('future-tolerance = "1w"\n', ["in-10-days.md"]),
        ('future-tolerance = "2w"\n', []),
        ('future-tolerance = "2d"\n', ["in-3-days.md", "in-10-days.md"]),
        (
            "future-tolerance = 0\n",
            ["in-1-hour.md", "in-12-hours.md", "in-3-days.md", "in-10-days.md"],
        ),
        (
            'future-tolerance = "30m"\n',
            ["in-1-hour.md", "in-12-hours.md", "in-3-days.md", "in-10-days.md"],
        ),
    ],
)
def test_future_tolerance(tmp_path: Path, config: str, flagged: list[str]) -> None:
    deltas = {
        "in-1-hour.md": dt.timedelta(hours=1),
        "in-12-hours.md": dt.timedelta(hours=12),
        "in-3-days.md": dt.timedelta(days=3),
        "in-10-days.md": dt.timedelta(days=10),
    }
    files = {
        name: article(
            {
                5: f"publishedDateTime: {_from_now(delta)}",
                6: f'webUrl: "https://www.washingtonpost.com/{name}/"',
            },
            delete=[7, 8],
        )
        for name, delta in deltas.items()
    }
    result = validate(tmp_path, files, config=config)
    found = problems(result)
    assert {p["rule"] for p in found} <= {RULE}
    assert sorted(p["path"] for p in found) == sorted(flagged)
    assert all((p["line"], p["column"]) == (5, 20) for p in found)
    assert result.code == 0
