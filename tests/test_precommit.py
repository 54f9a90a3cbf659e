"""The pre-commit hooks, through the real pre-commit: try-repo, and a real git commit.

``newsmeta-validate`` fails a commit whose articles have errors; ``newsmeta-reformat`` is a
formatter: it rewrites the files in the house style and pre-commit fails the run because files
changed, so that the fix can be reviewed and added.

The hook repository is a snapshot of this working tree (tracked and untracked, not ignored
files), committed in a temporary folder, so the tests check the code as it is now, uncommitted
changes included. Every pre-commit run shares one PRE_COMMIT_HOME, so the commit test builds
the hook's environment once. ``try-repo`` always builds its own, in a throwaway store.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS, Result

HOOK = "newsmeta-validate"
VALID = SEEDS / "001_eu-ai-act-vote.md"
# A YAML syntax error: the quoted title never closes.
BROKEN = b'---\ntitle: "unclosed\npublished: true\n---\nbody\n'
# Not an article: newsmeta reports [no-front-matter] for it if it is ever passed to the hook.
NOT_AN_ARTICLE = b'{"title": "not an article"}\n'


def run(*args: str | Path, cwd: Path, env: dict[str, str]) -> Result:
    done = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, capture_output=True, env=env, timeout=600
    )
    return Result(
        done.returncode,
        done.stdout.decode(errors="replace"),
        done.stderr.decode(errors="replace"),
    )


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    result = run("git", *args, cwd=cwd, env=env)
    assert result.code == 0, f"git {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
    return result.stdout


def pre_commit(*args: str | Path, cwd: Path, env: dict[str, str]) -> Result:
    return run(sys.executable, "-m", "pre_commit", *args, cwd=cwd, env=env)


def explain(result: Result, env: dict[str, str]) -> str:
    """What a failed run printed, and pre-commit's log if it wrote one (environment builds)."""
    log = Path(env["PRE_COMMIT_HOME"]) / "pre-commit.log"
    text = f"exit code {result.code}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    if log.exists():
        text += f"\n--- {log}\n{log.read_text(errors='replace')}"
    return text


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for git and pre-commit: one PRE_COMMIT_HOME, no user or system git config."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    assert importlib.util.find_spec("pre_commit"), "pre-commit is missing: pip install '.[test]'"
    # GIT_DIR and friends (set when pytest itself runs inside a git hook) would point every
    # git command at the wrong repository; SKIP would skip the hook; PYTHONPATH would let the
    # hook import newsmeta from somewhere other than its own environment.
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("GIT_", "PRE_COMMIT"))
        and name not in {"SKIP", "PYTHONPATH", "PYTHONHOME", "NO_COLOR", "FORCE_COLOR"}
    }
    environment.update(
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
        PRE_COMMIT_COLOR="never",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="newsmeta tests",
        GIT_AUTHOR_EMAIL="tests@newsmeta.invalid",
        GIT_COMMITTER_NAME="newsmeta tests",
        GIT_COMMITTER_EMAIL="tests@newsmeta.invalid",
    )
    return environment


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> tuple[Path, str]:
    """A committed snapshot of the working tree, and its HEAD sha."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    listing = git("ls-files", "-z", "-co", "--exclude-standard", cwd=ROOT, env=env)
    for name in filter(None, listing.split("\0")):
        source = ROOT / name
        if not (source.is_file() or source.is_symlink()):
            continue  # deleted but still tracked, or a submodule
        target = snapshot / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    git("init", "-q", cwd=snapshot, env=env)
    git("add", "-A", cwd=snapshot, env=env)
    git("commit", "-q", "-m", "snapshot", cwd=snapshot, env=env)
    return snapshot, git("rev-parse", "HEAD", cwd=snapshot, env=env).strip()


def problems(output: str) -> list[str]:
    """'path [rule]' for each 'path:line:col: severity [rule] message' line of the output."""
    found = []
    for line in output.splitlines():
        location, _, rest = line.partition(": error [")
        if rest:
            found.append(f"{location.split(':')[0]} [{rest.split(']')[0]}]")
    return found


def new_repo(path: Path, env: dict[str, str], files: dict[str, bytes]) -> Path:
    path.mkdir()
    git("init", "-q", cwd=path, env=env)
    stage(path, env, files)
    return path


def stage(repo: Path, env: dict[str, str], files: dict[str, bytes]) -> None:
    for name, content in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes(content)
    git("add", "--", *files, cwd=repo, env=env)


def test_manifest_is_valid(env: dict[str, str]) -> None:
    result = pre_commit("validate-manifest", ".pre-commit-hooks.yaml", cwd=ROOT, env=env)
    assert result.code == 0, explain(result, env)


def test_try_repo(tmp_path: Path, env: dict[str, str], hook_repo: tuple[Path, str]) -> None:
    snapshot, _ = hook_repo
    repo = new_repo(tmp_path / "site", env, {"story.md": VALID.read_bytes()})

    clean = pre_commit("try-repo", snapshot, HOOK, "--all-files", cwd=repo, env=env)
    assert clean.code == 0, explain(clean, env)
    assert "Passed" in clean.stdout

    stage(repo, env, {"content/broken.md": BROKEN})
    broken = pre_commit("try-repo", snapshot, HOOK, "--all-files", cwd=repo, env=env)
    assert broken.code == 1, explain(broken, env)
    assert problems(broken.stdout) == ["content/broken.md [yaml-syntax]"]


def test_git_commit(tmp_path: Path, env: dict[str, str], hook_repo: tuple[Path, str]) -> None:
    snapshot, rev = hook_repo
    config = f"repos:\n  - repo: {snapshot}\n    rev: {rev}\n    hooks:\n      - id: {HOOK}\n"
    repo = new_repo(
        tmp_path / "site",
        env,
        {
            ".pre-commit-config.yaml": config.encode(),
            "content/story.md": BROKEN,
            "data.json": NOT_AN_ARTICLE,
        },
    )
    installed = pre_commit("install", "--install-hooks", cwd=repo, env=env)
    assert installed.code == 0, explain(installed, env)

    refused = run("git", "commit", "-m", "Add a story", cwd=repo, env=env)
    output = refused.stdout + refused.stderr
    assert refused.code != 0, explain(refused, env)
    assert problems(output) == ["content/story.md [yaml-syntax]"]
    # Only the article reached the hook: data.json and the config file did not.
    assert "in 1 of 1 file" in output
    assert run("git", "rev-parse", "--verify", "-q", "HEAD", cwd=repo, env=env).code != 0

    # data.json is still staged: had the hook been given it, [no-front-matter] would fail this.
    stage(repo, env, {"content/story.md": VALID.read_bytes()})
    accepted = run("git", "commit", "-m", "Add a story", cwd=repo, env=env)
    assert accepted.code == 0, explain(accepted, env)
    assert "Passed" in accepted.stdout + accepted.stderr
    assert git("log", "--format=%s", cwd=repo, env=env) == "Add a story\n"
    committed = git("ls-tree", "-r", "--name-only", "HEAD", cwd=repo, env=env).split()
    assert committed == [".pre-commit-config.yaml", "content/story.md", "data.json"]


# -- newsmeta-reformat: a formatter hook, which fails the run when it changed a file ----------

REFORMAT_HOOK = "newsmeta-reformat"
# Keys out of order, the title not in double quotes, a flow list: three points of the style.
OUT_OF_STYLE = b"---\ntitle: A headline\ncategory: news\ntopics: [AI, Policy]\n---\nBody.\n"
IN_STYLE = b'---\ncategory: news\ntitle: "A headline"\n\ntopics:\n  - AI\n  - Policy\n---\nBody.\n'


def test_try_repo_reformat(
    tmp_path: Path, env: dict[str, str], hook_repo: tuple[Path, str]
) -> None:
    snapshot, _ = hook_repo
    repo = new_repo(
        tmp_path / "site",
        env,
        {"content/story.md": OUT_OF_STYLE, "content/eu-ai-act.md": VALID.read_bytes()},
    )

    first = pre_commit("try-repo", snapshot, REFORMAT_HOOK, "--all-files", cwd=repo, env=env)
    assert first.code == 1, explain(first, env)
    assert "newsmeta reformat" in first.stdout and "Failed" in first.stdout
    assert "- files were modified by this hook" in first.stdout
    assert "1 reformatted, 1 unchanged" in first.stdout
    assert (repo / "content/story.md").read_bytes() == IN_STYLE
    assert (repo / "content/eu-ai-act.md").read_bytes() == VALID.read_bytes()

    second = pre_commit("try-repo", snapshot, REFORMAT_HOOK, "--all-files", cwd=repo, env=env)
    assert second.code == 0, explain(second, env)
    assert "Passed" in second.stdout
    assert (repo / "content/story.md").read_bytes() == IN_STYLE


def test_git_commit_reformat(
    tmp_path: Path, env: dict[str, str], hook_repo: tuple[Path, str]
) -> None:
    snapshot, rev = hook_repo
    config = (
        f"repos:\n  - repo: {snapshot}\n    rev: {rev}\n    hooks:\n      - id: {REFORMAT_HOOK}\n"
    )
    repo = new_repo(
        tmp_path / "site",
        env,
        {".pre-commit-config.yaml": config.encode(), "content/story.md": OUT_OF_STYLE},
    )
    installed = pre_commit("install", "--install-hooks", cwd=repo, env=env)
    assert installed.code == 0, explain(installed, env)

    refused = run("git", "commit", "-m", "Add a story", cwd=repo, env=env)
    assert refused.code != 0, explain(refused, env)
    assert "- files were modified by this hook" in refused.stdout + refused.stderr
    assert run("git", "rev-parse", "--verify", "-q", "HEAD", cwd=repo, env=env).code != 0
    # The fix is in the working tree, for review; the index still holds what was added.
    assert (repo / "content/story.md").read_bytes() == IN_STYLE
    assert git("show", ":content/story.md", cwd=repo, env=env).encode() == OUT_OF_STYLE

    stage(repo, env, {"content/story.md": IN_STYLE})
    accepted = run("git", "commit", "-m", "Add a story", cwd=repo, env=env)
    assert accepted.code == 0, explain(accepted, env)
    assert "Passed" in accepted.stdout + accepted.stderr
    assert git("show", "HEAD:content/story.md", cwd=repo, env=env).encode() == IN_STYLE
