"""The certificate registry on both backends (SPEC §7, §14): revoked certificates, number scopes,
the event log, copying, concurrency, migrations, and every failure as exit 4 with its cause."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
from conftest import DATA, MINI, write_xlsx

from esgcli import RegistryError
from esgcli.questionnaire.policy import load_policy
from esgcli.registry.core import IssueRequest, open_registry

POLICY = DATA / "mini-policy.yaml"
HEADER = ["supplier_id", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
GOOD = ["yes", 3, 30, "manager,training,ppe", None]
BAD = ["no", 1, 0, "none", None]


def certify(esg, answers: Path, registry: str, *extra: object, policy: Path = POLICY,  # noqa: ANN001, ANN201
            questionnaire: Path = MINI):
    return esg("certify", answers, "--policy", policy, "-q", questionnaire, "--year", 2024,
               "--registry", registry, "--date", "2024-12-01", "--format", "json", *extra)


def answers(tmp_path: Path, *suppliers: str, name: str = "a.xlsx", bad: tuple[str, ...] = ()) -> Path:
    rows = [[s, None, 10, *(BAD if s in bad else GOOD)] for s in suppliers]
    return write_xlsx(tmp_path / name, [HEADER, *rows])


def certificates(result) -> dict[str, dict | None]:  # noqa: ANN001
    assert result.exit_code == 0, result.stderr
    return {s["supplier_id"]: s["certificate"] for s in json.loads(result.stdout)["suppliers"]}


def listed(esg, registry: str) -> list[dict]:  # noqa: ANN001
    result = esg("certs", "list", "--registry", registry, "--format", "json", "--date", "2025-01-01")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# ------------------------------------------------------------------ §7 revoked certificates
def test_revoked_certificate_is_reported_not_reissued(esg, tmp_path: Path, registry: str) -> None:  # noqa: ANN001
    data = answers(tmp_path, "S1", "S2")
    assert certificates(certify(esg, data, registry))["S1"]["number"] == "MINI-2024-001"
    revoke = esg("certs", "revoke", "MINI-2024-001", "--reason", "허위 증빙", "--registry", registry,
                 "--date", "2025-01-10", "--operator", "kim")
    assert revoke.exit_code == 0, revoke.stderr
    again = certify(esg, data, registry)
    assert certificates(again) == {
        "S1": {"number": "MINI-2024-001", "status": "revoked", "issued_on": "2024-12-01",
               "valid_until": "2026-11-30", "revoked_on": "2025-01-10", "revoke_reason": "허위 증빙"},
        "S2": {"number": "MINI-2024-002", "status": "existing", "issued_on": "2024-12-01",
               "valid_until": "2026-11-30"}}
    summary = json.loads(again.stdout)["summary"]
    assert (summary["issued"], summary["existing"], summary["revoked"]) == (0, 1, 1)
    assert [c["number"] for c in listed(esg, registry)] == ["MINI-2024-001", "MINI-2024-002"]
    table = esg("certify", data, "--policy", POLICY, "-q", MINI, "--year", 2024, "--registry",
                registry, "--date", "2024-12-01", "--lang", "en")
    assert "--reissue-revoked" in table.stderr and "revoked" in table.stdout
    for columns in ("80", "160"):  # the number says it is revoked, and why, at every width
        narrow = esg("certify", data, "--policy", POLICY, "-q", MINI, "--year", 2024, "--registry",
                     registry, "--date", "2024-12-01", "--lang", "ko", COLUMNS=columns)
        assert "취소됨: 허위 증빙" in narrow.stdout, narrow.stdout
    rows = esg("certify", data, "--policy", POLICY, "-q", MINI, "--year", 2024, "--registry",
               registry, "--date", "2024-12-01", "--format", "csv").stdout.splitlines()
    assert rows[0].endswith(",revoke_reason") and rows[1].endswith(",허위 증빙"), rows
    reissued = certify(esg, data, registry, "--reissue-revoked", "--operator", "lee")
    assert certificates(reissued)["S1"] == {
        "number": "MINI-2024-003", "status": "issued", "issued_on": "2024-12-01",
        "valid_until": "2026-11-30", "replaces": "MINI-2024-001"}
    shown = json.loads(esg("certs", "show", "MINI-2024-003", "--registry", registry,
                           "--format", "json").stdout)
    assert (shown["replaces"], shown["status"]) == ("MINI-2024-001", "active")
    assert certificates(certify(esg, data, registry))["S1"]["status"] == "existing"
    history = esg("certs", "history", "MINI-2024-001", "--registry", registry, "--format", "json")
    assert history.exit_code == 0, history.stderr
    events = json.loads(history.stdout)["events"]
    assert [(e["kind"], e["number"], e["operator"], e["detail"]) for e in events] == [
        ("issued", "MINI-2024-001", os.environ.get("USER") or events[0]["operator"], "S1"),
        ("revoked", "MINI-2024-001", "kim", "허위 증빙"),
        ("reissued", "MINI-2024-003", "lee", "MINI-2024-001")]
    assert events[0]["batch"] and events[0]["batch"] != events[2]["batch"]
    table = esg("certs", "history", "MINI-2024-001", "--registry", registry, "--lang", "en")
    assert table.exit_code == 0 and "re-issued" in table.stdout and "kim" in table.stdout
    for lang in ("ko", "en"):  # at 80 columns no time or certificate number is cut
        for columns in ("80", "160"):
            narrow = esg("certs", "history", "MINI-2024-001", "--registry", registry,
                         "--lang", lang, COLUMNS=columns)
            assert narrow.exit_code == 0, narrow.stderr
            assert "…" not in narrow.stdout, narrow.stdout
            assert narrow.stdout.count("MINI-2024-003") >= 1 and events[0]["at"] in narrow.stdout
    assert esg("certs", "history", "NOPE-1", "--registry", registry).exit_code == 4


def test_event_log_is_append_only(tmp_path: Path) -> None:
    path = tmp_path / "reg.sqlite"
    open_registry(path).close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO events (event_id, at, kind, number) VALUES ('e1', 'now', 'issued', 'X')")
    for sql in ("UPDATE events SET kind = 'revoked'", "DELETE FROM events"):
        with sqlite3.connect(path) as db, pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute(sql)


# ------------------------------------------------------------------ numbers
def test_two_policies_with_one_number_format_both_certify(esg, tmp_path: Path, registry: str) -> None:  # noqa: ANN001
    """Issue 13 #9: numbers are unique per format, so the second policy is not stuck forever."""
    other = tmp_path / "other.yaml"
    other.write_text(POLICY.read_text(encoding="utf-8").replace("id: mini-excellent",
                                                                "id: mini-other"), encoding="utf-8")
    data = answers(tmp_path, "S1", "S2")
    assert [c["number"] for c in certificates(certify(esg, data, registry)).values()] == [
        "MINI-2024-001", "MINI-2024-002"]
    second = certificates(certify(esg, data, registry, policy=other))
    assert [c["number"] for c in second.values()] == ["MINI-2024-003", "MINI-2024-004"]
    third = certificates(certify(esg, answers(tmp_path, "S1", "S2", "S3", name="b.xlsx"), registry))
    assert third["S3"]["number"] == "MINI-2024-005" and third["S1"]["status"] == "existing"
    assert [(c["number"], c["policy_id"]) for c in listed(esg, registry)] == [
        ("MINI-2024-001", "mini-excellent"), ("MINI-2024-002", "mini-excellent"),
        ("MINI-2024-005", "mini-excellent"), ("MINI-2024-003", "mini-other"),
        ("MINI-2024-004", "mini-other")]


def test_number_held_elsewhere_is_exit_4_naming_the_holder(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """A format without {seq} or {policy} cannot step over a taken number: say why, exit 4."""
    registry = str(tmp_path / "reg.sqlite")
    for name in ("p1", "p2"):
        text = POLICY.read_text(encoding="utf-8").replace("id: mini-excellent", f"id: {name}")
        (tmp_path / f"{name}.yaml").write_text(text.replace('"MINI-{year}-{seq:03d}"',
                                                            '"C-{supplier_id}"'), encoding="utf-8")
    data = answers(tmp_path, "S1")
    assert certificates(certify(esg, data, registry, policy=tmp_path / "p1.yaml"))["S1"]["number"] == "C-S1"
    clash = certify(esg, data, registry, "--lang", "en", policy=tmp_path / "p2.yaml")
    assert clash.exit_code == 4
    assert "C-S1 is already taken by p1 2024" in clash.stderr and "Traceback" not in clash.stderr


def _batch(location: str, suppliers: list[str], start: multiprocessing.synchronize.Barrier) -> None:  # type: ignore[name-defined]
    policy = load_policy(POLICY)
    registry = open_registry(location)
    start.wait(30)
    registry.issue(policy, 2024, dt.date(2024, 12, 1),
                   [IssueRequest(s, None, "after", 90.0, 90.0, "A", {"E": {"compliance": 90.0}})
                    for s in suppliers],
                   {"id": "mini", "version": "1", "sha256": "q"}, {"file": "a.xlsx", "sha256": "a"})
    registry.close()


def test_eight_concurrent_batches_unique_gap_free_numbers(registry: str) -> None:
    """8 processes issue at once: every number once, seq 1..N without gaps, one per supplier."""
    context = multiprocessing.get_context("fork")
    start = context.Barrier(8)
    shared = [f"C{i:02d}" for i in range(5)]  # in every batch
    procs = [context.Process(target=_batch, args=(registry, [f"P{k}-{i:02d}" for i in range(10)]
                                                  + shared, start)) for k in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * 8
    with open_registry(registry, readonly=True) as reg:
        certs = reg.certificates()
    assert len({c.number for c in certs}) == len(certs) == 85
    assert len({c.supplier_id for c in certs}) == 85
    assert sorted(c.seq for c in certs) == list(range(1, 86))


# ------------------------------------------------------------------ copy and both backends
def test_copy_sqlite_postgres_and_back_keeps_everything(esg, tmp_path: Path, postgres_server) -> None:  # noqa: ANN001
    source = str(tmp_path / "source.sqlite")
    data = answers(tmp_path, "S1", "S2", "S3")
    certify(esg, data, source)
    esg("certs", "revoke", "MINI-2024-002", "--reason", "x", "--registry", source, "--operator", "kim")
    certify(esg, data, source, "--reissue-revoked")
    postgres_server.reset()
    server = postgres_server.url()
    first = esg("certs", "copy", "--from", source, "--to", server, "--format", "json")
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout)["certificates"] == {"copied": 4, "updated": 0, "unchanged": 0}
    assert json.loads(first.stdout)["events"] == {"copied": 5, "unchanged": 0}
    again = json.loads(esg("certs", "copy", "--from", source, "--to", server, "--format", "json").stdout)
    assert again["certificates"] == {"copied": 0, "updated": 0, "unchanged": 4}
    assert again["events"] == {"copied": 0, "unchanged": 5}
    assert listed(esg, server) == listed(esg, source)
    for number in ("MINI-2024-002", "MINI-2024-004"):
        assert esg("certs", "history", number, "--registry", server, "--format", "json").stdout == \
            esg("certs", "history", number, "--registry", source, "--format", "json").stdout
    back = str(tmp_path / "back.sqlite")
    assert esg("certs", "copy", "--from", server, "--to", back).exit_code == 0
    assert listed(esg, back) == listed(esg, source)
    # a revocation made in the source later is carried over; numbering continues after the copy
    esg("certs", "revoke", "MINI-2024-001", "--reason", "y", "--registry", source)
    update = json.loads(esg("certs", "copy", "--from", source, "--to", server, "--format", "json").stdout)
    assert update["certificates"] == {"copied": 0, "updated": 1, "unchanged": 3}
    more = certificates(certify(esg, answers(tmp_path, "S4", name="b.xlsx"), server))
    assert more["S4"]["number"] == "MINI-2024-005"


def test_same_json_on_both_backends(esg, tmp_path: Path, postgres_server) -> None:  # noqa: ANN001
    postgres_server.reset()
    outputs = []
    data = answers(tmp_path, "S3", "S1", "S2", bad=("S2",))
    for location in (str(tmp_path / "reg.sqlite"), postgres_server.url()):
        runs = [certify(esg, data, location).stdout]
        esg("certs", "revoke", "MINI-2024-001", "--reason", "r", "--registry", location,
            "--date", "2025-01-01")
        runs.append(certify(esg, data, location).stdout)
        runs.append(certify(esg, data, location, "--reissue-revoked").stdout)
        runs = [{k: v for k, v in json.loads(r).items() if k != "registry"} for r in runs]
        certs = [{k: v for k, v in c.items() if k != "created_at"} for c in listed(esg, location)]
        shown = json.loads(esg("certs", "show", "MINI-2024-003", "--registry", location,
                               "--format", "json").stdout)
        shown.pop("created_at")
        history = json.loads(esg("certs", "history", "MINI-2024-001", "--registry", location,
                                 "--format", "json").stdout)
        kinds = [(e["kind"], e["number"], e["detail"]) for e in history["events"]]
        outputs.append((runs, certs, shown, kinds))
    assert outputs[0] == outputs[1]


# ------------------------------------------------------------------ migrations
V1 = """
CREATE TABLE certificates (number TEXT PRIMARY KEY, supplier_id TEXT NOT NULL, supplier_name TEXT,
  policy_id TEXT NOT NULL, policy_version TEXT NOT NULL, policy_sha256 TEXT, year INTEGER NOT NULL,
  seq INTEGER NOT NULL, issued_on TEXT NOT NULL, valid_until TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'revoked')), revoked_on TEXT, revoke_reason TEXT,
  questionnaire_id TEXT NOT NULL, questionnaire_version TEXT NOT NULL,
  questionnaire_sha256 TEXT NOT NULL, answers_file TEXT NOT NULL, answers_sha256 TEXT NOT NULL,
  answers_sheet TEXT, round TEXT, compliance REAL, score REAL, grade TEXT, areas TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE UNIQUE INDEX certificates_one_active ON certificates (supplier_id, policy_id, year)
  WHERE status = 'active';
CREATE UNIQUE INDEX certificates_seq ON certificates (policy_id, year, seq);
CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, number TEXT,
  detail TEXT);
INSERT INTO certificates VALUES ('MINI-2024-001', 'S9', NULL, 'mini-excellent', '1', NULL, 2024, 1,
  '2024-01-01', '2025-12-31', 'active', NULL, NULL, 'mini', '1', 'q', 'a.xlsx', 'a', NULL, NULL,
  90.0, 90.0, 'A', '{}', '2024-01-01T00:00:00+00:00');
INSERT INTO events (at, kind, number, detail) VALUES ('2024-01-01T00:00:00+00:00', 'issued',
  'MINI-2024-001', 'S9');
PRAGMA application_id = 1163085617;
PRAGMA user_version = 1;
"""


def test_schema_1_registry_is_migrated_and_numbering_continues(esg, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(V1)
    result = certificates(certify(esg, answers(tmp_path, "S1"), str(path)))
    assert result["S1"]["number"] == "MINI-2024-002"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        assert db.execute("SELECT count(*) FROM events WHERE event_id IS NULL").fetchone()[0] == 0
    history = json.loads(esg("certs", "history", "MINI-2024-001", "--registry", path,
                             "--format", "json").stdout)["events"]
    assert [(e["kind"], e["operator"], e["batch"]) for e in history] == [("issued", None, None)]


def test_newer_schema_is_refused_on_both(esg, tmp_path: Path, registry: str) -> None:  # noqa: ANN001
    open_registry(registry).close()
    if registry.startswith("postgresql"):
        import psycopg

        with psycopg.connect(registry, autocommit=True) as db:
            db.execute("INSERT INTO esgcli.schema_migrations VALUES (99, 'future', 'x')")
    else:
        with sqlite3.connect(registry) as db:
            db.execute("PRAGMA user_version = 99")
    for args in (("certify", answers(tmp_path, "S1"), "--policy", POLICY, "-q", MINI, "--year",
                  2024), ("certs", "list")):
        result = esg(*args, "--registry", registry, ESG_LANG="en")
        assert result.exit_code == 4
        assert "made by a newer esgcli (schema 99 > 2)" in result.stderr
        assert "pw-never-shown" not in result.stderr + result.stdout


# ------------------------------------------------------------------ failures: exit 4, the cause
def test_memory_and_unknown_registries_are_refused(esg, tmp_path: Path) -> None:  # noqa: ANN001
    data = answers(tmp_path, "S1")
    for location in (":memory:", ""):
        result = certify(esg, data, location, "--lang", "en")
        assert result.exit_code == 4 and "lives in memory and keeps nothing" in result.stderr
    result = certify(esg, data, "mysql://u:secret@db/esg", "--lang", "en")
    assert result.exit_code == 4 and "unsupported registry URL" in result.stderr
    assert "secret" not in result.stderr


def test_without_psycopg_exit_4_says_how_to_install(esg, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)
    result = esg("certs", "list", "--registry", "postgresql://u:pw@localhost/esg", ESG_LANG="en")
    assert result.exit_code == 4 and "pip install 'esgcli[postgres]'" in result.stderr


def test_disk_full_is_reported_not_hidden_by_the_rollback(tmp_path: Path) -> None:
    registry = open_registry(tmp_path / "reg.sqlite")
    policy = load_policy(POLICY)
    page_count = registry.backend.db.execute("PRAGMA page_count").fetchone()[0]
    registry.backend.db.execute(f"PRAGMA max_page_count = {page_count + 2}")
    requests = [IssueRequest(f"S{i:04d}", "x" * 200, None, 90.0, 90.0, "A", {"E": {"c": "y" * 200}})
                for i in range(300)]
    with pytest.raises(RegistryError) as caught:
        registry.issue(policy, 2024, dt.date(2024, 12, 1), requests,
                       {"id": "mini", "version": "1", "sha256": "q"}, {"file": "a", "sha256": "a"})
    assert caught.value.code == "REG-009" and caught.value.exit_code == 4
    assert "disk is full" in caught.value.text("en")
    registry.backend.db.execute("PRAGMA max_page_count = 1073741823")
    assert registry.certificates() == []  # nothing of the batch
    registry.close()


class _Unprivileged:
    """Run as `nobody` (we may be root, whom file modes do not stop) inside a folder it can read."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="esg-ro-"))
        self.folder.chmod(0o755)

    def __enter__(self) -> _Unprivileged:
        if os.geteuid() == 0:
            os.setegid(65534)
            os.seteuid(65534)
        return self

    def __exit__(self, *exc: object) -> None:
        if os.getuid() == 0:
            os.seteuid(0)
            os.setegid(0)


def test_read_only_registry_file_or_folder_exit_4_with_cause(esg, tmp_path: Path) -> None:  # noqa: ANN001
    import shutil

    place = _Unprivileged()
    try:
        data = answers(place.folder, "S1")
        data.chmod(0o644)
        # `nobody` may not reach the checkout (a clone inside a 0700 folder): it reads copies
        policy = Path(shutil.copy(POLICY, place.folder / POLICY.name))
        questionnaire = Path(shutil.copy(MINI, place.folder / MINI.name))
        for copied in (policy, questionnaire):
            copied.chmod(0o644)
        inputs = {"policy": policy, "questionnaire": questionnaire}
        registry = place.folder / "reg.sqlite"
        assert certify(esg, data, str(registry), **inputs).exit_code == 0
        registry.chmod(0o444)
        readonly_folder = place.folder / "ro"
        readonly_folder.mkdir()
        shutil.copy(registry, readonly_folder / "reg.sqlite")
        (readonly_folder / "reg.sqlite").chmod(0o666)
        readonly_folder.chmod(0o555)
        more = answers(place.folder, "S1", "S2", name="b.xlsx")
        more.chmod(0o644)
        with place:
            file_result = certify(esg, more, str(registry), "--lang", "en", **inputs)
            folder_result = certify(esg, more, str(readonly_folder / "reg.sqlite"), "--lang", "en", **inputs)
            new_result = certify(esg, more, str(readonly_folder / "new.sqlite"), "--lang", "en", **inputs)
            listing = esg("certs", "list", "--registry", registry, "--format", "json")
        assert file_result.exit_code == 4, file_result.stderr
        assert "cannot write the registry: the file is read-only" in file_result.stderr
        assert folder_result.exit_code == 4
        assert "cannot write the registry: the folder is read-only" in folder_result.stderr
        assert new_result.exit_code == 4 and "read-only" in new_result.stderr
        assert listing.exit_code == 0 and len(json.loads(listing.stdout)) == 1  # reading still works
        for result in (file_result, folder_result, new_result):
            assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    finally:
        shutil.rmtree(place.folder, ignore_errors=True)


def test_a_registry_in_a_folder_that_does_not_exist_is_not_made(esg, tmp_path: Path) -> None:  # noqa: ANN001
    """`--registry typo/r.sqlite` made the folders and a new, empty registry whose numbers began
    again at 0001, exit 0: the certificates of two registries would share numbers."""
    data = answers(tmp_path, "S1")
    typo = tmp_path / "registy" / "deeper" / "r.sqlite"
    result = certify(esg, data, str(typo), "--lang", "en")
    assert result.exit_code == 4, result.stdout + result.stderr
    assert "REG-023" not in result.stdout and "the folder" in result.stderr
    assert str(typo.parent) in result.stderr and not (tmp_path / "registy").exists()
    assert certificates(certify(esg, data, str(tmp_path / "r.sqlite")))["S1"] is not None
