"""Issue 13 class 1: text from input is never interpreted as terminal markup or emoji codes."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from conftest import DATA, MINI, ROOT, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HEADER = ["supplier_id", "supplier_name", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
GOOD = ["yes", 3, 30, "manager,training,ppe", None]
MARKUP = ["[/]", "[bold]", "[red]x[/red]", "[/bold]", ":thumbs_up:", "[link=file:///etc]z",
          "\\[x]", "[@click=quit]"]


def _workbook(tmp: Path, ident: str, name: str, rounds: tuple[str, str]) -> Path:
    rows = [[ident, name, rounds[0], 10, "no", 1, 0, "none", None],
            [ident, name, rounds[1], 10, *GOOD],
            ["S-bad", name, rounds[1], 10, "maybe", 1, 0, "none", None],
            [ident + "2", name, rounds[1], 10, *GOOD]]
    return write_xlsx(tmp / "a.xlsx", [HEADER, *rows])


def _questionnaire(tmp: Path, version: str) -> Path:
    q = tmp / "q.yaml"
    text = MINI.read_text(encoding="utf-8").replace('version: "1"', f"version: {json.dumps(version)}")
    q.write_text(text.replace("en: Mini assessment", f"en: {json.dumps(version)}"), encoding="utf-8")
    return q


def _runs(esg, tmp: Path, text: str) -> list:  # noqa: ANN001
    answers = _workbook(tmp, text, text, (f"{text}1", f"{text}2"))
    q = _questionnaire(tmp, text)
    reg = tmp / "r.sqlite"
    policy = DATA / "mini-policy.yaml"
    common = ("-q", q, "--lang", "en")
    results = [
        esg("score", answers, *common, "--skip-invalid"),
        esg("score", answers, *common, "--skip-invalid", "--explain", text),
        esg("improve", answers, *common, "--skip-invalid", "--before", f"{text}1", "--after",
            f"{text}2"),
        esg("certify", answers, *common, "--skip-invalid", "--policy", policy, "--year", 2024,
            "--round", f"{text}2", "--registry", reg),
        esg("certs", "list", "--registry", reg, "--lang", "en"),
        esg("certs", "show", "MINI-2024-001", "--registry", reg),
        esg("validate", answers, *common),
        esg("questionnaire", "show", q, "--lang", "en"),
    ]
    return results


def _check(results: list, text: str) -> None:
    for result in results:
        both = result.stdout + result.stderr
        assert result.exit_code in (0, 3), both
        assert "unexpected error" not in both and "Traceback" not in both, both
    # each command shows the text exactly as typed (no tag swallowed, no emoji substituted)
    for result in results[:2] + results[3:6]:
        assert text in result.stdout + result.stderr, (text, result.stdout + result.stderr)


@pytest.mark.parametrize("text", MARKUP)
def test_markup_in_ids_names_rounds_and_versions_is_shown_as_typed(esg, tmp_path: Path,  # noqa: ANN001
                                                                   text: str) -> None:
    _check(_runs(esg, tmp_path, text), text)


TEXT = st.text(alphabet=st.sampled_from(list("[]/\\:=@abx ,")), min_size=1, max_size=10).map(
    lambda s: "K" + s.strip() + "Z")


@settings(max_examples=12, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(TEXT)
def test_property_no_renderer_interprets_input_text(esg, tmp_path_factory: pytest.TempPathFactory,  # noqa: ANN001
                                                     text: str) -> None:
    _check(_runs(esg, tmp_path_factory.mktemp("m"), text), text)


def test_unexpected_error_handler_prints_the_message_as_text(esg, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
                                                             tmp_path: Path) -> None:
    import esgcli.cli.main as cli

    def boom(*args: object, **kw: object) -> None:
        raise RuntimeError("bad [/] value [bold]x")

    monkeypatch.setattr(cli, "read_files", boom)
    answers = _workbook(tmp_path, "S1", "n", ("a", "b"))
    result = esg("score", answers, "-q", MINI)
    assert result.exit_code == 1
    assert "unexpected error: RuntimeError: bad [/] value [bold]x" in result.stderr


def test_every_console_is_made_by_make_console() -> None:
    """One place builds rich consoles (markup and emoji off); no module builds its own."""
    makers = []
    for path in sorted((ROOT / "esgcli").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name == "Console":
                    makers.append(path.name)
                if name == "print" and isinstance(node.func, ast.Attribute):
                    for kw in node.keywords:
                        assert kw.arg != "markup", f"{path.name}: print(markup=...)"
    assert makers == ["render.py"]


CONTROLS = ["\x1b[2J", "\x1b]0;title\x1b\\", "\x9b31m", "\u202eevil", "\x08\x7f"]


def test_control_characters_from_input_are_shown_not_obeyed(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """An escape sequence in a CSV's id, name, round or answer (a spreadsheet cannot hold one,
    a CSV from another tool can) would clear the screen, hide a line or retitle the window:
    every command shows it as `�` instead, in tables and in problem lists alike."""
    bad = "".join(CONTROLS)
    answers = tmp_path / "a.csv"
    rows = [HEADER, [f"S1{bad}", f"Name{bad}", "before", 10, "no", 1, 0, "none", ""],
            [f"S1{bad}", f"Name{bad}", "after", 10, *GOOD[:4], ""],
            ["S2", "Other", "after", 10, f"yes{bad}", 1, 0, "none", ""]]
    answers.write_text("\n".join(",".join(str(c) for c in r) for r in rows) + "\n",
                       encoding="utf-8")
    common = ("-q", MINI, "--lang", "en")
    results = [esg("score", answers, *common, "--skip-invalid"),
               esg("validate", answers, *common),
               esg("improve", answers, *common, "--skip-invalid", "--before", "before",
                   "--after", "after")]
    for result in results:
        both = result.stdout + result.stderr
        assert result.exit_code in (0, 3), both
        assert "\ufffd" in both, both
        for control in ("\x1b", "\x9b", "\u202e", "\x08", "\x7f"):
            assert control not in both, (control, both)


def test_the_console_keeps_its_own_colours_and_replaces_only_the_input_text(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.text import Text

    from esgcli.cli.render import make_console

    monkeypatch.setenv("FORCE_COLOR", "1")  # a terminal, so that styles are written
    monkeypatch.delenv("NO_COLOR", raising=False)
    console = make_console()
    console.file = io.StringIO()
    console.print(Text("ok\x1b[2Jend", style="red"), soft_wrap=True)
    out = console.file.getvalue()
    assert "\x1b[31m" in out and "ok\ufffd[2Jend" in out and "\x1b[2J" not in out
