"""Each command's arguments and options as Markdown, for its page in docs/.

The pages carry the block between :data:`BEGIN` and :data:`END`; tests/test_docs.py checks it
is what the CLI says, and ``NEWSMETA_UPDATE_DOCS=1 python -m pytest tests/test_docs.py``
writes it anew.
"""

from __future__ import annotations

BEGIN = "<!-- options: generated from the CLI by newsmeta.helpdoc; do not edit by hand -->"
END = "<!-- end of options -->"


def options_markdown(name: str) -> str:
    """The arguments and options of ``newsmeta NAME``, in the sections of its ``--help``."""
    import typer

    from newsmeta.cli import app, help_sections

    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    context = typer.Context(
        command, info_name=f"newsmeta {name}", help_option_names=["-h", "--help"]
    )
    out = [BEGIN, ""]
    for title, records in help_sections(command, context):
        out += [f"**{title}**", "", "| | |", "| --- | --- |"]
        for names, text in records:
            out.append(f"| `{names}` | {_cell(text)} |")
        out.append("")
    out.append(END)
    return "\n".join(out)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def replace_block(page: str, name: str) -> str:
    """``page`` with its options block brought up to date (it must have one)."""
    start, end = page.index(BEGIN), page.index(END) + len(END)
    return page[:start] + options_markdown(name) + page[end:]
