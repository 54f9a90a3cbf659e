"""Configuration: found by walking up, overridden by --config, every key checked."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from newsmeta.config import Config, find_config_file, load_config
from newsmeta.errors import ConfigError
from newsmeta.files import DEFAULT_EXTENSIONS
from newsmeta.report import Severity

from .conftest import Result, assert_no_traceback, minimal_article, run_cli

MDX_TABLE = '[tool.newsmeta]\nextensions = [".mdx"]\n'
MDX = 'extensions = [".mdx"]\n'
TXT = 'extensions = [".txt"]\n'
# An article validate always complains about: its path shows up in the JSON report.
BROKEN = "no front matter here\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _articles(folder: Path) -> None:
    """One broken article per extension, so the report shows which extensions were read."""
    for name in ("a.md", "b.mdx", "c.txt"):
        _write(folder / name, BROKEN)


def _reported(result: Result) -> list[str]:
    return sorted(Path(problem["path"]).as_posix() for problem in json.loads(result.stdout))


def _validate(cwd: Path, *options: str) -> Result:
    return run_cli("validate", "--format", "json", *options, ".", cwd=cwd)


# -- finding the file (unit) -------------------------------------------------------------------


def test_pyproject_table_is_found_from_a_subfolder(tmp_path: Path) -> None:
    pyproject = _write(tmp_path / "pyproject.toml", MDX_TABLE)
    (tmp_path / "a" / "b").mkdir(parents=True)

    assert find_config_file(tmp_path / "a" / "b") == pyproject


def test_pyproject_table_values_are_loaded(tmp_path: Path) -> None:
    pyproject = _write(tmp_path / "pyproject.toml", MDX_TABLE)
    (tmp_path / "sub").mkdir()

    assert load_config(start=tmp_path / "sub") == Config(source=pyproject, extensions=(".mdx",))


def test_newsmeta_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", MDX_TABLE)
    newsmeta_toml = _write(tmp_path / "newsmeta.toml", TXT)

    assert find_config_file(tmp_path) == newsmeta_toml
    assert load_config(start=tmp_path).extensions == (".txt",)


def test_nearer_pyproject_wins_over_farther_newsmeta_toml(tmp_path: Path) -> None:
    _write(tmp_path / "newsmeta.toml", TXT)
    nearer = _write(tmp_path / "sub" / "pyproject.toml", MDX_TABLE)

    assert find_config_file(tmp_path / "sub") == nearer


def test_nearer_newsmeta_toml_wins_over_farther_one(tmp_path: Path) -> None:
    _write(tmp_path / "newsmeta.toml", TXT)
    nearer = _write(tmp_path / "sub" / "newsmeta.toml", MDX)
    (tmp_path / "sub" / "deeper").mkdir()

    assert find_config_file(tmp_path / "sub" / "deeper") == nearer


def test_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    farther = _write(tmp_path / "newsmeta.toml", MDX)
    # It mentions newsmeta, so it is parsed, but holds no [tool.newsmeta] table.
    _write(
        tmp_path / "sub" / "pyproject.toml",
        '[project]\nname = "site"\ndependencies = ["newsmeta"]\n[tool.black]\nline-length = 99\n',
    )

    assert find_config_file(tmp_path / "sub") == farther


def test_invalid_pyproject_not_mentioning_newsmeta_is_ignored(tmp_path: Path) -> None:
    farther = _write(tmp_path / "pyproject.toml", MDX_TABLE)
    _write(tmp_path / "sub" / "pyproject.toml", "[project\nname = = broken\n")

    assert find_config_file(tmp_path / "sub") == farther


def test_no_configuration_gives_defaults(tmp_path: Path) -> None:
    assert find_config_file(tmp_path) is None
    assert load_config(start=tmp_path) == Config()
    assert load_config(start=tmp_path).extensions == DEFAULT_EXTENSIONS


def test_explicit_file_overrides_the_found_one(tmp_path: Path) -> None:
    _write(tmp_path / "newsmeta.toml", MDX)
    explicit = _write(tmp_path / "other" / "settings.toml", TXT)

    config = load_config(explicit, start=tmp_path)

    assert config == Config(source=explicit, extensions=(".txt",))


def test_unknown_key_raises_with_suggestion(tmp_path: Path) -> None:
    path = _write(tmp_path / "newsmeta.toml", 'extentions = [".md"]\n')

    with pytest.raises(ConfigError, match=r"unknown key 'extentions'.*did you mean 'extensions'"):
        load_config(path)


def test_validation_keys_are_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "newsmeta.toml",
        'required-fields = ["category", "provider.url"]\n'
        'extra-keys = ["author"]\n'
        'topics = ["AI"]\n'
        'future-tolerance = "12h"\n'
        "[rules]\n"
        'url-entity = "error"\n'
        'unknown-key = "off"\n',
    )

    config = load_config(path)

    assert config.required_fields == ("category", "provider.url")
    assert config.extra_keys == ("author",)
    assert config.topics == ("AI",)
    assert config.future_tolerance == dt.timedelta(hours=12)
    assert config.rules == (("url-entity", Severity.ERROR), ("unknown-key", None))


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ('amp-urls = "off"', "unknown rule 'amp-urls' (did you mean 'amp-url'?)"),
        ('yaml-syntax = "off"', "'yaml-syntax' is checked while reading the file"),
        ('amp-url = "fatal"', """rule 'amp-url': expected "error", "warning" or "off\""""),
    ],
)
def test_rules_table_errors_name_the_rule(tmp_path: Path, rules: str, message: str) -> None:
    path = _write(tmp_path / "pyproject.toml", f"[tool.newsmeta.rules]\n{rules}\n")

    with pytest.raises(ConfigError) as raised:
        load_config(path)

    assert f"{path}: bad value for 'rules' in [tool.newsmeta]: " in str(raised.value)
    assert message in str(raised.value)


# -- finding the file (CLI) --------------------------------------------------------------------


def test_cli_walks_up_to_pyproject_table(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", MDX_TABLE)
    _articles(tmp_path / "sub")

    result = _validate(tmp_path / "sub")

    assert result.code == 1
    assert _reported(result) == ["b.mdx"]


def test_cli_prefers_newsmeta_toml_over_pyproject(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", MDX_TABLE)
    _write(tmp_path / "newsmeta.toml", TXT)
    _articles(tmp_path)

    assert _reported(_validate(tmp_path)) == ["c.txt"]


def test_cli_prefers_the_nearer_file(tmp_path: Path) -> None:
    _write(tmp_path / "newsmeta.toml", TXT)
    _write(tmp_path / "sub" / "pyproject.toml", MDX_TABLE)
    _articles(tmp_path / "sub")

    assert _reported(_validate(tmp_path / "sub")) == ["b.mdx"]


def test_cli_ignores_invalid_pyproject_not_mentioning_newsmeta(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[project\nname = = broken\n")
    _articles(tmp_path)

    result = _validate(tmp_path)

    assert result.code == 1
    assert _reported(result) == ["a.md", "c.txt"]


def test_cli_config_option_overrides(tmp_path: Path) -> None:
    _write(tmp_path / "newsmeta.toml", TXT)
    _write(tmp_path / "custom.toml", MDX)
    _articles(tmp_path)

    assert _reported(_validate(tmp_path, "--config", "custom.toml")) == ["b.mdx"]


def test_cli_config_option_takes_a_pyproject(tmp_path: Path) -> None:
    _write(tmp_path / "newsmeta.toml", TXT)
    _write(tmp_path / "conf" / "pyproject.toml", MDX_TABLE)
    _articles(tmp_path)

    assert _reported(_validate(tmp_path, "--config", "conf/pyproject.toml")) == ["b.mdx"]


def test_cli_missing_config_file_exits_2(tmp_path: Path) -> None:
    _articles(tmp_path)

    result = _validate(tmp_path, "--config", "nope.toml")

    assert result.code == 2
    assert result.stdout == ""
    assert "nope.toml" in result.stderr
    assert_no_traceback(result)


# -- checking keys and values (CLI) ------------------------------------------------------------


def test_cli_unknown_key_names_file_key_and_suggestion(tmp_path: Path) -> None:
    config = _write(tmp_path / "newsmeta.toml", 'extentions = [".md"]\n')

    result = _validate(tmp_path)

    assert result.code == 2
    assert result.stdout == ""
    assert str(config) in result.stderr
    assert "'extentions'" in result.stderr
    assert "did you mean 'extensions'?" in result.stderr
    assert_no_traceback(result)


def test_cli_unknown_key_in_pyproject_names_the_table(tmp_path: Path) -> None:
    config = _write(tmp_path / "pyproject.toml", '[tool.newsmeta]\nexclud = ["x/"]\n')

    result = _validate(tmp_path)

    assert result.code == 2
    assert str(config) in result.stderr
    assert "'exclud' in [tool.newsmeta]" in result.stderr
    assert "did you mean 'exclude'?" in result.stderr


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('extensions = "md"', "extensions"),
        ('extensions = ["md"]', "extensions"),
        ('extensions = [".md", 3]', "extensions"),
        ('exclude = "drafts/"', "exclude"),
        ('respect-gitignore = "yes"', "respect-gitignore"),
        ('required-fields = ["provider..name"]', "required-fields"),
        ('extra-keys = "author"', "extra-keys"),
        ('topics = ["AI", ""]', "topics"),
        ('future-tolerance = "1 fortnight"', "future-tolerance"),
        ("future-tolerance = false", "future-tolerance"),
        ('rules = "off"', "rules"),
        ('rules = {url-entity = "fatal"}', "rules"),
    ],
)
def test_cli_bad_value_exits_2_naming_the_key(tmp_path: Path, line: str, key: str) -> None:
    config = _write(tmp_path / "newsmeta.toml", line + "\n")
    _articles(tmp_path)

    result = _validate(tmp_path)

    assert result.code == 2
    assert result.stdout == ""
    assert f"{config}: bad value for '{key}'" in result.stderr
    assert_no_traceback(result)


@pytest.mark.parametrize(
    ("name", "text"),
    [("newsmeta.toml", "extensions = [\n"), ("pyproject.toml", "[tool.newsmeta\nextensions = [\n")],
)
def test_cli_invalid_toml_exits_2_naming_the_file(tmp_path: Path, name: str, text: str) -> None:
    config = _write(tmp_path / name, text)
    _articles(tmp_path)

    result = _validate(tmp_path)

    assert result.code == 2
    assert f"{config}: not valid TOML" in result.stderr
    assert_no_traceback(result)


# -- what the values do (CLI) ------------------------------------------------------------------


def test_cli_extensions_pick_mdx_and_skip_md(tmp_path: Path) -> None:
    _write(tmp_path / "newsmeta.toml", MDX)
    for name in ("a.md", "b.mdx", "sub/c.mdx", "sub/d.md"):
        _write(tmp_path / name, minimal_article(name).decode("utf-8"))

    result = run_cli("validate", ".", cwd=tmp_path)

    assert result.code == 0
    assert result.stderr.strip().splitlines()[-1] == "no problems in 2 files"


def test_cli_extensions_match_ignoring_case(tmp_path: Path) -> None:
    _write(tmp_path / "newsmeta.toml", 'extensions = [".MDX"]\n')
    _write(tmp_path / "a.mdx", BROKEN)
    _write(tmp_path / "b.Mdx", BROKEN)
    _write(tmp_path / "c.md", BROKEN)

    assert _reported(_validate(tmp_path)) == ["a.mdx", "b.Mdx"]


def test_cli_extensions_still_take_a_named_file(tmp_path: Path) -> None:
    _write(tmp_path / "newsmeta.toml", MDX)
    _articles(tmp_path)

    result = run_cli("validate", "--format", "json", "a.md", ".", cwd=tmp_path)

    assert _reported(result) == ["a.md", "b.mdx"]
