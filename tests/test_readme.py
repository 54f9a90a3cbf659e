"""The README's two commands, and CI running exactly the second one."""

from __future__ import annotations

import re

from .conftest import ROOT, run_cli


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.DOTALL)
    assert block is not None, "README.md must open with a sh code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_commands() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    assert commands[0].startswith("python3 -m pip install . && newsmeta ")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines()]
    assert readme_commands()[1] in lines


def test_ci_treats_no_tests_as_failure() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert '"$code" -eq 5' in script and "exit 1" in script


def test_readme_main_job_passes_on_seeds() -> None:
    job = readme_commands()[0].split("&&", 1)[1].split()
    assert job[0] == "newsmeta"
    result = run_cli(*job[1:], cwd=ROOT)
    assert result.code == 0, result.stderr
    # The reference article's one known problem: a fixable warning, so the exit code is 0.
    assert result.stderr.strip() == "0 errors, 1 warning in 1 of 14 files"
