"""The article fields, their types, order and which are required: declared once, here.

Validation walks this declaration, ``newsmeta schema`` prints it as JSON Schema, and reformat
takes its key order from it.  Configuration can add required fields, extra known keys and a
topics vocabulary (:meth:`Schema.configured`).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

FieldType = Literal["string", "url", "datetime", "integer", "boolean", "mapping", "list", "any"]

# How a type is named in messages ("quality must be an integer").
TYPE_NAMES: dict[str, str] = {
    "string": "a string",
    "url": "a URL string",
    "datetime": "a date and time",
    "integer": "an integer",
    "boolean": "true or false",
    "mapping": "a mapping of keys",
    "list": "a list",
    "any": "any value",
}


@dataclass(frozen=True)
class Field:
    """One key of the front matter (or of a nested mapping, or of a list's items)."""

    name: str
    type: FieldType
    description: str
    required: bool = False
    items: FieldType | None = None  # a list's item type
    fields: tuple[Field, ...] = ()  # the keys of a mapping, or of a list's mapping items
    minimum: int | None = None
    maximum: int | None = None
    text: bool = False  # human-readable text: checked for whitespace, entities, mojibake

    def child(self, name: str) -> Field | None:
        return self._children.get(name)

    @functools.cached_property
    def _children(self) -> dict[str, Field]:
        return {field.name: field for field in reversed(self.fields)}

    @property
    def has_keys(self) -> bool:
        """Whether this field's value (or its items) is a mapping with declared keys."""
        return self.type == "mapping" or self.items == "mapping"


def _provider(required: bool) -> Field:
    return Field(
        "provider",
        "mapping",
        "The publisher of the article.",
        required=required,
        fields=(
            Field("name", "string", "The publisher's name, e.g. Washington Post.", required=True),
            Field("domain", "string", "The publisher's domain, e.g. washingtonpost.com.", True),
        ),
    )


def _images(with_title: bool) -> Field:
    fields = [
        Field("url", "url", "Address of the image.", required=True),
        Field("width", "integer", "Width in pixels.", minimum=1),
        Field("height", "integer", "Height in pixels.", minimum=1),
        Field("isCached", "boolean", "Whether the image is held in the image cache."),
    ]
    if with_title:
        fields.append(Field("title", "string", "Caption or title of the image.", text=True))
    return Field("images", "list", "Images of the article.", items="mapping", fields=tuple(fields))


def _common(required: bool) -> list[Field]:
    """The fields an article and a related article share, in the house order."""
    return [
        Field("title", "string", "Headline.", required=True, text=True),
        Field("excerpt", "string", "One- or two-sentence summary.", text=True),
        Field(
            "publishedDateTime",
            "datetime",
            "When the article was published, with a time zone (ISO 8601).",
            required=required,
        ),
        Field(
            "updatedDateTime",
            "datetime",
            "When the article was last updated, with a time zone; not before publication.",
        ),
        Field("webUrl", "url", "Canonical address of the article.", required=True),
        Field("ampWebUrl", "url", "Address of the AMP version."),
        Field(
            "cdnAmpWebUrl",
            "url",
            "Address of the AMP version in the Google AMP cache (derived from ampWebUrl).",
        ),
        Field("type", "string", "Kind of item: article, video, slideshow, ..."),
    ]


_RANGE = {
    "quality": Field(
        "quality", "integer", "Editorial quality score, 0 to 100.", minimum=0, maximum=100
    ),
    "heat": Field("heat", "integer", "Popularity score; -1 when unknown.", minimum=-1),
}

_RELATED = Field(
    "related",
    "list",
    "Related articles, each with at least title, webUrl and provider.",
    items="mapping",
    fields=(*_common(required=False), _provider(required=True), _RANGE["quality"], _images(False)),
)

# The article's fields, in the order of the reference article (the house order).
ARTICLE_FIELDS: tuple[Field, ...] = (
    Field("category", "string", "Section of the site: news, technology, business, ..."),
    *_common(required=True),
    _RANGE["quality"],
    _RANGE["heat"],
    Field("published", "boolean", "Whether the article is live."),
    _provider(required=True),
    Field("topics", "list", "Topics of the article, no duplicates.", items="string"),
    _images(True),
    _RELATED,
    Field("secured", "string", "Opaque signature of the metadata."),
)


@dataclass(frozen=True)
class Schema:
    """The declared fields in force, with what configuration added."""

    root: Field = Field("", "mapping", "An article's front matter.", fields=ARTICLE_FIELDS)
    topics: tuple[str, ...] = ()  # the vocabulary; empty means any topic

    def configured(
        self,
        required: Iterable[str] = (),
        extra_keys: Iterable[str] = (),
        topics: Iterable[str] = (),
    ) -> Schema:
        """This schema with more known keys and required fields (dotted paths)."""
        root = self.root
        for dotted in extra_keys:
            root = _with_path(root, dotted.split("."), required=False)
        for dotted in required:
            root = _with_path(root, dotted.split("."), required=True)
        return dataclasses.replace(self, root=root, topics=tuple(topics) or self.topics)

    def field_at(self, path: tuple[str, ...]) -> Field | None:
        """The declared field at ``path`` (key names; list levels skipped), or None."""
        field: Field | None = self.root
        for name in path:
            field = field.child(name) if field is not None else None
        return field

    def key_order(self, path: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The house order of the keys of the mapping at ``path`` (list levels skipped)."""
        field = self.field_at(path)
        return tuple(child.name for child in field.fields) if field is not None else ()


def _with_path(field: Field, names: list[str], *, required: bool) -> Field:
    """``field`` with the key ``names`` (one name per nesting level) declared."""
    name, rest = names[0], names[1:]
    existing = field.child(name)
    if existing is not None and rest and not existing.has_keys and existing.type != "any":
        where = ".".join(names)
        raise ValueError(
            f"{existing.name!r} is {TYPE_NAMES[existing.type]}, so {where!r} cannot be in it"
        )
    if existing is None:
        # A key only the configuration names; "author.name" required makes "author" required.
        kind: FieldType = "mapping" if rest else "any"
        existing = Field(name, kind, "Declared in the configuration.", required=required)
    if rest:
        updated = _with_path(existing, rest, required=required)
    else:
        updated = dataclasses.replace(existing, required=existing.required or required)
    if existing in field.fields:
        fields = tuple(updated if child is existing else child for child in field.fields)
    else:
        fields = (*field.fields, updated)
    return dataclasses.replace(field, fields=fields)


def json_schema(schema: Schema) -> dict[str, Any]:
    """The schema as JSON Schema (draft-07), for editors' completion and hover help."""
    document = _json_field(schema.root, schema)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://newsmeta.dev/schema/article.json",
        "title": "newsmeta article front matter",
        **document,
    }


_JSON_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "url": {"type": "string", "format": "uri", "pattern": "^https?://[^\\s]+$"},
    # No "format": validate reads any full date with a zone, not only RFC 3339.
    "datetime": {"type": "string"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "any": {},
}


def _json_mapping(fields: tuple[Field, ...], schema: Schema) -> dict[str, Any]:
    result: dict[str, Any] = {
        "type": "object",
        "properties": {field.name: _json_field(field, schema) for field in fields},
    }
    required = [field.name for field in fields if field.required]
    if required:
        result["required"] = required
    return result


def _json_field(field: Field, schema: Schema) -> dict[str, Any]:
    if field.type == "mapping":
        result = _json_mapping(field.fields, schema)
    elif field.type == "list":
        if field.items == "mapping":
            items = _json_mapping(field.fields, schema)
        else:
            items = dict(_JSON_TYPES.get(field.items or "any", {}))
            if field.name == "topics":
                items["minLength"] = 1
                if schema.topics:
                    items["enum"] = list(schema.topics)
        result = {"type": "array", "items": items}
        if field.name == "topics":
            result["uniqueItems"] = True
    else:
        result = dict(_JSON_TYPES[field.type])
    if field.minimum is not None:
        result["minimum"] = field.minimum
    if field.maximum is not None:
        result["maximum"] = field.maximum
    if field.description:
        result = {"description": field.description, **result}
    return result
