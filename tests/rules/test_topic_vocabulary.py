"""topic-vocabulary: a topic outside the configured ``topics`` vocabulary (error).

Only active when the configuration has ``topics``; suggests a close vocabulary word.
"""

from __future__ import annotations

from pathlib import Path

from .helpers import (
    Case,
    Expect,
    article,
    case_tests,
    fails,
    passes,
    problems,
    validate,
)

RULE = "topic-vocabulary"
SEVERITY = "error"
CONFIG = 'topics = ["AI", "Computer Vision", "Privacy", "Regulation"]\n'

CASES: list[Case] = [
    fails(
        "different-case",
        article({20: "  - ai"}),
        Expect(20, 5, "topic 'ai' is not in the vocabulary (did you mean 'AI'?)", "ai"),
    ),
    fails(
        "misspelt",
        article({19: "  - Computer Visoin"}),
        Expect(
            19,
            5,
            "topic 'Computer Visoin' is not in the vocabulary (did you mean 'Computer Vision'?)",
        ),
    ),
    fails(
        "nothing-close",
        article({20: "  - Artificial Intelligence"}),
        Expect(20, 5, "topic 'Artificial Intelligence' is not in the vocabulary"),
    ),
    fails(
        "trailing-space",
        article({20: '  - "AI "'}),
        Expect(20, 5, "topic 'AI ' is not in the vocabulary (did you mean 'AI'?)", '"AI "'),
    ),
    fails(
        "flow-list",
        article({18: "topics: [AI, Privacy, Privcy]"}, delete=[19, 20]),
        Expect(
            18, 23, "topic 'Privcy' is not in the vocabulary (did you mean 'Privacy'?)", "Privcy]"
        ),
    ),
    fails(
        "two-outside",
        article(insert={20: ["  - Facial Recognition", "  - Police"]}),
        Expect(21, 5, "'Facial Recognition'"),
        Expect(22, 5, "'Police'"),
    ),
    # Near misses: vocabulary words exactly.
    passes("in-the-vocabulary", article({20: "  - Regulation"})),
    passes("quoted-word", article({20: "  - 'Privacy'"})),
    passes("no-topics", article(delete=[18, 19, 20])),
    passes("title-outside-the-vocabulary", article({9: "type: Artificial Intelligence"})),
    # Empty topics are empty-topic's to report.
    passes("empty-topic", article({20: '  - ""'}), clean=False),
]


batch, test_case = case_tests(RULE, SEVERITY, CASES, config=CONFIG)


def test_severity_and_exit_code(tmp_path: Path) -> None:
    content = article({20: "  - Artificial Intelligence"})
    files = {"a.md": content}
    default = validate(tmp_path / "default", files, config=CONFIG)
    assert [(p["rule"], p["severity"]) for p in problems(default)] == [(RULE, SEVERITY)]
    assert default.code == 1
    flipped = validate(
        tmp_path / "flipped", files, config=CONFIG + f'[rules]\n{RULE} = "warning"\n'
    )
    assert [(p["rule"], p["severity"]) for p in problems(flipped)] == [(RULE, "warning")]
    assert flipped.code == 0
    strict = validate(
        tmp_path / "strict", files, "--strict", config=CONFIG + f'[rules]\n{RULE} = "warning"\n'
    )
    assert strict.code == 1


def test_without_a_vocabulary_any_topic_passes(tmp_path: Path) -> None:
    content = article({20: "  - Artificial Intelligence", 19: "  - ai"})
    for config in ("", "topics = []\n"):
        result = validate(tmp_path, {"a.md": content}, config=config)
        assert problems(result) == [] and result.code == 0
