"""Every command × output option is honoured or refused with exit 2 (SPEC §9), table-driven.

Each row: the command line (`{t}` is a folder for outputs, `{reg}` a registry holding the mini
example's certificates), the exit code, what stdout holds (`table`, `json`, `csv`, `text` or
`empty`) and the file that must be written (or, for a refusal, must not be).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import DATA, MINI, Runner
from openpyxl import load_workbook

ANSWERS = DATA / "mini.xlsx"
POLICY = DATA / "mini-policy.yaml"
SCORE = ["score", ANSWERS, "-q", MINI]
IMPROVE = ["improve", ANSWERS, "-q", MINI]
CERTIFY = ["certify", ANSWERS, "-q", MINI, "--policy", POLICY, "--year", "2024", "--registry",
           "{t}/new.sqlite"]
VALIDATE = ["validate", ANSWERS, "-q", MINI]
NUMBER = "MINI-2024-001"

CASES: list[tuple[str, list[object], int, str, str | None]] = [
    # esg score
    ("score", SCORE, 0, "table", None),
    ("score json", [*SCORE, "--format", "json"], 0, "json", None),
    ("score csv", [*SCORE, "--format", "csv"], 0, "csv", None),
    ("score -o json", [*SCORE, "-o", "{t}/s.json"], 0, "empty", "s.json"),
    ("score -o csv", [*SCORE, "-o", "{t}/s.csv"], 0, "empty", "s.csv"),
    ("score -o xlsx", [*SCORE, "-o", "{t}/s.xlsx"], 0, "empty", "s.xlsx"),
    ("score -o txt", [*SCORE, "-o", "{t}/s.txt"], 2, "empty", "s.txt"),
    ("score -o xlsx + json", [*SCORE, "-o", "{t}/s.xlsx", "--format", "json"], 0, "json", "s.xlsx"),
    ("score -o json + csv", [*SCORE, "-o", "{t}/s.json", "--format", "csv"], 0, "csv", "s.json"),
    ("score --detail table", [*SCORE, "--detail"], 2, "empty", None),
    ("score --detail json", [*SCORE, "--detail", "--format", "json"], 0, "json", None),
    ("score --detail csv", [*SCORE, "--detail", "--format", "csv"], 0, "csv", None),
    ("score --detail -o xlsx", [*SCORE, "--detail", "-o", "{t}/d.xlsx"], 0, "empty", "d.xlsx"),
    ("score --explain", [*SCORE, "--explain", "A001"], 0, "table", None),
    ("score --explain --detail", [*SCORE, "--explain", "A001", "--detail"], 0, "table", None),
    ("score --explain json", [*SCORE, "--explain", "A001", "--format", "json"], 0, "json", None),
    ("score --explain csv", [*SCORE, "--explain", "A001", "--format", "csv"], 0, "csv", None),
    ("score --explain -o json", [*SCORE, "--explain", "A001", "-o", "{t}/e.json"], 0, "empty",
     "e.json"),
    ("score --explain -o csv", [*SCORE, "--explain", "A001", "-o", "{t}/e.csv"], 0, "empty", "e.csv"),
    ("score --explain -o xlsx", [*SCORE, "--explain", "A001", "-o", "{t}/e.xlsx"], 0, "empty",
     "e.xlsx"),
    # esg validate
    ("validate", VALIDATE, 0, "text", None),
    ("validate json", [*VALIDATE, "--format", "json"], 0, "json", None),
    ("validate csv", [*VALIDATE, "--format", "csv"], 0, "csv", None),
    # esg improve
    ("improve", IMPROVE, 0, "table", None),
    ("improve json", [*IMPROVE, "--format", "json"], 0, "json", None),
    ("improve csv", [*IMPROVE, "--format", "csv"], 0, "csv", None),
    ("improve --sort after json", [*IMPROVE, "--sort", "after", "--format", "json"], 0, "json", None),
    ("improve --sort id", [*IMPROVE, "--sort", "id"], 0, "table", None),
    ("improve -o json", [*IMPROVE, "-o", "{t}/i.json"], 0, "empty", "i.json"),
    ("improve -o csv", [*IMPROVE, "-o", "{t}/i.csv"], 0, "empty", "i.csv"),
    ("improve -o xlsx", [*IMPROVE, "-o", "{t}/i.xlsx"], 0, "empty", "i.xlsx"),
    ("improve -o xlsx + json", [*IMPROVE, "-o", "{t}/i.xlsx", "--format", "json"], 0, "json",
     "i.xlsx"),
    ("improve -o json + csv", [*IMPROVE, "-o", "{t}/i.json", "--format", "csv"], 0, "csv", "i.json"),
    # esg template
    ("template", ["template", "-q", MINI, "-o", "{t}/t.xlsx"], 0, "empty", "t.xlsx"),
    ("template -o csv", ["template", "-q", MINI, "-o", "{t}/t.csv"], 2, "empty", "t.csv"),
    # esg certify
    ("certify", [*CERTIFY, "--dry-run"], 0, "table", None),
    ("certify json", [*CERTIFY, "--dry-run", "--format", "json"], 0, "json", None),
    ("certify csv", [*CERTIFY, "--dry-run", "--format", "csv"], 0, "csv", None),
    ("certify -o xlsx", [*CERTIFY, "--dry-run", "-o", "{t}/c.xlsx"], 0, "empty", "c.xlsx"),
    ("certify -o csv + json", [*CERTIFY, "--dry-run", "-o", "{t}/c.csv", "--format", "json"], 0,
     "json", "c.csv"),
    ("certify --documents", [*CERTIFY, "--documents", "{t}/docs"], 0, "table", "docs"),
    ("certify --documents --dry-run", [*CERTIFY, "--dry-run", "--documents", "{t}/docs"], 2,
     "empty", "docs"),
    ("certify --round --after", [*CERTIFY, "--dry-run", "--round", "사후", "--after", "사후"], 2,
     "empty", None),
    # esg report
    *[(f"report -o {ext}", ["report", ANSWERS, "-q", MINI, "--year", "2024", "-o", f"{{t}}/r.{ext}"],
       0, "empty", f"r.{ext}") for ext in ("xlsx", "html", "md", "json")],
    ("report -o csv", ["report", ANSWERS, "-q", MINI, "--year", "2024", "-o", "{t}/r.csv"], 2,
     "empty", "r.csv"),
    ("report --before only", ["report", ANSWERS, "-q", MINI, "--year", "2024", "--before", "사전",
                              "-o", "{t}/r.json"], 2, "empty", "r.json"),
    # esg certs
    ("certs list", ["certs", "list", "--registry", "{reg}"], 0, "table", None),
    ("certs list json", ["certs", "list", "--registry", "{reg}", "--format", "json"], 0, "json", None),
    ("certs list csv", ["certs", "list", "--registry", "{reg}", "--format", "csv"], 0, "csv", None),
    ("certs list --status", ["certs", "list", "--registry", "{reg}", "--status", "revoked",
                             "--format", "json"], 0, "json", None),
    ("certs list --status activ", ["certs", "list", "--registry", "{reg}", "--status", "activ"], 2,
     "empty", None),
    ("certs show", ["certs", "show", NUMBER, "--registry", "{reg}"], 0, "table", None),
    ("certs show json", ["certs", "show", NUMBER, "--registry", "{reg}", "--format", "json"], 0,
     "json", None),
    ("certs show csv", ["certs", "show", NUMBER, "--registry", "{reg}", "--format", "csv"], 0, "csv",
     None),
    ("certs verify", ["certs", "verify", NUMBER, "--registry", "{reg}"], 0, "table", None),
    ("certs verify json", ["certs", "verify", NUMBER, "--registry", "{reg}", "--format", "json"], 0,
     "json", None),
    ("certs verify csv", ["certs", "verify", NUMBER, "--registry", "{reg}", "--format", "csv"], 0,
     "csv", None),
    *[(f"certs export {ext}", ["certs", "export", "--registry", "{reg}", "-o", f"{{t}}/x.{ext}"], 0,
       "empty", f"x.{ext}") for ext in ("xlsx", "csv", "json")],
    # esg questionnaire / policy
    *[(f"{group} list {fmt}", [group, "list", "--format", fmt], 0, fmt, None)
      for group in ("questionnaire", "policy") for fmt in ("table", "json", "csv")],
    *[(f"questionnaire show {fmt}", ["questionnaire", "show", MINI, "--format", fmt], 0, fmt, None)
      for fmt in ("table", "json", "csv")],
    *[(f"policy show {fmt}", ["policy", "show", POLICY, "--format", fmt], 0, fmt, None)
      for fmt in ("table", "json", "csv")],
    *[(f"questionnaire diff {fmt}", ["questionnaire", "diff", MINI, DATA / "mini-v2.yaml", "--format",
                                     fmt], 0, fmt, None) for fmt in ("table", "json", "csv")],
    *[(f"{group} check {fmt}", [group, "check", MINI, POLICY, "--format", fmt], 0,
       "text" if fmt == "table" else fmt, None)
      for group in ("questionnaire", "policy") for fmt in ("table", "json", "csv")],
]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("registry")
    path = folder / "r.sqlite"
    made = Runner()("certify", ANSWERS, "-q", MINI, "--policy", POLICY, "--year", 2024,
                    "--registry", path, "--date", "2024-12-01")
    assert made.exit_code == 0, made.stderr
    return path


def kind_of(stdout: str) -> str:
    if stdout == "":
        return "empty"
    if stdout.startswith("✓"):
        return "text"
    if any(c in stdout for c in "┃│┏━─"):
        return "table"
    try:
        json.loads(stdout)
        return "json"
    except ValueError:
        pass
    rows = list(csv.reader(io.StringIO(stdout)))
    # a header alone is CSV too (validate on a file with no problem)
    if rows and len(rows[0]) > 2 and all(len(r) == len(rows[0]) for r in rows):
        return "csv"
    return "text"


@pytest.mark.parametrize(("args", "code", "stdout", "written"),
                         [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_option_is_honoured_or_refused(esg, tmp_path: Path, registry: Path,  # noqa: ANN001
                                       args: list[object], code: int, stdout: str,
                                       written: str | None) -> None:
    line = [str(a).format(t=tmp_path, reg=registry) for a in args]
    result = esg(*line, "--lang", "en", COLUMNS="160")
    assert result.exit_code == code, result.stderr
    assert kind_of(result.stdout) == stdout, result.stdout
    if written is not None:
        assert (tmp_path / written).exists() == (code == 0)


GROUPS = ("certs", "questionnaire", "policy")


def _path(args: list[object]) -> str:
    return " ".join(str(a) for a in args[:2]) if args[0] in GROUPS else str(args[0])


def test_the_table_covers_the_commands() -> None:
    """Every command of the table exists, and each command listed here has rows (commands added
    by later work are to be added to CASES and to this list)."""
    from typer.main import get_command

    from esgcli.cli.app import app

    def leaves(group: object, prefix: tuple[str, ...] = ()) -> set[str]:
        names: set[str] = set()
        for name, command in getattr(group, "commands", {}).items():
            names |= leaves(command, (*prefix, name)) if hasattr(command, "commands") \
                else {" ".join((*prefix, name))}
        return names

    covered = {_path(case[1]) for case in CASES}
    assert covered <= leaves(get_command(app))
    assert covered == {
        "score", "validate", "improve", "template", "certify", "report", "certs list",
        "certs show", "certs verify", "certs export", "questionnaire list", "questionnaire show",
        "questionnaire diff", "questionnaire check", "policy list", "policy show", "policy check"}


def test_explain_outputs_are_the_supplier_indicators(esg, tmp_path: Path) -> None:  # noqa: ANN001
    detail = esg(*SCORE, "--detail", "--format", "csv").stdout.splitlines()
    explained = esg(*SCORE, "--explain", "A001", "--format", "csv").stdout.splitlines()
    assert explained == [detail[0]] + [r for r in detail[1:] if r.startswith("A001,")]
    esg(*SCORE, "--explain", "A001", "-o", tmp_path / "e.csv")
    assert (tmp_path / "e.csv").read_text(encoding="utf-8-sig").splitlines() == explained
    esg(*SCORE, "--explain", "A001", "-o", tmp_path / "e.json")
    assert json.loads((tmp_path / "e.json").read_text(encoding="utf-8")) == json.loads(
        esg(*SCORE, "--explain", "A001", "--format", "json").stdout)
    esg(*SCORE, "--explain", "A001", "-o", tmp_path / "e.xlsx")
    book = load_workbook(tmp_path / "e.xlsx")
    assert [r[0] for r in book["scores"].iter_rows(min_row=2, values_only=True)] == ["A001", "A001"]


def test_refusals_say_why(esg) -> None:  # noqa: ANN001
    detail = esg(*SCORE, "--detail", "--lang", "en")
    assert detail.stderr.splitlines()[-1] == (
        "error: --detail adds every indicator to JSON, CSV and -o output; on the terminal use "
        "--explain SUPPLIER_ID to see one supplier indicator by indicator")
    docs = esg(*[str(a).format(t="/tmp") for a in CERTIFY], "--dry-run", "--documents", "d",
               "--lang", "en")
    assert docs.stderr.splitlines()[-1] == \
        "error: --dry-run writes nothing, so it cannot be combined with --documents"


def test_improve_sort_orders_json_and_csv(esg) -> None:  # noqa: ANN001
    example = ["improve", Path(__file__).parent.parent / "examples" / "suppliers.xlsx"]
    by_id = json.loads(esg(*example, "--format", "json").stdout)["suppliers"]
    by_after = json.loads(esg(*example, "--format", "json", "--sort", "after").stdout)["suppliers"]
    assert [s["supplier_id"] for s in by_after] == [
        s["supplier_id"] for s in sorted(by_id, key=lambda s: -s["compliance"]["after"])]
    assert [s["supplier_id"] for s in by_id] != [s["supplier_id"] for s in by_after]
    rows = list(csv.DictReader(io.StringIO(esg(*example, "--format", "csv", "--sort", "delta").stdout)))
    deltas = [float(r["compliance.delta_pp"]) for r in rows]
    assert deltas == sorted(deltas, reverse=True)
