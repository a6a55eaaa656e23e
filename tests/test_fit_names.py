"""Names that differ only in the middle stay told apart in narrow tables, ids are never cut
(issue 12 item 9; SPEC §9)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA, MINI, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from esgcli.cli.fit import Column, fit_table, short_names, shorten, strip_corporate

SAMSUNG = ["Samsung Precision Machinery Industries Co., Ltd.",
           "Samsung Precision Machinery Industrial Co., Ltd."]
PLANTS = ["(주)효성중공업 창원1공장", "(주)효성중공업 창원2공장"]
POLICY = DATA / "mini-policy.yaml"


def abbreviates(shown: str, name: str) -> bool:
    """``shown`` is ``name`` with parts left out at its `…`: each piece in order, the first
    at the start and the last at the end unless an ellipsis stands there."""
    pieces = shown.split("…")
    if not name.startswith(pieces[0]):
        return False
    at = len(pieces[0])
    for piece in pieces[1:-1]:
        found = name.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return len(pieces) == 1 or name.endswith(pieces[-1]) and len(name) - len(pieces[-1]) >= at


def test_names_that_differ_in_the_middle_show_where() -> None:
    """The review's case: `Sams… Ltd.` / `Sam…, Ltd.` told the two apart by a split alone."""
    assert short_names(SAMSUNG, 16) == ["Sams…Industries…", "Sams…Industrial…"]
    assert short_names(SAMSUNG, 14) == ["…Industries C…", "…Industrial C…"]
    for width in range(8, 40):
        shown = short_names(SAMSUNG, width)
        assert shown[0] != shown[1] and all(cell_len(s) <= width for s in shown)
        assert all(abbreviates(s, n) for s, n in zip(shown, SAMSUNG, strict=True))
        # neither is a possible shortening of the other: what differs is in view
        assert not abbreviates(shown[0], SAMSUNG[1]) and not abbreviates(shown[1], SAMSUNG[0])


def test_korean_names_differ_by_one_digit_in_the_middle() -> None:
    for width in range(8, 24):
        shown = short_names(PLANTS, width)
        assert all(cell_len(s) <= width for s in shown), (width, shown)
        assert "1" in shown[0] and "2" in shown[1], (width, shown)
        assert not abbreviates(shown[0], PLANTS[1]) and not abbreviates(shown[1], PLANTS[0])
    assert short_names(PLANTS, 10) == ["효성…1공장", "효성…2공장"]  # the legal form dropped


def test_a_kept_legal_form_is_shown_with_what_differs_in_the_rest() -> None:
    """`(주)X 1공장` beside `X 1공장` keeps `(주)`; beside `(주)X 2공장` it still shows its `1`."""
    names = [PLANTS[0], "효성중공업 창원1공장", PLANTS[1]]
    for width in range(8, 24):
        shown = short_names(names, width)
        assert len(set(shown)) == 3 and all(cell_len(s) <= width for s in shown), shown
        assert shown[0].startswith("(주)") and "1" in shown[0], (width, shown)
        assert not shown[1].startswith("(주)") and "1" in shown[1], (width, shown)


def test_the_same_name_twice_is_shown_the_same() -> None:
    names = [SAMSUNG[0], SAMSUNG[1], SAMSUNG[0]]
    shown = short_names(names, 12)
    assert shown[0] == shown[2] != shown[1]


def test_a_name_that_ends_where_another_goes_on() -> None:
    names = ["Hanil Steel Works Korea", "Hanil Steel Works Korea Busan Plant"]
    for width in range(8, 30):
        shown = short_names(names, width)
        assert shown[0] != shown[1] and all(abbreviates(s, n) for s, n in zip(shown, names,
                                                                                strict=True))


NAME_CHARS = st.sampled_from(list("abcXYZ 019.,&()-") + list("가나다주식회사공장"))


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(NAME_CHARS, min_size=1, max_size=40), min_size=1, max_size=12,
                unique=True), st.integers(min_value=6, max_value=40))
def test_shortened_names_fit_are_genuine_and_distinct(names: list[str], width: int) -> None:
    """Every shortened name fits, is its own name with parts left out (the legal form may be
    dropped), and two different names look different: from 8 cells on always, below unless
    `shorten` says it could not."""
    result = shorten(names, width)
    assert len(result.names) == len(names)
    for shown, name in zip(result.names, names, strict=True):
        assert cell_len(shown) <= width or cell_len(name) <= width, (shown, width)
        assert abbreviates(shown, name) or abbreviates(shown, strip_corporate(name)), (shown, name)
    assert result.clashes == 0 or width < 8
    if result.clashes == 0:
        assert len(set(result.names)) == len(names), result.names


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.text(NAME_CHARS, max_size=30), st.text(NAME_CHARS, max_size=30),
       st.text(NAME_CHARS, min_size=1, max_size=8), st.text(NAME_CHARS, min_size=1, max_size=8),
       st.integers(min_value=8, max_value=40))
def test_two_names_differing_in_the_middle(head: str, tail: str, one: str, other: str,
                                           width: int) -> None:
    """Two names with one part different are always told apart from 8 cells on."""
    names = [head + one + tail, head + other + tail]
    if names[0] == names[1]:
        return
    result = shorten(names, width)
    assert result.clashes == 0
    assert result.names[0] != result.names[1]
    assert all(cell_len(s) <= width for s in result.names)


def test_many_names_of_one_prefix_all_told_apart() -> None:
    names = [f"Samsung Precision Machinery Industries Branch {i:05d} Co., Ltd."
             for i in range(2000)]
    result = shorten(names, 12)
    assert result.clashes == 0 and len(set(result.names)) == len(names)
    assert all(f"{i:05d}" in shown for i, shown in enumerate(result.names))  # what differs


def _render(fitted_table: object, width: int) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(fitted_table)
    return console.export_text()


def test_names_that_cannot_be_told_apart_take_room_from_droppable_columns() -> None:
    """`x`×20 … `x`×39 differ in length only: shortened, no text tells them apart; the
    droppable column gives way so that the names get room."""
    names = ["x" * n for n in range(20, 40)]
    ids = [Text(f"S{n:03d}") for n in range(20, 40)]
    columns = [Column("ID", ids, "key"), Column("Name", [Text(n) for n in names], "name"),
               Column("Rate", [Text("100.0%")] * len(names), justify="right", drop=1)]
    assert shorten(names, 31).clashes > 0
    fitted = fit_table(columns, 45)
    text = _render(fitted.table, 45)
    assert fitted.dropped == ["Rate"]
    rows = [line.split()[1] for line in text.splitlines() if line.startswith("S0")]
    assert len(set(rows)) == len(names)


def test_names_left_out_when_nothing_can_tell_them_apart() -> None:
    names = ["x" * n for n in range(20, 60)]
    ids = [Text(f"S{n:03d}") for n in range(20, 60)]
    columns = [Column("ID", ids, "key"), Column("Name", [Text(n) for n in names], "name"),
               Column("Rate", [Text("100.0%")] * len(names), justify="right")]
    fitted = fit_table(columns, 24)
    assert fitted.dropped == ["Name"]
    text = _render(fitted.table, 24)
    assert "xxx" not in text and text.count("100.0%") == len(names)


# --- from the command line ----------------------------------------------------------------

LONG = {"A001": SAMSUNG[0], "A002": SAMSUNG[1], "A003": PLANTS[0], "1234": PLANTS[1]}


def long_names(tmp_path: Path) -> Path:
    """tests/data/mini.xlsx with long names that differ only in the middle."""
    book = load_workbook(DATA / "mini.xlsx")
    for row in book.active.iter_rows(min_row=4):
        if str(row[0].value) in LONG:
            row[1].value = LONG[str(row[0].value)]
    path = tmp_path / "long.xlsx"
    book.save(path)
    return path


def name_cells(stdout: str, ids: list[str]) -> dict[str, set[str]]:
    """The name cell of each row of ``ids``: the column after the id."""
    found: dict[str, set[str]] = {}
    for line in stdout.splitlines():
        cells = [c.strip() for c in line.split("│")[1:]] if "│" in line else \
            [c.strip() for c in line.split("  ") if c.strip()]
        if cells and cells[0] in ids:
            found.setdefault(cells[0], set()).add(cells[1])
    return found


def _names_apart(stdout: str, width: int) -> None:
    assert all(cell_len(line) <= width for line in stdout.splitlines())
    shown = name_cells(stdout, list(LONG))
    assert set(shown) == set(LONG) and all(len(s) == 1 for s in shown.values()), shown
    cell = {ident: next(iter(s)) for ident, s in shown.items()}
    assert len(set(cell.values())) == len(LONG), cell
    for ident, text in cell.items():  # each its own name shortened, never another's
        assert abbreviates(text, LONG[ident]) or abbreviates(text, LONG[ident][3:]), text
        assert not any(abbreviates(text, other) or abbreviates(text, other[3:])
                       for o, other in LONG.items() if o != ident), text


@pytest.mark.parametrize("columns", ["80", "160"])
def test_score_long_names(esg, golden, tmp_path: Path, columns: str) -> None:  # noqa: ANN001
    result = esg("score", long_names(tmp_path), "-q", MINI, "--lang", "en", COLUMNS=columns)
    assert result.exit_code == 0, result.stderr
    _names_apart(result.stdout, int(columns))
    data = json.loads(esg("score", long_names(tmp_path), "-q", MINI, "--format", "json").stdout)
    for s in data["suppliers"]:  # every rate whole
        assert f"{s['compliance']:.1f}%" in result.stdout
    golden(f"score-names-{columns}.txt", result.stdout)


@pytest.mark.parametrize("columns", ["80", "160"])
def test_improve_long_names(esg, golden, tmp_path: Path, columns: str) -> None:  # noqa: ANN001
    result = esg("improve", long_names(tmp_path), "-q", MINI, "--lang", "en", COLUMNS=columns)
    assert result.exit_code == 0, result.stderr
    cells = {k: next(iter(v)) for k, v in name_cells(result.stdout, ["A001", "A002"]).items()}
    assert cells["A001"] != cells["A002"] and not abbreviates(cells["A001"], SAMSUNG[1])
    assert not abbreviates(cells["A002"], SAMSUNG[0])
    assert "…%" not in result.stdout and "+25.0 pp" in result.stdout
    golden(f"improve-names-{columns}.txt", result.stdout)


@pytest.mark.parametrize("columns", ["80", "160"])
def test_certify_long_names(esg, golden, tmp_path: Path, columns: str) -> None:  # noqa: ANN001
    shutil.copy(long_names(tmp_path), tmp_path / "mini.xlsx")
    result = esg("certify", "mini.xlsx", "--policy", POLICY, "-q", MINI, "--year", 2024,
                 "--round", "사전", "--registry", "reg.sqlite", "--date", "2024-12-01",
                 "--dry-run", "--lang", "en", cwd=tmp_path, COLUMNS=columns)
    assert result.exit_code == 0, result.stderr
    _names_apart(result.stdout, int(columns))
    golden(f"certify-names-{columns}.txt", result.stdout)


def test_policy_list_at_80_columns_cuts_no_id(esg) -> None:  # noqa: ANN001
    """Policy and questionnaire ids are identifiers: the path and other columns give way."""
    listed = json.loads(esg("policy", "list", "--format", "json", cwd=ROOT).stdout)
    for columns in ("80", "160"):
        result = esg("policy", "list", "--lang", "en", cwd=ROOT, COLUMNS=columns)
        assert result.exit_code == 0, result.stderr
        lines = result.stdout.splitlines()
        assert all(cell_len(line) <= int(columns) for line in lines)
        for entry in listed:
            row = next(line for line in lines if entry["id"] in line)
            assert entry["questionnaire"] in row and str(entry["criteria"]) in row
        assert "…" not in result.stdout
        if columns == "80":
            assert "TBL-001" in result.stderr and "path" in result.stderr
        else:
            assert "TBL-001" not in result.stderr and listed[0]["path"].split("/")[-1] in \
                result.stdout


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(st.one_of(NAME_CHARS, st.sampled_from(["\x00", "\t", "\u200b", "😀", "株"])),
                        max_size=30), min_size=1, max_size=10, unique=True),
       st.integers(min_value=3, max_value=40))
def test_vectorised_measures_agree_with_one_name_at_a_time(names: list[str], width: int) -> None:
    """The head/tail split and the common prefixes measured for all names at once (numpy) are
    those of the plain per-name functions, zero-width and control characters included."""
    from esgcli.cli.fit import _common, _measures, _shape, _split

    order = sorted(names)
    heads, tails, common = _measures(order, width)
    assert list(zip(heads.tolist(), tails.tolist(), strict=True)) == \
        [_split(_shape(b), width) for b in order]
    assert common.tolist() == [_common(a, b) for a, b in zip(order, order[1:], strict=False)] + [0]



def test_questionnaire_and_policy_lists_cut_no_id_or_count(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """A folder with a long questionnaire id: at 80 columns the id and the indicator counts
    stay whole (rich cut `G 12)` to `1…` and folded the id), the rest gives way with the note."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    long_id = "supplier-esg-manufacturing-2025-extended"
    text = (ROOT / "questionnaires" / "supplier-esg.yaml").read_text(encoding="utf-8")
    (folder / "long.yaml").write_text(text.replace("\nid: supplier-esg\n", f"\nid: {long_id}\n"),
                                      encoding="utf-8")
    policy = (ROOT / "questionnaires" / "esg-excellent.yaml").read_text(encoding="utf-8")
    (folder / "pol.yaml").write_text(policy.replace("id: esg-excellent", "id: esg-excellent-long")
                                     .replace("questionnaire: supplier-esg",
                                              f"questionnaire: {long_id}"), encoding="utf-8")
    listed = json.loads(esg("questionnaire", "list", "--format", "json", cwd=tmp_path).stdout)
    assert long_id in [e["id"] for e in listed]
    for columns in ("80", "160"):
        result = esg("questionnaire", "list", "--lang", "en", cwd=tmp_path, COLUMNS=columns)
        assert result.exit_code == 0, result.stderr
        assert all(cell_len(line) <= int(columns) for line in result.stdout.splitlines())
        for e in listed:
            areas = " ".join(f"{a} {n}" for a, n in e["areas"].items())
            row = next(line for line in result.stdout.splitlines() if e["id"] in line)
            assert f"{e['indicators']} ({areas})" in row
        policies = esg("policy", "list", "--lang", "en", cwd=tmp_path, COLUMNS=columns)
        row = next(line for line in policies.stdout.splitlines() if "esg-excellent-long" in line)
        assert long_id in row
        assert "…" not in result.stdout + policies.stdout
        if columns == "80":  # what gave way is named
            assert "TBL-001" in result.stderr and "TBL-001" in policies.stderr
