"""``newsmeta edit`` on the reference article: each operation checked byte for byte.

Every expected file is the reference article with exactly the lines the issue names changed,
written out here, so a change anywhere else fails the test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from .conftest import REFERENCE, Result, assert_no_traceback, run_cli

ORIGINAL = REFERENCE.read_bytes()
TITLE = (
    b'category: news\ntitle: "Microsoft won\xe2\x80\x99t sell police its facial-recognition '
    b'technology, following similar moves by Amazon and IBM"\n'
)


def copy_reference(tmp_path: Path, name: str = "article.txt") -> Path:
    target = tmp_path / name
    shutil.copyfile(REFERENCE, target)
    return target


def replaced(old: bytes, new: bytes, data: bytes = ORIGINAL) -> bytes:
    """``data`` with the one occurrence of line ``old`` replaced by ``new``."""
    assert data.count(old) == 1, old
    return data.replace(old, new)


def front_matter(data: bytes) -> dict:
    return yaml.safe_load(data.split(b"---\n")[1])


def edit(path: Path, *args: str, stdin: bytes | None = None) -> Result:
    result = run_cli("edit", *args, str(path), cwd=path.parent, stdin=stdin)
    assert_no_traceback(result)
    return result


# -- the list: one line each ------------------------------------------------------------

SEED_EDITS = [
    pytest.param(["--set", "quality=50"], b"quality: 27\n", b"quality: 50\n", id="set-number"),
    pytest.param(
        ["--add", "topics=Ethics"],
        b"  - AI\n\nimages:",
        b"  - AI\n  - Ethics\n\nimages:",
        id="add-topic",
    ),
    pytest.param(["--unset", "heat"], b"heat: -1\n", b"", id="unset"),
    pytest.param(
        ["--set", "provider.name=Reuters"],
        b"  name: Washington Post\n",
        b"  name: Reuters\n",
        id="set-nested",
    ),
    pytest.param(
        ["--set", "images[0].width=800"], b"    width: 1440\n", b"    width: 800\n", id="set-index"
    ),
    pytest.param(["--rename", "heat=hotness"], b"heat: -1\n", b"hotness: -1\n", id="rename"),
    pytest.param(
        ["--set", 'title=New: a title with "quotes"'],
        TITLE,
        b'category: news\ntitle: "New: a title with \\"quotes\\""\n',
        id="set-quoted-title",
    ),
]


@pytest.mark.parametrize(("args", "old", "new"), SEED_EDITS)
def test_each_operation_changes_exactly_its_line(
    tmp_path: Path, args: list[str], old: bytes, new: bytes
) -> None:
    path = copy_reference(tmp_path)
    result = edit(path, *args)
    assert result.code == 0, result.stderr
    assert path.read_bytes() == replaced(old, new)
    assert "changed 1 file" in result.stderr


def test_the_quoted_title_reads_back_as_the_string_given(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    edit(path, "--set", 'title=New: a title with "quotes"')
    assert front_matter(path.read_bytes())["title"] == 'New: a title with "quotes"'


def test_operations_apply_in_command_line_order(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    edit(path, "--set", "quality=5", "--unset", "quality")
    assert b"\nquality: " not in path.read_bytes()
    path = copy_reference(tmp_path)
    edit(path, "--unset", "quality", "--set", "quality=5")
    # Unset, then created again where the schema puts it: the same place.
    assert path.read_bytes() == replaced(b"quality: 27\n", b"quality: 5\n")


def test_several_operations_in_one_run(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    result = edit(path, "--set", "quality=50", "--add", "topics=Ethics", "--unset", "heat")
    assert result.code == 0
    expected = replaced(b"quality: 27\nheat: -1\n", b"quality: 50\n")
    expected = replaced(b"  - AI\n\nimages:", b"  - AI\n  - Ethics\n\nimages:", expected)
    assert path.read_bytes() == expected


# -- values: YAML, strings, dates -------------------------------------------------------------


def test_set_reads_yaml_and_set_str_forces_a_string(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    edit(path, "--set", "published=true", "--set", "heat=1.5", "--force")
    data = front_matter(path.read_bytes())
    assert data["published"] is True
    assert data["heat"] == 1.5
    edit(path, "--set-str", "category=2024", "--force")
    assert front_matter(path.read_bytes())["category"] == "2024"
    assert b'category: "2024"\n' in path.read_bytes()  # quoted, since 2024 would be a number


def test_set_a_list_replaces_it_in_the_files_block_style(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    edit(path, "--set", "topics=[AI, Policy]")
    expected = replaced(b"  - Computer Vision\n  - AI\n", b"  - AI\n  - Policy\n")
    assert path.read_bytes() == expected


def test_a_flow_list_stays_a_flow_list(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(
        replaced(b"topics:\n  - Computer Vision\n  - AI\n", b"topics: [Computer Vision, AI]\n")
    )
    edit(path, "--set", "topics=[AI, Policy]")
    assert b"topics: [AI, Policy]\n" in path.read_bytes()


def test_a_string_keeps_its_quote_style_and_quotes_when_it_must(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    edit(path, "--set", "excerpt=Short", "--set", "type=video: clip", "--set", "category=tech")
    data = path.read_bytes()
    assert b'\nexcerpt: "Short"\n' in data  # was double-quoted: stays so
    assert b'\ntype: "video: clip"\n' in data  # was plain: quoted, as plain cannot hold ": "
    assert b"\ncategory: tech\n" in data  # was plain: stays plain


def test_single_quotes_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(replaced(b"type: article\nquality", b"type: 'article'\nquality"))
    edit(path, "--set", "type=it's a video")
    assert b"\ntype: 'it''s a video'\n" in path.read_bytes()


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("2024-03-01T09:30:00+02:00", b"2024-03-01T09:30:00+02:00"),
        ("2024-03-01 09:30", b"2024-03-01T09:30:00Z"),  # no zone: UTC
        ("March 1, 2024 9:30am -0500", b"2024-03-01T09:30:00-05:00"),
        ("2024-03-01", b"2024-03-01T00:00:00Z"),
    ],
)
def test_dates_are_read_by_dateutil_and_written_iso_8601_with_zone(
    tmp_path: Path, given: str, written: bytes
) -> None:
    path = copy_reference(tmp_path)
    result = edit(path, "--set", f"updatedDateTime={given}")
    assert result.code == 0, result.stderr
    # A new key, placed where the schema says: right after publishedDateTime.
    expected = replaced(
        b"publishedDateTime: 2020-06-11T16:42:00Z\n",
        b"publishedDateTime: 2020-06-11T16:42:00Z\nupdatedDateTime: " + written + b"\n",
    )
    assert path.read_bytes() == expected


def test_now_is_a_date_with_a_zone(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    assert edit(path, "--set", "updatedDateTime=now").code == 0
    value = front_matter(path.read_bytes())["updatedDateTime"]
    assert value.tzinfo is not None and value.year >= 2026


def test_a_date_that_cannot_be_read_is_a_usage_error(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    result = edit(path, "--set", "publishedDateTime=next blursday")
    assert result.code == 2
    assert "not a date" in result.stderr
    assert path.read_bytes() == ORIGINAL


def test_setting_the_value_a_key_already_has_writes_nothing(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    before = path.stat().st_mtime_ns
    result = edit(path, "--set", "quality=27", "--set", "publishedDateTime=2020-06-11T16:42:00Z")
    assert result.code == 0
    assert "changed 0 files, 1 unchanged" in result.stderr
    assert path.read_bytes() == ORIGINAL
    assert path.stat().st_mtime_ns == before


# -- creating keys ----------------------------------------------------------------------------


def test_a_missing_key_is_created_where_the_schema_puts_it(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(replaced(b"type: article\nquality", b"quality"))
    edit(path, "--set", "type=video")
    assert path.read_bytes() == replaced(b"type: article\nquality", b"type: video\nquality")


def test_a_missing_mapping_is_created_on_the_way(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"---\ntitle: x\nquality: 3\n---\nbody\n")
    edit(path, "--set", "provider.name=Reuters", "--force")
    assert (
        path.read_bytes() == b"---\ntitle: x\nquality: 3\nprovider:\n  name: Reuters\n---\nbody\n"
    )


def test_an_unknown_key_goes_at_the_end(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    edit(path, "--set", "author=Jane Doe", "--force")
    data = path.read_bytes()
    assert data.endswith(b'=="\nauthor: Jane Doe\n---\n\n')


def test_add_creates_the_list_and_skips_an_item_already_there(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"---\ntitle: x\n---\n")
    edit(path, "--add", "topics=AI", "--add", "topics=AI", "--add", "topics=[Policy, AI]")
    assert path.read_bytes() == b"---\ntitle: x\ntopics:\n  - AI\n  - Policy\n---\n"


def test_empty_front_matter_gets_its_first_key(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"---\n---\nbody\n")
    edit(path, "--set", "title=Hello", "--force")
    assert path.read_bytes() == b"---\ntitle: Hello\n---\nbody\n"


# -- removing and renaming --------------------------------------------------------------------


def test_remove_takes_an_item_out_of_a_list(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    edit(path, "--remove", "topics=Computer Vision")
    assert path.read_bytes() == replaced(b"  - Computer Vision\n", b"")


def test_remove_of_an_absent_value_changes_nothing(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    result = edit(path, "--remove", "topics=Sports")
    assert result.code == 0
    assert path.read_bytes() == ORIGINAL


def test_unset_keeps_the_blank_line_that_follows(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    edit(path, "--unset", "published")
    assert path.read_bytes() == replaced(b"published: false\n", b"")


def test_unset_a_whole_block_takes_its_lines_and_one_blank(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    edit(path, "--unset", "topics")
    assert path.read_bytes() == replaced(b"\ntopics:\n  - Computer Vision\n  - AI\n", b"")


def test_unset_a_list_item_by_negative_index(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    edit(path, "--unset", "topics[-1]")
    assert path.read_bytes() == replaced(b"  - AI\n\nimages", b"\nimages")


def test_unset_of_a_missing_key_changes_nothing(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    result = edit(path, "--unset", "author", "--unset", "provider.url")
    assert result.code == 0
    assert path.read_bytes() == ORIGINAL


def test_rename_keeps_the_end_of_line_comment(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"---\ntitle: x  # the headline\nheat: 3 # hot\nquality: 1\n---\n")
    edit(path, "--rename", "heat=hotness", "--force")
    assert (
        path.read_bytes() == b"---\ntitle: x  # the headline\nhotness: 3 # hot\nquality: 1\n---\n"
    )


def test_comments_and_crlf_survive_an_edit(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    original = (
        b"\xef\xbb\xbf---\r\n# house format\r\ntitle: 'x'   # keep\r\n\r\nquality: 1\r\n"
        b"topics:\r\n  - a  # first\r\n---\r\nbody without newline"
    )
    path.write_bytes(original)
    edit(path, "--set", "quality=2", "--add", "topics=b", "--force")
    assert path.read_bytes() == original.replace(b"quality: 1", b"quality: 2").replace(
        b"  - a  # first\r\n", b"  - a  # first\r\n  - b\r\n"
    )


# -- failures ---------------------------------------------------------------------------------


def test_a_type_conflict_fails_that_file_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"---\ntitle: x\nprovider: Reuters\n---\n")
    result = edit(path, "--set", "provider.name=Reuters")
    assert result.code == 2
    assert "a.md:3:1: error [edit-failed] provider.name: provider is a string, not a mapping" in (
        result.stderr
    )
    assert path.read_bytes() == b"---\ntitle: x\nprovider: Reuters\n---\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--remove", "tags=x"], "tags: no such list to remove from"),
        (["--add", "title=x"], "title is a string, not a list"),
        (["--set", "images[5].width=1"], "images[5]: no such item (images has 1 item)"),
        (["--rename", "heat=quality"], "cannot rename heat to quality: quality already exists"),
        (["--set", "topics.name=x"], "topics.name: topics is a list, not a mapping"),
        (["--set", "gallery[0].url=x"], "gallery[0].url: there is no list gallery"),
    ],
)
def test_operations_that_cannot_apply_fail_the_file(
    tmp_path: Path, args: list[str], message: str
) -> None:
    path = copy_reference(tmp_path)
    result = edit(path, *args)
    assert result.code == 2
    assert "[edit-failed]" in result.stderr and message in result.stderr
    assert path.read_bytes() == ORIGINAL
    assert "1 failed" in result.stderr


def test_an_edit_adding_a_validation_error_is_refused_unless_forced(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    result = edit(path, "--set", "quality=high")
    assert result.code == 2
    assert ":10:10: error [wrong-type] quality must be an integer" in result.stderr
    assert "[edit-refused] not written: the edit adds 1 validation error" in result.stderr
    assert path.read_bytes() == ORIGINAL
    result = edit(path, "--set", "quality=high", "--force")
    assert result.code == 0
    assert path.read_bytes() == replaced(b"quality: 27\n", b"quality: high\n")


def test_errors_the_file_already_had_do_not_refuse_an_edit(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(replaced(b"quality: 27\n", b"quality: high\n"))
    result = edit(path, "--set", "heat=5")
    assert result.code == 0, result.stderr
    assert b"\nheat: 5\n" in path.read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "quality"], "expected KEY=VALUE"),
        (["--set", "images[x].width=1"], "expected an index"),
        (["--set", "a..b=1"], "empty key name"),
        (["--set", "topics=[a"], "cannot read '[a' as YAML"),
        (["--set", "x=!!python/object/apply:os.system [ls]"], "unknown tag"),
        (["--rename", "heat=a.b"], "NEW is the key's new name"),
        (["--where", "quality>", "--set", "quality=1"], "quality>"),
        (["--set", "quality =1"], "has spaces around it"),
        (["--unset", "quality=50"], "--unset takes KEY alone"),
        (["--dry-run", "--diff", "--set", "quality=1"], "choose one"),
    ],
)
def test_bad_arguments_are_usage_errors_before_any_file_changes(
    tmp_path: Path, args: list[str], message: str
) -> None:
    path = copy_reference(tmp_path)
    result = edit(path, *args)
    assert result.code == 2
    assert message in result.stderr
    assert path.read_bytes() == ORIGINAL


def test_paths_are_required(tmp_path: Path) -> None:
    copy_reference(tmp_path)
    result = run_cli("edit", "--set", "quality=1", cwd=tmp_path)
    assert result.code == 2
    assert "name the files or folders to edit" in result.stderr


# -- output -----------------------------------------------------------------------------------


def test_dry_run_prints_a_diff_that_patch_applies_and_writes_nothing(tmp_path: Path) -> None:
    import subprocess

    path = copy_reference(tmp_path)
    result = edit(path, "--dry-run", "--set", "quality=50")
    assert result.code == 0
    assert path.read_bytes() == ORIGINAL
    assert "would change 1 file" in result.stderr
    assert "-quality: 27\n+quality: 50\n" in result.stdout
    assert result.stdout.startswith(f"--- {path}\n+++ {path}\n@@ ")
    if shutil.which("patch"):
        subprocess.run(["patch", "-p0", "-s"], input=result.stdout.encode(), cwd="/", check=True)
        assert path.read_bytes() == replaced(b"quality: 27\n", b"quality: 50\n")


def test_diff_writes_and_prints(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    result = edit(path, "--diff", "--unset", "heat")
    assert "-heat: -1\n" in result.stdout
    assert path.read_bytes() == replaced(b"heat: -1\n", b"")


def test_quiet_leaves_out_the_summary(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    result = edit(path, "-q", "--set", "quality=50")
    assert result.stderr == ""


def test_standard_input_is_edited_to_standard_output(tmp_path: Path) -> None:
    result = run_cli("edit", "-", "--set", "quality=50", stdin=ORIGINAL, cwd=tmp_path)
    assert result.code == 0
    assert result.stdout.encode() == replaced(b"quality: 27\n", b"quality: 50\n")


def test_standard_input_that_fails_prints_nothing_to_stdout(tmp_path: Path) -> None:
    result = run_cli(
        "edit", "-", "--stdin-filename", "in.md", "--set", "quality=x", stdin=ORIGINAL, cwd=tmp_path
    )
    assert result.code == 2
    assert result.stdout == ""
    assert "in.md:10:10: error [wrong-type]" in result.stderr


def test_where_limits_the_files_changed(tmp_path: Path) -> None:
    copy_reference(tmp_path, "wapo.txt")
    other = tmp_path / "other.txt"
    other.write_bytes(replaced(b"  name: Washington Post\n", b"  name: Reuters\n"))
    result = run_cli(
        "edit", ".", "--where", "provider.name:reuters", "--set", "quality=1", cwd=tmp_path
    )
    assert result.code == 0
    assert "changed 1 file, 0 unchanged, 1 not matched by --where" in result.stderr
    assert (tmp_path / "wapo.txt").read_bytes() == ORIGINAL
    assert b"\nquality: 1\n" in other.read_bytes()


# -- what a demanding user expects (found in review) -------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("Breaking news #1", b'title: "Breaking news #1"\n'),  # not a YAML comment
        ("&anchor x", b'title: "&anchor x"\n'),
        ("|", b'title: "|"\n'),
        ("'single quoted'", b'title: "single quoted"\n'),  # a quoted YAML string is unquoted
    ],
)
def test_a_text_field_takes_the_text_as_typed(tmp_path: Path, typed: str, written: bytes) -> None:
    path = copy_reference(tmp_path)
    assert edit(path, "--set", f"title={typed}").code == 0
    assert path.read_bytes() == replaced(TITLE, b"category: news\n" + written)


def test_a_new_key_is_quoted_like_its_neighbours_of_the_same_type(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(
        replaced(
            b'ampWebUrl: "https://www.washingtonpost.com/technology/2020/06/11/'
            b'microsoft-facial-recognition/?outputType=amp"\n',
            b"",
        )
    )
    edit(path, "--set", "ampWebUrl=https://example.com/amp", "--force")
    assert b'\nampWebUrl: "https://example.com/amp"\ncdnAmpWebUrl' in path.read_bytes()


def test_an_added_mapping_is_styled_like_the_items_before_it_and_stays_in_its_list(
    tmp_path: Path,
) -> None:
    path = copy_reference(tmp_path)
    edit(path, "--add", "images={url: https://example.com/i.jpg, width: 10}", "--force")
    assert (
        b'    title: "Microsoft won\xe2\x80\x99t sell police its facial-recognition technology, '
        b'following similar moves by Amazon and IBM"\n'
        b'  - url: "https://example.com/i.jpg"\n    width: 10\n\nrelated:\n'
    ) in path.read_bytes()


@pytest.mark.parametrize("word", ["yes", "on", "off", "no", "1:30", "0o17", "1_000"])
def test_strings_yaml_1_1_would_read_as_something_else_are_quoted(
    tmp_path: Path, word: str
) -> None:
    path = copy_reference(tmp_path)
    edit(path, "--set-str", f"category={word}", "--force")
    assert front_matter(path.read_bytes())["category"] == word  # PyYAML is a YAML 1.1 reader
    assert f'\ncategory: "{word}"\n'.encode() in path.read_bytes()


def test_a_quoted_date_stays_quoted_and_the_same_instant_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    original = replaced(
        b"publishedDateTime: 2020-06-11T16:42:00Z\n",
        b'publishedDateTime: "2020-06-11T18:42:00+02:00"\n',
    )
    path.write_bytes(original)
    result = edit(path, "--set", "publishedDateTime=2020-06-11 18:42 +0200")
    assert "1 unchanged" in result.stderr
    assert path.read_bytes() == original
    edit(path, "--set", "publishedDateTime=2021-01-02T03:04:05Z")
    assert b'\npublishedDateTime: "2021-01-02T03:04:05Z"\n' in path.read_bytes()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("2024-03-14 09:30 CET", "unknown time zone name"),
        ("10:30", "four-digit year"),
    ],
)
def test_dates_that_would_be_guessed_are_refused(tmp_path: Path, given: str, message: str) -> None:
    path = copy_reference(tmp_path)
    result = edit(path, "--set", f"updatedDateTime={given}")
    assert result.code == 2
    assert message in result.stderr and "--set 'updatedDateTime=" in result.stderr
    assert "Warning" not in result.stderr


def test_relative_dates_read_as_in_queries(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    edit(path, "--set", "updatedDateTime=today")
    value = front_matter(path.read_bytes())["updatedDateTime"]
    assert (value.hour, value.minute, value.utcoffset().total_seconds()) == (0, 0, 0)


def test_a_new_warning_is_shown_but_does_not_stop_the_edit(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    result = edit(path, "--set", "qualty=50")
    assert result.code == 0
    assert "warning [unknown-key] unknown key qualty (did you mean 'quality'?)" in result.stderr
    assert b"\nqualty: 50\n" in path.read_bytes()


def test_an_error_that_only_changes_its_wording_is_not_a_new_error(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(replaced(b"quality: 27\n", b"quality: 150\n"))
    result = edit(path, "--set", "quality=120")
    assert result.code == 0, result.stderr
    assert b"\nquality: 120\n" in path.read_bytes()


# -- found in review: nulls, anchors, comments above the first item, the gate, diffs -----------


def test_a_null_key_is_filled_like_a_missing_one(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"---\ntitle: x\nprovider:\ntopics:\n---\n")
    assert edit(path, "--force", "--set", "provider.name=AP", "--add", "topics=AI").code == 0
    assert path.read_bytes() == b"---\ntitle: x\nprovider:\n  name: AP\ntopics:\n  - AI\n---\n"
    result = edit(path, "--force", "--set", "images[0].url=x")
    assert result.code == 2 and "there is no list images" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "related[0].provider.name=R"], "anchored and repeated elsewhere"),
        (["--unset", "provider"], "anchored and repeated elsewhere"),
        (["--set", "base.name=X"], "anchored and repeated elsewhere"),
        (["--rename", "merged.domain=zz"], "takes keys from a '<<' merge"),
        (["--unset", "merged.name"], "takes keys from a '<<' merge"),
    ],
)
def test_edits_through_anchors_aliases_and_merge_keys_are_refused(
    tmp_path: Path, args: list[str], message: str
) -> None:
    path = tmp_path / "a.md"
    original = (
        b"---\ntitle: Hello\nprovider: &p {name: AP, domain: apnews.com}\n"
        b"related:\n  - provider: *p\n    title: x\n"
        b"base: &base {name: a, domain: b}\nmerged: {<<: *base, extra: 1}\n---\n"
    )
    path.write_bytes(original)
    result = edit(path, "--force", *args)
    assert result.code == 2
    assert "[edit-failed]" in result.stderr and message in result.stderr
    assert path.read_bytes() == original
    assert edit(path, "--set", "title=Bye").code == 0  # elsewhere, the file is editable


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--set", "topics=[A, B, C]"], b"topics:\n  # first comes A\n  - A\n  - B\n  - C\n"),
        (["--unset", "topics[0]"], b"topics:\n  # first comes A\n  - B\n"),
        (["--remove", "topics=B"], b"topics:\n  # first comes A\n  - A\n"),
        (["--set", "topics=[]"], b"topics: []\n"),
    ],
)
def test_a_comment_above_the_first_item_stays_or_goes_with_the_items(
    tmp_path: Path, args: list[str], expected: bytes
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"---\ntopics:\n  # first comes A\n  - A\n  - B\nquality: 1\n---\n")
    assert edit(path, "--force", *args).code == 0
    assert path.read_bytes() == b"---\n" + expected + b"quality: 1\n---\n"


def test_an_error_moved_to_another_key_is_a_new_error(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    original = replaced(b"quality: 27\n", b"quality: high\n")
    path.write_bytes(original)
    result = edit(path, "--set", "quality=50", "--set", "heat=hot")
    assert result.code == 2
    assert "heat must be an integer" in result.stderr and "[edit-refused]" in result.stderr
    assert path.read_bytes() == original


def test_the_diff_of_a_file_with_a_lone_carriage_return_applies(tmp_path: Path) -> None:
    import subprocess

    path = tmp_path / "cr.md"
    path.write_bytes(b'---\ntitle: "a"\nquality: 10\n---\nbody\rstill\n')
    result = edit(path, "--dry-run", "--set", "quality=20")
    assert "\\ No newline" not in result.stdout
    if shutil.which("patch"):
        subprocess.run(["patch", "-p0", "-s"], input=result.stdout.encode(), cwd="/", check=True)
        assert path.read_bytes() == b'---\ntitle: "a"\nquality: 20\n---\nbody\rstill\n'


def test_a_posix_style_zone_is_refused_not_inverted(tmp_path: Path) -> None:
    path = copy_reference(tmp_path)
    result = edit(path, "--set", "updatedDateTime=2024-03-14 09:30 UTC+2")
    assert result.code == 2 and "+02:00, not UTC+2" in result.stderr


def test_a_closed_pipe_stops_the_diff_not_the_edit(tmp_path: Path) -> None:
    import subprocess
    import sys

    from .conftest import ROOT

    for number in range(40):
        (tmp_path / f"{number:02}.md").write_bytes(ORIGINAL)
    done = subprocess.run(
        f"{sys.executable} -m newsmeta edit --diff --set quality=13 . | head -1",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert b"changed 40 files" in done.stderr
    assert all(b"\nquality: 13\n" in p.read_bytes() for p in tmp_path.glob("*.md"))
