"""Every command the README shows is one the programs accept.

The README is what a person types from: a documented command the parser refuses
("unrecognized arguments") is a broken promise even when the feature works. The commands that
start the app or a server are run for real by their own tests (tests/test_main.py,
tests/demo/test_server.py, tests/server/test_cli.py); here each one shown is parsed by
the very parser its program uses, so a renamed option or a changed order is caught at once.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from app.__main__ import build_parser
from server import cli as server_cli

README = Path(__file__).resolve().parents[1] / "README.md"
PROGRAMS = ("fieldrep", "fieldrep-server")


def readme_commands() -> list[tuple[str, list[str]]]:
    """The `fieldrep …` and `fieldrep-server …` commands in the README, each with where it
    stands ("block": a command to type; "inline": in the text, maybe only a command's name),
    comments and shell chaining removed, placeholders kept as written."""
    text = README.read_text(encoding="utf-8")
    snippets = [("block", s) for s in re.findall(r"```sh\n(.*?)```", text, flags=re.S)]
    snippets += [("inline", s) for s in re.findall(r"`([^`\n]+)`", text)]
    commands = []
    for where, snippet in snippets:
        for line in snippet.replace("\\\n", " ").splitlines():
            for part in re.split(r"&&|\||&\s*$", line.split("  #")[0]):
                words = shlex.split(part.strip(), comments=True) if part.strip() else []
                if words and words[0] in PROGRAMS:
                    commands.append((where, words))
    return commands


def test_the_readme_shows_commands_of_both_programs() -> None:
    programs = {words[0] for _where, words in readme_commands()}
    assert programs == set(PROGRAMS)


@pytest.mark.parametrize(("where", "words"), readme_commands(),
                         ids=lambda value: shlex.join(value) if isinstance(value, list) else value)
def test_every_command_the_readme_shows_is_accepted(
        where: str, words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser() if words[0] == "fieldrep" else server_cli._parser()
    try:
        parser.parse_args(words[1:])
    except SystemExit as exit_:  # argparse: 0 for --version/--help, 2 for a refusal
        said = capsys.readouterr().err
        # In the text, `fieldrep-server rules publish` names a command without its arguments.
        named_only = where == "inline" and "arguments are required" in said
        assert exit_.code == 0 or named_only, f"{shlex.join(words)} is refused: {said}"


def test_the_data_folder_goes_before_or_after_the_command() -> None:
    for argv in (["--data-dir", "/tmp/l2", "demo"], ["demo", "--data-dir", "/tmp/l2"]):
        args = build_parser().parse_args(argv)
        assert (args.command, str(args.data_dir)) == ("demo", "/tmp/l2")
    args = build_parser().parse_args(["--data-dir", "/tmp/l1", "-v", "sync", "--user", "a"])
    assert (str(args.data_dir), args.verbose) == ("/tmp/l1", True)
