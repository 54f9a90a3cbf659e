"""The one declaration of the article fields, and `newsmeta schema` (JSON Schema)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from newsmeta.article import load_document
from newsmeta.schema import ARTICLE_FIELDS, Schema

from .conftest import REFERENCE, SEEDS, run_cli

SEED_ORDER = [
    "category",
    "title",
    "excerpt",
    "publishedDateTime",
    "webUrl",
    "ampWebUrl",
    "cdnAmpWebUrl",
    "type",
    "quality",
    "heat",
    "published",
    "provider",
    "topics",
    "images",
    "related",
    "secured",
]


def as_json(value: Any) -> Any:
    """Front matter as an editor's JSON Schema validator sees it: timestamps are text."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value


def schema_json(*args: str, cwd: Path | None = None) -> dict[str, Any]:
    result = run_cli("schema", *args, cwd=cwd)
    assert result.code == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def test_the_declared_order_is_the_reference_article_order() -> None:
    declared = [field.name for field in ARTICLE_FIELDS if field.name != "updatedDateTime"]
    assert declared == SEED_ORDER
    keys = list(load_document(REFERENCE).data)
    assert keys == SEED_ORDER
    assert Schema().key_order(("related",))[:5] == (
        "title",
        "excerpt",
        "publishedDateTime",
        "updatedDateTime",
        "webUrl",
    )


def test_schema_command_prints_draft7_json_schema() -> None:
    document = schema_json()
    jsonschema.Draft7Validator.check_schema(document)
    assert list(document["properties"])[:3] == ["category", "title", "excerpt"]
    assert document["required"] == ["title", "publishedDateTime", "webUrl", "provider"]
    assert document["properties"]["provider"]["required"] == ["name", "domain"]
    related = document["properties"]["related"]["items"]
    assert related["required"] == ["title", "webUrl", "provider"]
    assert document["properties"]["quality"] == {
        "description": "Editorial quality score, 0 to 100.",
        "type": "integer",
        "minimum": 0,
        "maximum": 100,
    }


@pytest.mark.parametrize("seed", sorted(SEEDS.iterdir()), ids=lambda path: path.name)
def test_every_seed_passes_the_exported_schema(seed: Path) -> None:
    validator = jsonschema.Draft7Validator(schema_json())
    errors = [
        error.message for error in validator.iter_errors(as_json(load_document(seed).plain()))
    ]
    assert errors == []


def test_the_exported_schema_catches_what_validate_catches() -> None:
    validator = jsonschema.Draft7Validator(schema_json())
    data = as_json(load_document(REFERENCE).plain())
    data.pop("title")
    data["quality"] = "high"
    data["topics"] = ["AI", "AI"]
    messages = sorted(error.message for error in validator.iter_errors(data))
    assert messages == [
        "'high' is not of type 'integer'",
        "'title' is a required property",
        "['AI', 'AI'] has non-unique elements",
    ]


def test_configuration_reaches_the_schema(tmp_path: Path) -> None:
    (tmp_path / "newsmeta.toml").write_text(
        'required-fields = ["category", "provider.url"]\n'
        'extra-keys = ["author"]\n'
        'topics = ["AI", "Privacy"]\n',
        encoding="utf-8",
    )
    document = schema_json(cwd=tmp_path)
    assert "category" in document["required"]
    assert document["properties"]["provider"]["required"] == ["name", "domain", "url"]
    assert "author" in document["properties"]
    assert document["properties"]["topics"]["items"]["enum"] == ["AI", "Privacy"]


def test_schema_with_a_bad_configuration_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "newsmeta.toml").write_text("topics = 3\n", encoding="utf-8")
    result = run_cli("schema", cwd=tmp_path)
    assert result.code == 2
    assert "'topics'" in result.stderr
