"""``newsmeta show``: an article as a panel for people, readable at a glance.

The path (dim), then a panel: the headline (bold), who published it and when, the scores, the
excerpt, the topics and the article's addresses, its images, the related articles, and the
names of the keys the panel does not show.  Text from the file is data, never markup: every
piece is a :class:`rich.text.Text` of :func:`newsmeta.output.printable` text.  A value of an
unexpected type is shown as text; a missing one is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # types only: rich loads when the panel is drawn
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SEPARATOR = " · "

# The addresses of the article, labelled, in the house order.
_URLS = (("webUrl", "Web"), ("ampWebUrl", "AMP"), ("cdnAmpWebUrl", "CDN AMP"))
# The keys each part of the panel shows; any other key is named under "other keys".
_SHOWN = frozenset(
    {
        "title",
        "excerpt",
        "publishedDateTime",
        "updatedDateTime",
        "webUrl",
        "ampWebUrl",
        "cdnAmpWebUrl",
        "category",
        "type",
        "quality",
        "heat",
        "published",
        "provider",
        "topics",
        "images",
        "related",
        "secured",
    }
)
_PROVIDER_SHOWN = frozenset({"name", "domain"})
_IMAGE_SHOWN = frozenset({"url", "width", "height", "isCached", "title", "attribution"})
# A related article is summed up (title, provider, address): its other declared keys are not
# news to anyone, so only undeclared ones are named.
_RELATED_KNOWN = frozenset(
    {
        "title",
        "excerpt",
        "publishedDateTime",
        "updatedDateTime",
        "webUrl",
        "ampWebUrl",
        "cdnAmpWebUrl",
        "type",
        "provider",
        "quality",
        "images",
    }
)


def write_panel(path: str, data: Mapping[str, Any], out: TextIO) -> None:
    """Write the article ``data`` read from ``path`` as a panel on ``out``."""
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    from newsmeta.output import printable
    from newsmeta.ui import console as make_console

    console = make_console(out)
    others: list[str] = []
    sections = [
        _heading(data, others),
        _paragraph(data.get("excerpt")),
        _facts(data),
        _images(data.get("images"), others),
        _related(data.get("related"), others),
    ]
    others[:0] = [_key(key) for key in data if key not in _SHOWN]
    if others:
        line = Text("other keys: ", style="dim")
        line.append(", ".join(dict.fromkeys(others)))
        sections.append([line])
    parts: list[RenderableType] = []
    for section in sections:
        if section:
            parts += [Text(""), *section] if parts else section
    console.print(Text(printable(path), style="dim", overflow="fold"))
    console.print(Panel(Group(*parts), box=box.ROUNDED, padding=(0, 1), expand=True))


# -- values as text ------------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _plain(value: Any) -> str:
    """A value as one line of text: dates readable, everything else as ``list`` shows it."""
    from newsmeta.listing import display
    from newsmeta.output import printable

    if isinstance(value, (dt.date, dt.datetime)):
        return readable_date(value)
    return printable(display(value))


def _key(key: Any) -> str:
    return _plain(key) if isinstance(key, str) else _plain(repr(key))


def readable_date(value: dt.date) -> str:
    """``Thu 11 Jun 2020, 16:42 +00:00``: the weekday, the date, the time and the article's
    own offset (not converted); a date alone without the time, a time without zone without
    an offset."""
    day = f"{_DAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]} {value.year}"
    if not isinstance(value, dt.datetime):
        return day
    clock = f"{value.hour:02d}:{value.minute:02d}"
    if value.second or value.microsecond:
        clock += f":{value.second:02d}"
        if value.microsecond:
            clock += f".{value.microsecond:06d}".rstrip("0")
    offset = value.utcoffset()
    return f"{day}, {clock}" + ("" if offset is None else f" {_offset(offset)}")


def _offset(offset: dt.timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


def _extra(value: Any, shown: frozenset[str], prefix: str, others: list[str]) -> None:
    """Name the keys of the mapping ``value`` that the panel does not show."""
    if isinstance(value, Mapping):
        others += [f"{prefix}.{_key(key)}" for key in value if key not in shown]


# -- the parts of the panel ----------------------------------------------------------------------


def _heading(data: Mapping[Any, Any], others: list[str]) -> list[RenderableType]:
    """The headline, who published it and when, and the scores."""
    from rich.text import Text

    lines: list[RenderableType] = []
    if not _missing(data.get("title")):
        lines.append(Text(_plain(data["title"]), style="bold"))
    byline = _provider(data.get("provider"), others)
    for key, label in (("publishedDateTime", ""), ("updatedDateTime", "updated ")):
        if not _missing(data.get(key)):
            if byline:
                byline.append(_SEPARATOR, style="dim")
            byline.append(label, style="dim")
            byline.append(_plain(data[key]))
    if byline:
        lines.append(byline)
    scores = Text()
    for key in ("category", "type", "quality", "heat", "published"):
        value = data.get(key)
        if _missing(value):
            continue
        if scores:
            scores.append(_SEPARATOR, style="dim")
        if key == "published" and isinstance(value, bool):
            scores.append("published" if value else "not published")
        else:
            scores.append(f"{key} ", style="dim")
            scores.append(_plain(value))
    if scores:
        lines.append(scores)
    return lines


def _provider(
    provider: Any, others: list[str], prefix: str = "provider", *, brief: bool = False
) -> Text:
    """``Name (domain)``, or with ``brief`` the name alone (the domain without one); a provider
    that is not a mapping, as text."""
    from rich.text import Text

    style = "" if brief else "bold"
    text = Text()
    if _missing(provider):
        return text
    if not isinstance(provider, Mapping):
        text.append(_plain(provider), style=style)
        return text
    _extra(provider, _PROVIDER_SHOWN, prefix, others)
    name, domain = provider.get("name"), provider.get("domain")
    if not _missing(name):
        text.append(_plain(name), style=style)
    if not _missing(domain) and not (brief and text):
        text.append(f" ({_plain(domain)})" if text else _plain(domain), style="dim")
    return text


def _paragraph(value: Any) -> list[RenderableType]:
    from rich.text import Text

    return [] if _missing(value) else [Text(_plain(value))]


def _facts(data: Mapping[Any, Any]) -> list[RenderableType]:
    """Topics, the addresses and the signature, labelled."""
    from rich.text import Text

    rows: list[tuple[str, Text]] = []
    topics = data.get("topics")
    if not _missing(topics):
        items = topics if isinstance(topics, list) else [topics]
        shown = [_plain(item) for item in items if not _missing(item)]
        if shown:
            rows.append(("Topics", Text(", ".join(shown))))
    for key, label in _URLS:
        if not _missing(data.get(key)):
            rows.append((label, Text(_plain(data[key]), style="cyan", overflow="fold")))
    if not _missing(data.get("secured")):  # opaque: its start is enough to tell it is there
        secured = Text(_plain(data["secured"]), style="dim", no_wrap=True, overflow="ellipsis")
        rows.append(("Secured", secured))
    if not rows:
        return []
    table = _grid(label_style="dim")
    for label, value in rows:
        table.add_row(Text(label), value)
    return [table]


def _images(images: Any, others: list[str]) -> list[RenderableType]:
    """Each image: its size, title and attribution, then its address."""
    from rich.text import Text

    def describe(image: Mapping[str, Any]) -> Text:
        _extra(image, _IMAGE_SHOWN, "images[]", others)
        about: list[Text] = []
        width, height = image.get("width"), image.get("height")
        if not (_missing(width) and _missing(height)):
            size = "?" if _missing(width) else _plain(width)
            size += "x" + ("?" if _missing(height) else _plain(height))
            about.append(Text(size))
        if not _missing(image.get("title")):
            about.append(Text(_plain(image["title"])))
        if not _missing(image.get("attribution")):
            about.append(Text.assemble(("credit ", "dim"), _plain(image["attribution"])))
        if image.get("isCached") is True:
            about.append(Text("cached", style="dim"))
        elif not _missing(image.get("isCached")) and image.get("isCached") is not False:
            about.append(Text.assemble(("isCached ", "dim"), _plain(image["isCached"])))
        return _with_address(Text(overflow="fold").join(_separated(about)), image.get("url"))

    return _list("Images", _entries(images, describe))


def _related(related: Any, others: list[str]) -> list[RenderableType]:
    """Each related article: ``title — provider``, then its address."""
    from rich.text import Text

    def describe(item: Mapping[str, Any]) -> Text:
        _extra(item, _RELATED_KNOWN, "related[]", others)
        entry = Text(overflow="fold")
        if not _missing(item.get("title")):
            entry.append(_plain(item["title"]))
        provider = _provider(item.get("provider"), others, "related[].provider", brief=True)
        if provider:
            entry.append(" — " if entry else "", style="dim")
            entry.append_text(provider)
        return _with_address(entry, item.get("webUrl"))

    return _list("Related", _entries(related, describe))


def _entries(value: Any, describe: Callable[[Mapping[str, Any]], Text]) -> list[Text]:
    """One entry a list item (a lone value counts as a list of one): ``describe`` of a
    mapping, the text of anything else; missing items and empty entries are left out."""
    from rich.text import Text

    if _missing(value):
        return []
    entries: list[Text] = []
    for item in value if isinstance(value, list) else [value]:
        if _missing(item):
            continue
        plain = not isinstance(item, Mapping)
        entry = Text(_plain(item), overflow="fold") if plain else describe(item)
        if entry:
            entries.append(entry)
    return entries


def _with_address(entry: Text, url: Any) -> Text:
    """``entry`` with the address ``url`` on a line of its own under it, if there is one."""
    if not _missing(url):
        if entry:
            entry.append("\n")
        entry.append(_plain(url), style="cyan")
    return entry


# -- layout --------------------------------------------------------------------------------------


def _separated(texts: Iterable[Text]) -> list[Text]:
    """``texts`` with a dim separator between each two, for :meth:`Text.join`."""
    from rich.text import Text

    result: list[Text] = []
    for text in texts:
        if result:
            result.append(Text(_SEPARATOR, style="dim"))
        result.append(text)
    return result


def _grid(label_style: str) -> Table:
    """Two columns: a short label, then the value, wrapped (long words folded) to the room
    left."""
    from rich.table import Table

    table = Table.grid(padding=(0, 2))
    table.add_column(style=label_style, no_wrap=True)
    table.add_column(overflow="fold")
    return table


def _list(heading: str, entries: list[Text]) -> list[RenderableType]:
    """A bold heading and its entries, each behind a bullet with a hanging indent."""
    from rich.table import Table
    from rich.text import Text

    if not entries:
        return []
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for entry in entries:
        table.add_row(Text("•"), entry)
    return [Text(heading, style="bold"), table]
