"""``reformat --check``'s fast path (newsmeta.instyle) against the real reformatter.

``instyle.in_style(article, style)`` answers "surely in the house style" from the fast
reader's data, without the round trip; the file is then reported unchanged and the
reformatter never runs.  So it must be sound: whenever it says True, ``reformat.reformat``
returns the article's own bytes.  (False is always safe: the reformatter runs.)

1. The seeds and ../shared/corpora: True implies unchanged; the fast path is really taken for
   in-style files without comments (the reference article and the like).
2. Generated article-shaped data: whatever ``house_lines`` writes, written out as a file, is
   in style for ``in_style`` and left byte for byte by ``reformat``.
3. ``plain_safe`` is a subset of ``apply.plain_allowed``.
4. Files out of the style (comments, trailing blanks, order, blank lines, delimiters, dates,
   quotes) give False, not a crash; CRLF and BOM files agree with the reformatter.

A bug found on the way (long keys) has its tests at the end.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from newsmeta import fastyaml, instyle
from newsmeta.apply import plain_allowed
from newsmeta.article import Article, split_article
from newsmeta.errors import ArticleError
from newsmeta.instyle import house_lines, in_style, plain_safe
from newsmeta.reformat import HouseStyle, house_key_order, reformat
from newsmeta.schema import Schema

from .conftest import MINIMAL, REFERENCE, SEEDS, SHARED

CORPORA = SHARED / "corpora"
STYLE = HouseStyle.of(Schema())
BODY = b"Body\n"

needs_fast_reader = pytest.mark.skipif(
    not fastyaml.available(), reason="PyYAML with libyaml is absent: in_style is always False"
)


def article_of(raw: bytes, path: str = "x.md") -> Article:
    return split_article(raw, path)


def check_sound(article: Article) -> bool:
    """Assert the soundness property for one article; return what in_style said."""
    said = in_style(article, STYLE)
    assert said in (True, False)
    if said:
        assert reformat(article, STYLE) == article.raw, (
            f"{article.path}: in_style says True, but reformat changes the file"
        )
    return said


def has_comment(article: Article) -> bool:
    """Whether a front matter line holds a comment (conservatively: any '#' after a blank or
    at the start of a line)."""
    return any(re.search(r"(?:^|\s)#", line) for line in article.front_matter)


# -- 1. the seeds and the corpora ----------------------------------------------------------

SEED_FILES = sorted(path for path in SEEDS.iterdir() if path.is_file())


def test_there_are_seeds() -> None:
    assert len(SEED_FILES) >= 10


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.name)
def test_seed_in_style_is_sound_and_the_fast_path_is_taken(path: Path) -> None:
    article = article_of(path.read_bytes(), str(path))
    said = check_sound(article)
    unchanged = reformat(article, STYLE) == article.raw
    if unchanged and not has_comment(article) and fastyaml.available():
        # A seed the reformatter leaves alone, with no comment: the fast path must see it.
        assert said, f"{path.name} is in style, but in_style cannot tell"


@needs_fast_reader
def test_the_reference_article_is_in_style_by_the_fast_path() -> None:
    raw = REFERENCE.read_bytes()
    assert in_style(article_of(raw), STYLE)
    assert reformat(article_of(raw), STYLE) == raw
    # The same with the HTML entity repaired: still quoted, still in style.
    fixed = raw.replace(b"&#038;", b"&")
    assert fixed != raw
    assert in_style(article_of(fixed), STYLE)
    assert reformat(article_of(fixed), STYLE) == fixed


@needs_fast_reader
def test_most_seeds_take_the_fast_path() -> None:
    said = [in_style(article_of(path.read_bytes(), str(path)), STYLE) for path in SEED_FILES]
    # 12 of the 14 seeds at the time of writing; the other two have comments.
    assert sum(said) >= len(SEED_FILES) - 2


@pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora is absent")
def test_every_corpus_file_in_style_is_left_unchanged_by_reformat() -> None:
    """Soundness over the real-world files: only the files the fast path calls in style are
    reformatted (reformatting all 4,200 takes too long for this file).  At the time of
    writing: 173 files in style by the fast path, all unchanged by reformat, of the 560 that
    reformat leaves unchanged; the others have strings the fast path cannot decide (329: in
    fields not quoted, strings that are not plain_safe, such as 'Tutorial: a title'), keys
    that are not plain_safe (45, '_comment') or no data (11)."""
    files = sorted(path for path in CORPORA.rglob("*") if path.is_file())
    assert len(files) > 4000
    in_style_count = 0
    for path in files:
        try:
            article = article_of(path.read_bytes(), str(path))
        except ArticleError:
            continue
        in_style_count += check_sound(article)
    if fastyaml.available():
        assert in_style_count > 150  # the fast path is really taken on real files


# -- 2. generated data: what house_lines writes, reformat keeps ----------------------------

KNOWN = [key for key in STYLE.key_order if key != instyle.LAST]

TRICKY = [
    "",
    " ",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "N",
    "null",
    "Null",
    "~",
    "true",
    "False",
    "1:30",
    "010",
    "0x1F",
    "0o17",
    "1e3",
    ".5",
    ".inf",
    ".NaN",
    "=",
    "<<",
    "-",
    "- a",
    "a: b",
    "a:b",
    "a:",
    "a #b",
    "a#b",
    "#a",
    "'a'",
    '"a"',
    "it's",
    'say "hi"',
    " leading",
    "trailing ",
    "a  b",
    "Ünïcödé",
    "Microsoft won’t sell",
    "中文 标题",
    "emoji 😀",
    "tab\tx",
    "line\nbreak",
    "back\\slash",
    "2020-06-11",
    "2020-06-11T16:42:00Z",
    "June 11, 2020 4:42 PM UTC",
    "%x",
    "@x",
    "`x",
    "!x",
    "&x",
    "*x",
    "|x",
    ">x",
    "?x",
    "? x",
    "x?",
    "x -",
    "---",
    "...",
    "a,b",
    "[a]",
    "{a}",
    "a\u00a0b",
    "a\u2028b",
    "\ufeffa",
    "a\x85b",
    "a\x7fb",
    "https://example.com/a?b=c&d=e#f",
    "IFVnbsBLJH17QrMA+kiyT1Ht",
    "Computer Vision",
    "AI",
    "news",
]

ODD_CHARS = ["\u00a0", "\u2028", "\x85", "\ufeff", "\t", "\x7f", "\x1b"]
CHARS = list("abcdefgxyzABCXYZ0123456789 :#'-,.?!&*/%@`|>[]{}=~+_")
CHARS += ["é", "ß", "Ω", "’", "“", "中", "😀", "\u0301", "\uff46", "\uff1a"]
ALPHABET = st.sampled_from([*CHARS, '"', "\\", *ODD_CHARS])
WORDS = st.from_regex(r"\A[A-Za-zÀ-ÿ][A-Za-z0-9À-ÿ’ ./\-]{0,30}[A-Za-z0-9]\Z")
# Text the house style writes plain: words, and plain-safe strings with odd characters.
PLAIN_TEXT = st.one_of(
    WORDS,
    WORDS,
    st.sampled_from(TRICKY).filter(plain_safe),  # filtered when drawn, not at import
    st.builds(
        "".join,
        st.tuples(
            st.sampled_from(list("aZéΩ中\uff46")), *[st.sampled_from(CHARS)] * 2, st.just("z")
        ),
    ).filter(plain_safe),
    st.builds(
        operator.add,
        st.sampled_from(list("aZéΩ中\uff46")),
        st.builds("".join, st.lists(st.sampled_from(CHARS), max_size=12)),
    ).filter(plain_safe),
)
# Text for the double-quoted fields: anything printable but '"' and '\', spaces around it,
# YAML 1.1 words, comment signs and colons included.
QUOTED_TEXT = st.one_of(
    WORDS,
    st.sampled_from([text for text in TRICKY if text.isprintable() and '"' not in text]),
    st.builds("".join, st.lists(st.sampled_from(CHARS), max_size=40)),
)
WILD_TEXT = st.one_of(
    WORDS,
    st.sampled_from(TRICKY),
    st.text(ALPHABET, max_size=30),
    st.text(max_size=12),
)

OFFSETS = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
ZONES = st.one_of(
    st.none(), st.just(dt.timezone.utc), st.just(dt.timezone(dt.timedelta(0))), OFFSETS
)
RECENT = st.datetimes(
    min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=ZONES
)
DATETIMES = st.one_of(
    RECENT,
    RECENT.map(lambda value: value.replace(microsecond=0)),
    st.datetimes(timezones=ZONES),  # years 1 to 9999
)

# Keys: mostly plain names (short: see the long-key tests at the end), some odd ones.
NAMES = st.one_of(
    st.from_regex(r"\A[a-z][a-zA-Z0-9_]{0,15}\Z"),
    st.from_regex(r"\A[a-zA-Zé][a-zA-Z0-9_ .:\-/é’]{0,40}[a-z]\Z").filter(plain_safe),
    st.sampled_from(["name", "domain", "url", "title", "width", "isCached", "excerpt"]),
)
ODD_KEYS = st.one_of(
    st.sampled_from(["yes", "on", "null", "true", "1", "a: b", "a #b", "-a", "'k'", ""]),
    st.integers(0, 9),
    st.text(ALPHABET, max_size=8),
)


class Shapes:
    """Strategies for article-shaped data.  Tame data is mostly what house_lines writes (the
    property's real test); wild data is anything, mostly what it refuses (None, no crash)."""

    def __init__(self, wild: bool, style: HouseStyle = STYLE) -> None:
        self.wild = wild
        self.style = style
        self.keys = st.one_of(NAMES, NAMES, NAMES, ODD_KEYS) if wild else NAMES

    def text(self, name: str) -> st.SearchStrategy[Any]:
        if self.wild:
            return WILD_TEXT
        return QUOTED_TEXT if name in self.style.quoted else PLAIN_TEXT

    def scalar(self, name: str) -> st.SearchStrategy[Any]:
        scalars = [
            self.text(name),
            self.text(name),
            st.integers(-(10**20), 10**20),
            st.integers(0, 2000),
            st.booleans(),
            DATETIMES,
            st.dates(),
        ]
        if self.wild:
            scalars.append(st.sampled_from([None, 1.5, 0.0, -2e10, [], {}]))
        return st.one_of(scalars)

    def date(self, name: str) -> st.SearchStrategy[Any]:
        dates = [DATETIMES, DATETIMES, st.dates()]
        return st.one_of(*dates, self.text(name)) if self.wild else st.one_of(dates)

    def mapping(self, values: st.SearchStrategy[Any], size: int = 3) -> st.SearchStrategy[Any]:
        return st.dictionaries(self.keys, values, min_size=0 if self.wild else 1, max_size=size)

    def nested(self, name: str) -> st.SearchStrategy[Any]:
        """The value of an unknown key: a little of everything."""
        return st.recursive(
            self.scalar(name),
            lambda inner: st.one_of(
                st.lists(inner, min_size=0 if self.wild else 1, max_size=3),
                self.mapping(inner),
            ),
            max_leaves=6,
        )

    def provider(self, name: str) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.fixed_dictionaries(
                {"name": self.text(f"{name}.name")},
                optional={"domain": self.text(f"{name}.domain"), "extra": self.scalar(name)},
            ),
            self.mapping(self.scalar(name)),
        )

    def image(self, name: str) -> st.SearchStrategy[Any]:
        return st.fixed_dictionaries(
            {"url": self.text(f"{name}.url")},
            optional={
                "width": st.integers(0, 4000),
                "height": st.integers(0, 4000),
                "isCached": st.booleans(),
                "title": self.text(f"{name}.title"),
                "caption": self.text(f"{name}.caption"),
                "taken": DATETIMES,
            },
        )

    def related(self) -> st.SearchStrategy[Any]:
        return st.fixed_dictionaries(
            {"title": self.text("related.title")},
            optional={
                "excerpt": self.text("related.excerpt"),
                "publishedDateTime": self.date("related.publishedDateTime"),
                "webUrl": self.text("related.webUrl"),
                "type": self.text("related.type"),
                "provider": self.provider("related.provider"),
                "quality": st.integers(0, 100),
                "images": st.lists(self.image("related.images"), max_size=2),
                "tags": st.lists(self.text("related.tags"), min_size=1, max_size=2),
                "when": DATETIMES,
            },
        )

    def value(self, key: str) -> st.SearchStrategy[Any]:
        low = 0 if self.wild else 1
        if key in self.style.dates:
            return self.date(key)
        if key in ("quality", "heat"):
            return st.one_of(st.integers(-5, 100), self.scalar(key))
        if key == "published":
            return st.one_of(st.booleans(), self.scalar(key))
        if key == "provider":
            return self.provider(key)
        if key == "topics":
            return st.lists(self.text(key), min_size=low, max_size=4)
        if key == "images":
            return st.lists(self.image(key), min_size=low, max_size=3)
        if key == "related":
            return st.lists(self.related(), min_size=low, max_size=2)
        return self.text(key)


@st.composite
def article_data(draw: st.DrawFn, shapes: Shapes) -> dict[Any, Any]:
    """Top-level data: known keys in the house order, unknown keys after them, ``secured``
    last (or, in wild data, now and then in any order)."""
    known = draw(st.lists(st.sampled_from(KNOWN), unique=True, max_size=10))
    data: dict[Any, Any] = {}
    for key in sorted(known, key=KNOWN.index):
        data[key] = draw(shapes.value(key))
    for key in draw(st.lists(shapes.keys, max_size=3)):
        if key not in shapes.style.key_order and key not in KNOWN and key not in data:
            data[key] = draw(shapes.nested(key if isinstance(key, str) else ""))
    if draw(st.booleans()):
        data[instyle.LAST] = draw(shapes.text(instyle.LAST))
    if shapes.wild and draw(st.integers(0, 4)) == 0:
        order = draw(st.permutations(list(data)))
    else:  # the house order (reformat's own rule: known keys first, secured last)
        order = house_key_order(list(data), shapes.style.key_order)
    return {key: data[key] for key in order}


ARTICLE_DATA = st.one_of(
    article_data(Shapes(wild=False)),
    article_data(Shapes(wild=False)),
    article_data(Shapes(wild=False)),
    article_data(Shapes(wild=True)),
)


SPELLINGS = ("iso", "zulu", "variant")


def spell_date(value: dt.datetime, spelling: str) -> str:
    """A date in ISO 8601: ``iso`` as Python writes it, ``zulu`` with ``Z`` for UTC,
    ``variant`` another spelling the house style keeps (without a zone: a space for the
    ``T`` and a fraction of zeros; with one: ``.000``, ``+02`` for whole hours, ``-00:00``)."""
    text = value.isoformat()
    if spelling == "zulu" and text.endswith("+00:00"):
        return text[: -len("+00:00")] + "Z"
    if spelling != "variant":
        return text
    zeros = ".000" if not value.microsecond else ""
    offset = value.utcoffset()
    if offset is None:
        return value.isoformat(sep=" ") + zeros
    local = value.replace(tzinfo=None).isoformat() + zeros
    minutes = int(offset.total_seconds()) // 60
    if not minutes:
        return local + "-00:00"
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    if minutes % 60 == 0:
        return f"{local}{sign}{minutes // 60:02d}"
    return f"{local}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def spell(line: Any, spelling: str) -> str:
    """An expected line as text (a date spelt as ``spelling`` says)."""
    if isinstance(line, str):
        return line
    return line.prefix + spell_date(line.value, spelling)


def files_of(lines: list[Any]) -> list[bytes]:
    """The article files the house style would write for these lines, with each spelling of
    the dates in them."""
    texts = {"".join(spell(line, spelling) + "\n" for line in lines) for spelling in SPELLINGS}
    return [b"---\n" + text.encode("utf-8") + b"---\n" + BODY for text in sorted(texts)]


def check_house_lines(data: dict[Any, Any], style: HouseStyle = STYLE) -> str:
    """The property for one data: whatever house_lines writes, reformat leaves as it is, and
    in_style says it is in style.  Returns what happened, for hypothesis's statistics."""
    lines = house_lines(data, style)
    if not lines:  # None; or [] for no data, which in_style leaves to the reformatter
        return "house_lines: None"
    said = "house_lines wrote lines"
    for raw in files_of(lines):
        article = article_of(raw)
        assert reformat(article, style) == raw, f"reformat changes what house_lines wrote:\n{raw!r}"
        try:
            fastyaml.load(article.yaml_text)
        except fastyaml.Unsure:
            # The fast reader's false alarms (an alias-like '[*' in quoted text), by design:
            # in_style cannot answer, which is safe.
            assert in_style(article, style) is False
            said = "house_lines wrote lines the fast reader is unsure of"
            continue
        assert in_style(article, style), f"house_lines wrote this, but in_style says no:\n{raw!r}"
    return said


SEED_LIKE = {
    "category": "news",
    "title": "Microsoft won’t sell police its facial-recognition technology",
    "publishedDateTime": dt.datetime(2020, 6, 11, 16, 42, tzinfo=dt.timezone.utc),
    "webUrl": "https://www.washingtonpost.com/technology/",
    "type": "article",
    "quality": 27,
    "heat": -1,
    "published": False,
    "provider": {"name": "Washington Post", "domain": "washingtonpost.com"},
    "topics": ["Computer Vision", "AI"],
    "images": [{"url": "https://example.com/a.jpg", "width": 1440, "isCached": True}],
    "related": [
        {
            "title": "House police reform bill",
            "publishedDateTime": dt.datetime(2020, 6, 9, 3, 34, tzinfo=dt.timezone.utc),
            "provider": {"name": "SC Media", "domain": "scmagazine.com"},
            "images": [{"url": "https://example.com/b.jpg", "width": 960}],
        }
    ],
    "mood": "calm",
    "secured": "IFVnbsBLJH17QrMA+kiyT1Ht",
}


@needs_fast_reader
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARTICLE_DATA)
@example(SEED_LIKE)
@example({"title": "  spaces ", "updatedDateTime": dt.datetime(2020, 1, 1, 1, 2, 3, 4)})
@example({"x": [dt.datetime(2020, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-5)))]})
@example({"x": [{"a": "b", "c": {"d": [dt.date(2020, 1, 2), 5, True]}}]})
@example({"k" * 122: "v"})
def test_what_house_lines_writes_is_in_style_and_reformat_keeps_it(data: dict[Any, Any]) -> None:
    event(check_house_lines(data))


def positions(text: str) -> dict[str, dict[str, Any]]:
    """``text`` as a plain field, a quoted field, a list item, a nested value and a key."""
    return {
        "plain field": {"category": text},
        "quoted field": {"title": text},
        "list item": {"topics": ["AI", text]},
        "nested quoted": {"images": [{"url": "u", "title": text}]},
        "nested plain": {"provider": {"name": text}},
        "unknown key": {"mood": text, "secured": "s"},
        "key": {"provider": {text: "x"}},
    }


@needs_fast_reader
@pytest.mark.parametrize("text", TRICKY, ids=repr)
def test_a_tricky_string_in_every_position(text: str) -> None:
    for data in positions(text).values():
        check_house_lines(data)


# The configurable parts (docs/configuration.md): key-order and quoted-fields.
OTHER_STYLES = {
    "key-order and two quoted fields": HouseStyle.of(
        Schema(), key_order=["title", "publishedDateTime", "webUrl"], quoted=["title", "images.url"]
    ),
    "secured first, nothing quoted": HouseStyle.of(
        Schema(), key_order=["secured", "category", "topics", "title"], quoted=[]
    ),
}


@needs_fast_reader
@pytest.mark.parametrize("name", list(OTHER_STYLES), ids=str)
def test_what_house_lines_writes_in_another_style_is_kept(name: str) -> None:
    style = OTHER_STYLES[name]
    shapes = st.one_of(article_data(Shapes(wild=False, style=style)), article_data(Shapes(True)))

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(shapes)
    def check(data: dict[Any, Any]) -> None:
        event(check_house_lines(data, style))

    check()


@needs_fast_reader
def test_the_seed_like_data_is_written_by_house_lines() -> None:
    """The generator's anchor: a typical article is not a None."""
    assert check_house_lines(SEED_LIKE) == "house_lines wrote lines"


# -- 3. plain_safe is a subset of plain_allowed --------------------------------------------

PLAIN_CANDIDATES = [
    *TRICKY,
    "a",
    "A",
    "Y",
    "n",
    "NO",
    "oN",
    "nan",
    "NaN",
    "inf",
    "Infinity",
    "e5",
    "E5",
    "a:b:c",
    "a::b",
    "a - b",
    "a -b",
    "a ? b",
    "a=b",
    "a~",
    "a<<b",
    "Über",
    "état",
    "Ω",
    "\uff46\uff55\uff4c\uff4c",
    "\uff41\uff1a\uff42",
    "x\u3000y",
    "x\u200by",
    "x\u2029y",
    "x\ufffdy",
    "x\ufffey",
    "x\uffefy",
    "\uffef",
    "\ud7ff",
    "x\U0001f600",
    "k" * 200,
]


@pytest.mark.parametrize("text", PLAIN_CANDIDATES, ids=repr)
def test_plain_safe_implies_plain_allowed_tricky(text: str) -> None:
    if plain_safe(text):
        assert plain_allowed(text), f"plain_safe({text!r}) but not plain_allowed"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(ALPHABET), WORDS, st.text(st.characters(), min_size=1)))
def test_plain_safe_implies_plain_allowed(text: str) -> None:
    if plain_safe(text):
        assert plain_allowed(text), f"plain_safe({text!r}) but not plain_allowed"


@settings(max_examples=200, deadline=None)
@given(WORDS)
def test_plain_safe_implies_plain_allowed_words(text: str) -> None:
    # Words that start with a letter are the common case: most are plain_safe.
    event("plain_safe" if plain_safe(text) else "not plain_safe")
    if plain_safe(text):
        assert plain_allowed(text)


# -- 4. out of the style: False, not a crash -----------------------------------------------

IN_STYLE = (
    b"---\n"
    b"category: news\n"
    b'title: "A headline"\n'
    b"publishedDateTime: 2020-06-11T16:42:00Z\n"
    b'webUrl: "https://www.example.com/news/a-headline/"\n'
    b"quality: 27\n"
    b"\n"
    b"provider:\n"
    b"  name: Example News\n"
    b"  domain: example.com\n"
    b"\n"
    b"topics:\n"
    b"  - AI\n"
    b"\n"
    b'secured: "IFVnbsBLJH17QrMA+kiyT1Ht"\n'
    b"---\n"
    b"Body.\n"
)


@needs_fast_reader
def test_the_base_of_the_negative_cases_is_in_style() -> None:
    assert in_style(article_of(IN_STYLE), STYLE)
    assert reformat(article_of(IN_STYLE), STYLE) == IN_STYLE


OUT_OF_STYLE = {
    "trailing space": IN_STYLE.replace(b"quality: 27\n", b"quality: 27 \n"),
    "trailing space on a nested line": IN_STYLE.replace(b"  - AI\n", b"  - AI \n"),
    "keys out of order": IN_STYLE.replace(
        b'category: news\ntitle: "A headline"\n', b'title: "A headline"\ncategory: news\n'
    ),
    "secured not last": IN_STYLE.replace(b'\nsecured: "IFVnbsBLJH17QrMA+kiyT1Ht"\n', b"").replace(
        b"category: news\n", b'category: news\nsecured: "IFVnbsBLJH17QrMA+kiyT1Ht"\n'
    ),
    "no blank line before a top-level list": IN_STYLE.replace(b"\ntopics:", b"topics:"),
    "no blank line before a top-level mapping": IN_STYLE.replace(b"\nprovider:", b"provider:"),
    "no blank line before secured": IN_STYLE.replace(b"\nsecured:", b"secured:"),
    "an extra blank line": IN_STYLE.replace(b"\ntopics:", b"\n\ntopics:"),
    "a blank line between scalars": IN_STYLE.replace(b"quality: 27\n", b"\nquality: 27\n"),
    "a blank line at the start": IN_STYLE.replace(b"---\ncategory", b"---\n\ncategory"),
    "list items not indented": IN_STYLE.replace(b"  - AI\n", b"- AI\n"),
    "mapping indented by 4": IN_STYLE.replace(b"  name:", b"    name:").replace(
        b"  domain:", b"    domain:"
    ),
    "a flow list": IN_STYLE.replace(b"topics:\n  - AI\n", b"topics: [AI]\n"),
    "a closing '...' line": IN_STYLE.replace(b"---\nBody.", b"...\nBody."),
    "a closing line with a trailing space": IN_STYLE.replace(b"---\nBody.", b"--- \nBody."),
    "an opening line with a trailing space": b"--- \n" + IN_STYLE[4:],
    "a date with a space instead of the T": IN_STYLE.replace(
        b"2020-06-11T16:42:00Z", b"2020-06-11 16:42:00Z"
    ),
    "a date with a space before the Z": IN_STYLE.replace(
        b"2020-06-11T16:42:00Z", b"2020-06-11T16:42:00 Z"
    ),
    "a date with a lowercase t": IN_STYLE.replace(b"2020-06-11T16:42:00Z", b"2020-06-11t16:42:00Z"),
    "a date as text in a date field": IN_STYLE.replace(
        b"2020-06-11T16:42:00Z", b"June 11, 2020 4:42 PM UTC"
    ),
    "a quoted string in a plain field": IN_STYLE.replace(b"category: news", b'category: "news"'),
    "a single-quoted string in a plain field": IN_STYLE.replace(
        b"category: news", b"category: 'news'"
    ),
    "a quoted nested string": IN_STYLE.replace(b"  - AI\n", b'  - "AI"\n'),
    "a plain string in a quoted field": IN_STYLE.replace(
        b'title: "A headline"', b"title: A headline"
    ),
    "a single-quoted string in a quoted field": IN_STYLE.replace(
        b'title: "A headline"', b"title: 'A headline'"
    ),
    "a YAML 1.1 word left plain": IN_STYLE.replace(b"category: news", b"category: yes"),
    "a bool spelt True": IN_STYLE.replace(b"quality: 27", b"quality: 27\npublished: True"),
    "two spaces after the colon": IN_STYLE.replace(b"category: news", b"category:  news"),
    "a folded plain string": IN_STYLE.replace(b"category: news", b"category: news\n  today"),
    "an LF line in a CRLF file": IN_STYLE.replace(b"\n", b"\r\n").replace(
        b"quality: 27\r\n", b"quality: 27\n"
    ),
    "no blank line before provider (the minimal article)": MINIMAL,
    "a CR line in an LF file": IN_STYLE.replace(b"quality: 27\n", b"quality: 27\r\n"),
}


# Files reformat leaves as they are (comments stay with their keys, and it does not change
# how a value or key is spelt beyond quotes), but not for the fast path to say: False.
NOT_FOR_THE_FAST_PATH = {
    "a comment line": IN_STYLE.replace(b"quality: 27\n", b"# a comment\nquality: 27\n"),
    "a comment after a value": IN_STYLE.replace(b"quality: 27\n", b"quality: 27  # a comment\n"),
    "a comment in a list": IN_STYLE.replace(b"  - AI\n", b"  # a comment\n  - AI\n"),
    "a comment at the end": IN_STYLE.replace(b'Ht"\n---', b'Ht"\n# the end\n---'),
    "a blank line inside a mapping": IN_STYLE.replace(b"  domain:", b"\n  domain:"),
    "an int spelt in hex": IN_STYLE.replace(b"quality: 27", b"quality: 0x1B"),
    "a key in quotes": IN_STYLE.replace(b"category: news", b'"category": news'),
    "an anchor": IN_STYLE.replace(b"category: news", b"category: &c news"),
    "a tag": IN_STYLE.replace(b"category: news", b"category: !!str news"),
}


@pytest.mark.parametrize("case", list(NOT_FOR_THE_FAST_PATH), ids=str)
def test_what_the_fast_path_does_not_write_is_left_to_the_reformatter(case: str) -> None:
    raw = NOT_FOR_THE_FAST_PATH[case]
    assert raw != IN_STYLE, "the replacement did not apply"
    assert in_style(article_of(raw), STYLE) is False


@pytest.mark.parametrize("case", list(OUT_OF_STYLE), ids=str)
def test_out_of_style_is_not_in_style(case: str) -> None:
    raw = OUT_OF_STYLE[case]
    assert raw != IN_STYLE, "the replacement did not apply"
    article = article_of(raw)
    assert in_style(article, STYLE) is False
    # And these files are really out of style: the reformatter changes them.
    assert reformat(article, STYLE) != raw


KEPT_BY_REFORMAT = {
    "CRLF": IN_STYLE.replace(b"\n", b"\r\n"),
    "BOM": b"\xef\xbb\xbf" + IN_STYLE,
    "BOM and CRLF": b"\xef\xbb\xbf" + IN_STYLE.replace(b"\n", b"\r\n"),
    "no line break after the closing line": IN_STYLE[: -len(b"---\nBody.\n")] + b"---",
    "a body with odd lines": IN_STYLE + b"---\n...\n  trailing  \n# not a comment",
}


@needs_fast_reader
@pytest.mark.parametrize("case", list(KEPT_BY_REFORMAT), ids=str)
def test_files_reformat_keeps_are_in_style(case: str) -> None:
    """reformat never touches the BOM, the line breaks or the body: a file in the house style
    but for those is left as it is, and in_style says so (and must, to be consistent)."""
    raw = KEPT_BY_REFORMAT[case]
    article = article_of(raw)
    assert reformat(article, STYLE) == raw
    assert in_style(article, STYLE) is True


# Dates as files spell them: (spelling, whether in_style can say it is in style).
DATE_SPELLINGS = [
    ("2020-06-11T16:42:00Z", True),
    ("2020-06-11T16:42:00+02:00", True),
    ("2020-06-11T16:42:00+02", True),
    ("2020-06-11T16:42:00-00:00", True),
    ("2020-06-11T16:42:00.000000Z", True),
    ("2020-06-11T16:42:00", True),  # without a zone, any YAML spelling stays
    ("2020-06-11 16:42:00", True),
    ("2020-06-11t16:42:00", True),
    ("2020-6-1 1:02:03", True),
    ("2020-06-11   16:42:00", True),
    ("2020-06-11T16:42:00.", True),
    ("2020-06-11", True),
    ("9999-12-31T23:59:59-23:59", True),
    ("0001-01-01T00:00:00+23:59", True),
    ("2020-06-11T16:42:00.1234567", False),  # the fast reader would round it its own way
    ("2020-06-11T16:42:00+2", False),
    ("2020-06-11T16:42:00.Z", False),
    ("2020-06-11T16:42:00 Z", False),
    ("2020-06-11 16:42:00Z", False),
    ("2020-06-11T6:42:00Z", False),
    ("2020-06-11T16:42:00+24:00", False),
    ("2020-6-11", False),
    ("2020-02-30", False),
    ("2020-02-30T00:00:00Z", False),
    ("0000-01-01", False),
]


@needs_fast_reader
@pytest.mark.parametrize(("spelling", "fast"), DATE_SPELLINGS, ids=[s for s, _ in DATE_SPELLINGS])
def test_a_date_spelling_in_every_position(spelling: str, fast: bool) -> None:
    for front_matter in (
        f"publishedDateTime: {spelling}\n",
        f"mood: {spelling}\n",
        f"topics:\n  - {spelling}\n",
        f'related:\n  - title: "t"\n    publishedDateTime: {spelling}\n',
    ):
        raw = b"---\n" + front_matter.encode() + b"---\n" + BODY
        assert check_sound(article_of(raw)) is fast, front_matter


@pytest.mark.parametrize(
    "raw",
    [
        b"---\n---\nBody\n",
        b"---\n\n---\n",
        b"---\n# only a comment\n---\n",
        b"---\n- a list\n---\n",
        b"---\njust text\n---\n",
        b"---\na: [\n---\n",
        b"---\na: *alias\n---\n",
        b"---\n%YAML 1.1\n---\n",
        b"---\na: 1\na: 2\n---\n",
        b"---\n? [a]\n: b\n---\n",
        b"---\n\xef\xbb\xbfa: b\n---\n",
        b"---\na:\tb\n---\n",
        b"---\r\na: b\n---\n",
        b"+++\ntitle = 'x'\n+++\n",
    ],
    ids=repr,
)
def test_odd_front_matter_is_not_a_crash(raw: bytes) -> None:
    try:
        article = article_of(raw)
    except ArticleError:
        return
    check_sound(article)


# -- long keys (a bug found by these tests) -------------------------------------------------

# ruamel writes a key of 123 characters or more as an explicit key ('? key' and ': value' on
# two lines: its simple-key limit is 128, counting the 5 characters of the '!!str' tag).
# house_lines once wrote any plain-safe key as 'key: value', so such a file, in style
# otherwise, was reported in style by `reformat --check` while `reformat` rewrote it.  It now
# leaves keys longer than 100 characters to the reformatter.


@needs_fast_reader
@pytest.mark.parametrize(
    "front_matter",
    [
        "k" * 123 + ": v\n",
        "provider:\n  " + "k" * 123 + ": 1\n",
        "category: news\n\nimages:\n  - " + "a b " * 40 + "c: x\n",
    ],
    ids=["top-level", "nested", "in a list item"],
)
def test_long_keys_are_not_in_style(front_matter: str) -> None:
    raw = b"---\n" + front_matter.encode() + b"---\n" + BODY
    check_sound(article_of(raw))


@needs_fast_reader
def test_long_keys_in_generated_data() -> None:
    for length in range(118, 131):
        check_house_lines({"k" * length: "v"})


def test_a_key_just_short_enough_is_in_style() -> None:
    raw = b"---\n" + b"k" * 100 + b": v\n---\n" + BODY
    assert check_sound(article_of(raw)) is fastyaml.available()
