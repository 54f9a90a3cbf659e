"""Find and validate newsmeta's configuration.

Configuration lives in ``newsmeta.toml`` (top level) or in the ``[tool.newsmeta]`` table of a
``pyproject.toml``.  newsmeta walks up from the working folder and takes the first folder that
has either (``newsmeta.toml`` wins when a folder has both); ``--config FILE`` names the file
directly.  Every key is checked: an unknown key or a bad value is an error that names the file
and the key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsmeta.errors import ConfigError
from newsmeta.files import DEFAULT_EXTENSIONS, Discovery
from newsmeta.report import Severity
from newsmeta.rules import PARSE_RULE_IDS, RULE_BY_ID
from newsmeta.schema import Schema

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_NAME = "newsmeta.toml"
PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class Config:
    """Settings from the configuration file, with defaults for what it does not say."""

    source: Path | None = None
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    required_fields: tuple[str, ...] = ()
    extra_keys: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    future_tolerance: dt.timedelta = dt.timedelta(days=1)
    # rule id -> its severity, or None when the rule is turned off
    rules: tuple[tuple[str, Severity | None], ...] = ()
    key_order: tuple[str, ...] = ()  # reformat's top-level order; empty: the schema's
    quoted_fields: tuple[str, ...] | None = None  # reformat's double-quoted fields; None: seed's

    def schema(self) -> Schema:
        """The article schema with this configuration's required fields, keys and topics."""
        return Schema().configured(self.required_fields, self.extra_keys, self.topics)

    def discovery(self, extra_exclude: tuple[str, ...] = ()) -> Discovery:
        return Discovery(
            extensions=self.extensions,
            exclude=(*self.exclude, *extra_exclude),
            respect_gitignore=self.respect_gitignore,
        )


def _string_list(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(item, str) and item for item in value):
        return tuple(value)
    return None


def _extensions(value: Any) -> tuple[str, ...] | None:
    items = _string_list(value)
    if not items or not all(item.startswith(".") and len(item) > 1 for item in items):
        return None
    return tuple(item.lower() for item in items)


def _boolean(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _dotted_keys(value: Any) -> tuple[str, ...] | None:
    items = _string_list(value)
    if items is None or not all(all(part for part in item.split(".")) for item in items):
        return None
    return items


def _dotted_keys_or_none(value: Any) -> tuple[str, ...] | None:
    if value == []:
        return ()
    return _dotted_keys(value)


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")


def _duration(value: Any) -> dt.timedelta | None:
    if value == "0" or (type(value) is int and value == 0):
        return dt.timedelta(0)
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    return dt.timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


_LEVELS: dict[str, Severity | None] = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "off": None,
}


def rule_id_error(rule: str) -> str | None:
    """Why ``rule`` cannot be configured or selected, or None when it can."""
    if rule in RULE_BY_ID:
        return None
    if rule in PARSE_RULE_IDS:
        return f"{rule!r} is checked while reading the file and is always an error"
    hint = difflib.get_close_matches(rule, list(RULE_BY_ID), n=1)
    suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
    return f"unknown rule {rule!r}{suggestion}; 'newsmeta rules' lists them"


def _rules(value: Any) -> tuple[tuple[str, Severity | None], ...] | None:
    if not isinstance(value, dict):
        return None
    levels: list[tuple[str, Severity | None]] = []
    for rule, level in value.items():
        problem = rule_id_error(rule)
        if problem is not None:
            raise ValueError(problem)
        if level not in _LEVELS:
            raise ValueError(f'rule {rule!r}: expected "error", "warning" or "off"')
        levels.append((rule, _LEVELS[level]))
    return tuple(levels)


# key -> (field name, converter returning None for a bad value, what a good value looks like)
_KEYS: dict[str, tuple[str, Callable[[Any], Any], str]] = {
    "extensions": (
        "extensions",
        _extensions,
        'a non-empty list of extensions such as [".md", ".txt"]',
    ),
    "exclude": ("exclude", _string_list, 'a list of .gitignore-style globs such as ["drafts/"]'),
    "respect-gitignore": ("respect_gitignore", _boolean, "true or false"),
    "required-fields": (
        "required_fields",
        _dotted_keys,
        'a list of field names such as ["category", "provider.name"]',
    ),
    "extra-keys": ("extra_keys", _dotted_keys, 'a list of field names such as ["author"]'),
    "topics": ("topics", _string_list, 'a list of topics such as ["AI", "Privacy"]'),
    "future-tolerance": (
        "future_tolerance",
        _duration,
        'a duration such as "12h", "1d" or "2w" (s, m, h, d, w), or 0',
    ),
    "rules": ("rules", _rules, 'a table such as {url-entity = "error", unknown-key = "off"}'),
    "key-order": (
        "key_order",
        _string_list,
        'a list of top-level keys such as ["title", "publishedDateTime", "webUrl"]',
    ),
    "quoted-fields": (
        "quoted_fields",
        _dotted_keys_or_none,
        'a list of field names such as ["title", "images.url"] (or [] for none)',
    ),
}


def parse_config(table: Any, source: Path, where: str) -> Config:
    """Check a configuration table and build a :class:`Config` from it."""
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: {where} must be a table")
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _KEYS:
            hint = difflib.get_close_matches(key, list(_KEYS), n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(
                f"{source}: unknown key {key!r} in {where}{suggestion}; known keys: {known}"
            )
        name, convert, expected = _KEYS[key]
        try:
            converted = convert(value)
        except ValueError as error:
            raise ConfigError(f"{source}: bad value for {key!r} in {where}: {error}") from error
        if converted is None:
            raise ConfigError(f"{source}: bad value for {key!r} in {where}: expected {expected}")
        values[name] = converted
    config = Config(source=source, **values)
    try:
        config.schema()
    except ValueError as error:
        raise ConfigError(f"{source}: bad field name in {where}: {error}") from error
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error


def load_file(path: Path) -> Config:
    """Read one configuration file: ``pyproject.toml`` or a ``newsmeta.toml``-style file."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    data = _read_toml(path)
    if path.name == PYPROJECT:
        tool = data.get("tool", {})
        table = tool.get("newsmeta") if isinstance(tool, dict) else None
        if table is None:
            raise ConfigError(f"{path}: has no [tool.newsmeta] table")
        return parse_config(table, path, "[tool.newsmeta]")
    return parse_config(data, path, "the top level")


def _mentions_newsmeta(pyproject: Path) -> bool:
    # Parse only a pyproject.toml that may hold our table: another project's file that is not
    # valid TOML is none of our business.
    try:
        if b"newsmeta" not in pyproject.read_bytes():
            return False
    except OSError:
        return False
    tool = _read_toml(pyproject).get("tool", {})
    return isinstance(tool, dict) and "newsmeta" in tool


def find_config_file(start: Path) -> Path | None:
    """The nearest ``newsmeta.toml`` or ``pyproject.toml`` with ``[tool.newsmeta]``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _mentions_newsmeta(pyproject):
            return pyproject
    return None


def load_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    """The configuration in force: ``explicit`` if given, else the nearest one found."""
    if explicit is not None:
        return load_file(explicit)
    found = find_config_file(start or Path.cwd())
    return load_file(found) if found is not None else Config()
