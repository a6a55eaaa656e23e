"""Certificate documents (`esg certify --documents DIR`): the folder is checked before anything
is recorded, a re-run writes the documents that are missing, and every number has its own file."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DATA, MINI, write_xlsx

from esgcli.reports.certificates import document_name

POLICY = DATA / "mini-policy.yaml"
HEADER = ["supplier_id", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
GOOD = ["yes", 3, 30, "manager,training,ppe", None]


def certify(esg, answers: Path, registry: Path, *extra: object, policy: Path = POLICY):  # noqa: ANN001, ANN201
    return esg("certify", answers, "--policy", policy, "-q", MINI, "--year", 2024,
               "--registry", registry, "--date", "2024-12-01", "--format", "json", *extra,
               ESG_LANG="en")


def _answers(tmp_path: Path, *suppliers: str) -> Path:
    return write_xlsx(tmp_path / "a.xlsx", [HEADER, *([s, None, 10, *GOOD] for s in suppliers)])


def test_bad_folder_is_refused_before_anything_is_recorded(esg, tmp_path: Path) -> None:  # noqa: ANN001
    data = _answers(tmp_path, "S1")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    registry = tmp_path / "reg.sqlite"
    for folder in (blocker, blocker / "below"):
        result = certify(esg, data, registry, "--documents", folder)
        assert result.exit_code == 2, result.stderr
        assert f"cannot write certificate documents to {folder}" in result.stderr
        assert "Nothing was recorded" in result.stderr and "Traceback" not in result.stderr
    listing = esg("certs", "list", "--registry", registry, "--format", "json")
    assert listing.exit_code == 4 or json.loads(listing.stdout) == []


def test_a_rerun_writes_the_missing_documents(esg, tmp_path: Path) -> None:  # noqa: ANN001
    data = _answers(tmp_path, "S1", "S2", "S3")
    registry, docs = tmp_path / "reg.sqlite", tmp_path / "docs"
    first = certify(esg, data, registry, "--documents", docs)
    assert first.exit_code == 0, first.stderr
    assert "certificate documents: 3 written (0 already there)" in first.stderr
    assert sorted(p.name for p in docs.iterdir()) == [
        "MINI-2024-001.html", "MINI-2024-002.html", "MINI-2024-003.html"]
    kept = (docs / "MINI-2024-001.html").stat().st_mtime_ns
    (docs / "MINI-2024-002.html").unlink()  # e.g. lost when the disk filled after the commit
    again = certify(esg, data, registry, "--documents", docs)
    assert again.exit_code == 0 and "1 written (2 already there)" in again.stderr
    assert (docs / "MINI-2024-002.html").read_text(encoding="utf-8").count("MINI-2024-002") >= 1
    assert (docs / "MINI-2024-001.html").stat().st_mtime_ns == kept
    assert json.loads(again.stdout)["summary"]["existing"] == 3


def test_numbers_that_clean_to_one_name_get_two_files_and_long_ids_fit(esg, tmp_path: Path) -> None:  # noqa: ANN001
    policy = tmp_path / "p.yaml"
    policy.write_text(POLICY.read_text(encoding="utf-8").replace('"MINI-{year}-{seq:03d}"',
                                                                 '"C-{supplier_id}"'), encoding="utf-8")
    long_id = "협력사" * 120  # 1,080 bytes in UTF-8: too long for a file name
    suppliers = ["A/1", "A_1", "a_1", "A 1", "CON", long_id]
    data = _answers(tmp_path, *suppliers)
    docs = tmp_path / "docs"
    result = certify(esg, data, tmp_path / "reg.sqlite", "--documents", docs, policy=policy)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in docs.iterdir())
    assert len(names) == len(suppliers) == len({n.lower() for n in names})
    assert all(len(n.encode()) <= 255 for n in names)
    for supplier in suppliers:
        text = (docs / document_name(f"C-{supplier}")).read_text(encoding="utf-8")
        assert supplier in text
    assert document_name("MINI-2024-001") == "MINI-2024-001.html"
    assert document_name("C-A/1") != document_name("C-A_1") != document_name("c-a_1")
