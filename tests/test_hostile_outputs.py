"""Issue 13 classes 2 and 11, issue 12 item 4: what `-o` may replace, and output paths that
cannot be written (exit 2 with the cause, nothing partial left behind)."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, MINI, write_xlsx

from esgcli.base.problems import UsageError
from esgcli.outputs.files import write_atomic, write_text

HEADER = ["supplier_id", "supplier_name", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
GOOD = ["yes", 3, 30, "manager,training,ppe", None]
POLICY = DATA / "mini-policy.yaml"


def _answers(tmp: Path, name: str = "a.xlsx") -> Path:
    return write_xlsx(tmp / name, [HEADER, ["S1", "가", "사전", 10, *GOOD],
                                   ["S1", "가", "사후", 10, *GOOD]])


def _registry(esg, tmp: Path, name: str) -> Path:  # noqa: ANN001
    reg = tmp / name
    result = esg("certify", _answers(tmp, "for-reg.xlsx"), "--policy", POLICY, "-q", MINI,
                 "--year", 2024, "--round", "사후", "--registry", reg)
    assert result.exit_code == 0, result.stderr
    return reg


def _commands(answers: Path, reg: Path, out: Path) -> dict[str, tuple[object, ...]]:
    return {
        "score": ("score", answers, "-q", MINI, "-o", out),
        "improve": ("improve", answers, "-q", MINI, "-o", out),
        "certify": ("certify", answers, "--policy", POLICY, "-q", MINI, "--year", 2024,
                    "--round", "사후", "--registry", reg, "--dry-run", "-o", out),
        "report": ("report", answers, "-q", MINI, "--year", 2024, "-o", out),
        "export": ("certs", "export", "--registry", reg, "-o", out),
        "template": ("template", "-q", MINI, "-o", out),
    }


@pytest.mark.parametrize("command", ["score", "improve", "certify", "report", "export", "template"])
def test_no_output_replaces_a_registry_or_answers_without_force(esg, tmp_path: Path,  # noqa: ANN001
                                                                command: str) -> None:
    answers = _answers(tmp_path)
    reg = _registry(esg, tmp_path, "r.sqlite")
    for victim in ("other-registry.xlsx", "filled.xlsx", "filled.csv"):
        if command in ("template", "report") and victim.endswith(".csv"):
            continue
        target = tmp_path / victim
        if "registry" in victim:
            shutil.copy(reg, target)
        elif victim.endswith(".csv"):
            target.write_text(",".join(HEADER) + "\nS9,x,,10,yes,3,30,none,\n", encoding="utf-8")
        else:
            _answers(tmp_path, victim)
        before = target.read_bytes()
        result = esg(*_commands(answers, reg, target)[command])
        assert result.exit_code == 2, (victim, result.stdout + result.stderr)
        code = "OUT-006" if "registry" in victim else "OUT-007"
        assert code in result.stderr, result.stderr
        assert target.read_bytes() == before
        forced = esg(*_commands(answers, reg, target)[command], "--force")
        assert forced.exit_code == 0, forced.stderr
        assert target.read_bytes() != before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_the_registry_of_the_run_is_never_replaced_even_with_force(esg, tmp_path: Path) -> None:  # noqa: ANN001
    answers = _answers(tmp_path)
    reg = _registry(esg, tmp_path, "r.xlsx")
    before = reg.read_bytes()
    for extra in ((), ("--force",)):
        result = esg(*_commands(answers, reg, reg)["certify"][:-3], "-o", reg, *extra)
        assert result.exit_code == 2
        result = esg("certs", "export", "--registry", reg, "-o", reg, *extra)
        assert result.exit_code == 2
    assert reg.read_bytes() == before


def test_questionnaire_and_policy_files_are_inputs(esg, tmp_path: Path) -> None:  # noqa: ANN001
    answers = _answers(tmp_path)
    q = tmp_path / "q.json"
    q.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    before = q.read_bytes()
    policy = tmp_path / "p.json"
    policy.write_text(POLICY.read_text(encoding="utf-8"), encoding="utf-8")
    for args in (("score", answers, "-q", q, "-o", q),
                 ("certify", answers, "-q", q, "--policy", policy, "--year", 2024, "--dry-run",
                  "--round", "사후", "--registry", tmp_path / "r.sqlite", "-o", policy)):
        for extra in ((), ("--force",)):
            result = esg(*args, *extra)
            assert result.exit_code == 2, result.stdout + result.stderr
            assert "input" in result.stderr or "입력 파일" in result.stderr
    assert q.read_bytes() == before


def test_results_and_empty_templates_are_simply_replaced(esg, tmp_path: Path) -> None:  # noqa: ANN001
    answers = _answers(tmp_path)
    reg = _registry(esg, tmp_path, "r.sqlite")
    for command, suffixes in (("score", (".xlsx", ".csv", ".json")), ("improve", (".xlsx", ".csv")),
                              ("certify", (".xlsx", ".csv")), ("export", (".xlsx", ".csv")),
                              ("report", (".xlsx",)), ("template", (".xlsx",))):
        for suffix in suffixes:
            out = tmp_path / f"{command}{suffix}"
            for _ in range(2):
                result = esg(*_commands(answers, reg, out)[command])
                assert result.exit_code == 0, (command, suffix, result.stderr)


@pytest.mark.parametrize("where", ["folder", "under a file", "proc", "missing folder"])
def test_unwritable_output_paths_are_usage_errors(esg, tmp_path: Path, where: str) -> None:  # noqa: ANN001
    answers = _answers(tmp_path)
    target = {"folder": tmp_path / "out.json", "under a file": answers / "out.json",
              "proc": Path("/proc/out.json"),
              "missing folder": tmp_path / "no-such" / "folder" / "out.json"}[where]
    if where == "folder":
        target.mkdir()
    result = esg("score", answers, "-q", MINI, "-o", target, "--lang", "en")
    assert result.exit_code == 2, result.stdout + result.stderr
    code = {"folder": "OUT-003", "under a file": "OUT-004", "proc": "OUT-005",
            "missing folder": "OUT-013"}[where]
    assert code in result.stderr and str(target) in result.stderr
    assert "Traceback" not in result.stderr


def _esg_exe() -> str:
    return shutil.which("esg") or str(Path(sys.executable).parent / "esg")


def test_a_full_disk_for_output_or_stdout_is_exit_2_with_the_cause(tmp_path: Path) -> None:
    answers = write_xlsx(tmp_path / "a.xlsx", [HEADER, *[[f"S{i}", "가", None, 10, *GOOD]
                                                         for i in range(300)]])

    def limited() -> None:  # files may grow to 20 kB: a "full disk" for this run
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    out = tmp_path / "out.json"
    run = subprocess.run([_esg_exe(), "score", str(answers), "-q", str(MINI), "--detail", "-o",
                          str(out), "--lang", "en"], preexec_fn=limited, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "OUT-005" in run.stderr and "File too large" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]
    with open(os.devnull if not Path("/dev/full").exists() else "/dev/full", "wb") as full:
        run = subprocess.run([_esg_exe(), "score", str(answers), "-q", str(MINI), "--format",
                              "json"], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "OUT-008" in run.stderr


def test_nothing_is_named_in_the_folder_until_the_output_is_complete(tmp_path: Path) -> None:
    """A run killed while writing leaves no temporary file: the data has no name until done."""
    seen: list[list[str]] = []

    def write(temp: Path) -> None:
        temp.write_text("partial", encoding="utf-8")
        seen.append(sorted(p.name for p in tmp_path.iterdir()))

    write_atomic(tmp_path / "out.json", write)
    assert seen == [[]]
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == "partial"

    def fail(temp: Path) -> None:
        temp.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(UsageError) as info:
        write_atomic(tmp_path / "second.json", fail)
    assert "OUT-005" in info.value.en and "No space left on device" in info.value.en
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    write_text(tmp_path / "out.json", "again")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
