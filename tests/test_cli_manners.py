"""CLI manners: --version, a bare `rbmphys` prints the help, every option says what it does and
its default, and no help text shows raw reStructuredText."""

import argparse
import re

import pytest

from rbmphys import __version__
from rbmphys.cli import build_parser, main


def _parsers():
    p = build_parser()
    yield "rbmphys", p
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from ((f"rbmphys {n}", sp) for n, sp in action.choices.items())


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"rbmphys {__version__}"


def test_bare_command_prints_the_help(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: rbmphys")
    for cmd in ("list", "run", "verify", "exercise", "bench", "book"):
        assert re.search(rf"^\s+{cmd}\s+\S", out, re.M), cmd


def test_every_option_has_help_and_shows_its_default():
    for name, parser in _parsers():
        text = parser.format_help()
        for action in parser._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            assert action.help, (name, action.dest)
            if action.option_strings and not isinstance(action, argparse._VersionAction):
                flag = action.option_strings[-1]
                m = re.search(rf"^  (-\w, )?{flag}\b.*?(?=^  -|\Z)", text, re.M | re.S)
                assert m, (name, flag)
                block = m.group(0)
                assert "default" in block, (name, flag, block)


def test_no_restructuredtext_in_help():
    for name, parser in _parsers():
        text = parser.format_help()
        assert "``" not in text and not re.search(r":(mod|func|class|meth):`", text), name
