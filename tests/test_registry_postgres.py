"""A PostgreSQL registry's own failures (SPEC §14): exit 4, the host named, no password shown;
a read-only role reads and never writes; a killed batch leaves nothing."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest
from conftest import DATA, MINI, write_xlsx
from pg_server import OPERATOR_PASSWORD, OWNER_PASSWORD, READER_PASSWORD, SUPERUSER_PASSWORD

from esgcli.questionnaire.policy import load_policy
from esgcli.registry.core import IssueRequest, open_registry

POLICY = DATA / "mini-policy.yaml"
HEADER = ["supplier_id", "round", "employees", "E-1", "E-2", "E-3", "S-1", "S-2"]
GOOD = ["yes", 3, 30, "manager,training,ppe", None]
SECRETS = (OWNER_PASSWORD, READER_PASSWORD, SUPERUSER_PASSWORD, OPERATOR_PASSWORD)


@pytest.fixture
def server(postgres_server):  # noqa: ANN001, ANN201
    postgres_server.reset()
    return postgres_server


def _answers(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "a.xlsx", [HEADER, ["S1", None, 10, *GOOD], ["S2", None, 10, *GOOD]])


def _certify(esg, tmp_path: Path, url: str, **env: str):  # noqa: ANN001, ANN202
    return esg("certify", _answers(tmp_path), "--policy", POLICY, "-q", MINI, "--year", 2024,
               "--registry", url, "--date", "2024-12-01", "--format", "json", ESG_LANG="en", **env)


def _no_secret(result) -> None:  # noqa: ANN001
    for secret in SECRETS:
        assert secret not in result.stderr and secret not in result.stdout
    assert "Traceback" not in result.stderr


def test_connection_failures_exit_4_naming_the_host_never_the_password(esg, tmp_path: Path, server) -> None:  # noqa: ANN001
    cases = {
        "unreachable": (server.url().replace(f":{server.port}/", f":{_closed_port()}/"),
                        "cannot reach the server 127.0.0.1:"),
        "password": (server.url(password="wrong-" + OWNER_PASSWORD),
                     f"the server 127.0.0.1:{server.port} refused the credentials of user esg_owner"),
        "database": (server.url(database="no_such_db"),
                     f"the server 127.0.0.1:{server.port} has no database no_such_db"),
    }
    for name, (url, message) in cases.items():
        for args in (("certs", "list", "--registry", url),):
            result = esg(*args, ESG_LANG="en")
            assert result.exit_code == 4, (name, result.stderr)
            assert message in result.stderr, (name, result.stderr)
            assert "postgresql://esg_owner@127.0.0.1:" in result.stderr
            _no_secret(result)
    # the password from PGPASSWORD is never shown either
    url = f"postgresql://esg_owner@127.0.0.1:{server.port}/esg_test"
    result = _certify(esg, tmp_path, url, PGPASSWORD="wrong-" + OWNER_PASSWORD)
    assert result.exit_code == 4 and "refused the credentials" in result.stderr
    _no_secret(result)
    assert _certify(esg, tmp_path, url, PGPASSWORD=OWNER_PASSWORD).exit_code == 0


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_read_only_role_reads_and_never_writes(esg, tmp_path: Path, server) -> None:  # noqa: ANN001
    owner = server.url()
    assert _certify(esg, tmp_path, owner).exit_code == 0
    reader = server.url("esg_reader", READER_PASSWORD)
    listing = esg("certs", "list", "--registry", reader, "--format", "json")
    assert listing.exit_code == 0, listing.stderr
    assert [c["number"] for c in json.loads(listing.stdout)] == ["MINI-2024-001", "MINI-2024-002"]
    for args in (("certs", "show", "MINI-2024-001"), ("certs", "history", "MINI-2024-001"),
                 ("certs", "verify", "MINI-2024-001", "--date", "2025-01-01"),
                 ("certs", "export", "-o", tmp_path / "out.csv")):
        result = esg(*args, "--registry", reader)
        assert result.exit_code == 0, (args, result.stderr)
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").count("MINI-2024-") == 2
    more = write_xlsx(tmp_path / "b.xlsx", [HEADER, ["S3", None, 10, *GOOD]])
    other = str(tmp_path / "other.sqlite")
    policy = tmp_path / "other.yaml"
    policy.write_text(POLICY.read_text(encoding="utf-8").replace("MINI-", "OTHER-"), encoding="utf-8")
    assert esg("certify", more, "--policy", policy, "-q", MINI, "--year", 2024, "--registry",
               other).exit_code == 0
    for args in (("certify", more, "--policy", POLICY, "-q", MINI, "--year", 2024, "--registry", reader),
                 ("certs", "revoke", "MINI-2024-001", "--reason", "x", "--registry", reader),
                 ("certs", "copy", "--from", other, "--to", reader)):
        result = esg(*args, ESG_LANG="en")
        assert result.exit_code == 4, (args, result.stderr)
        assert "permission denied: this role may only read" in result.stderr, result.stderr
        _no_secret(result)
    dry_run = esg("certify", more, "--policy", POLICY, "-q", MINI, "--year", 2024, "--registry",
                  reader, "--dry-run", "--format", "json")
    assert dry_run.exit_code == 0 and json.loads(dry_run.stdout)["summary"]["issued"] == 1
    backup = tmp_path / "backup.sqlite"
    assert esg("certs", "copy", "--from", reader, "--to", backup).exit_code == 0
    assert len(json.loads(esg("certs", "list", "--registry", backup, "--format", "json").stdout)) == 2
    after = json.loads(esg("certs", "list", "--registry", owner, "--format", "json").stdout)
    assert [(c["number"], c["status"]) for c in after] == [("MINI-2024-001", "active"),
                                                           ("MINI-2024-002", "active")]


def test_empty_database_reads_as_no_registry(esg, server) -> None:  # noqa: ANN001
    result = esg("certs", "list", "--registry", server.url(), ESG_LANG="en")
    assert result.exit_code == 4 and "no registry at postgresql://esg_owner@127.0.0.1" in result.stderr


def _slow_batch(url: str) -> None:
    from slow_batch import slow_writes

    registry = open_registry(url)
    slow_writes(registry.backend, 0.05)
    registry.issue(load_policy(POLICY), 2024, dt.date(2024, 12, 1),
                   [IssueRequest(f"S{i:03d}", None, None, 90.0, 90.0, "A", {}) for i in range(40)],
                   {"id": "mini", "version": "1", "sha256": "q"}, {"file": "a", "sha256": "a"})


def test_killed_batch_leaves_nothing_and_numbering_has_no_gap(server) -> None:  # noqa: ANN001
    url = server.url()
    open_registry(url).close()
    child = multiprocessing.get_context("fork").Process(target=_slow_batch, args=(url,))
    child.start()
    with server.superuser() as db:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not _in_transaction(db):  # mid-batch
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
        child.join(30)
        while db.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                         "'esgcli'").fetchone()[0] and time.monotonic() < deadline:
            time.sleep(0.02)
        assert db.execute("SELECT count(*) FROM esgcli.certificates").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM esgcli.events").fetchone()[0] == 0
    assert child.exitcode == -signal.SIGKILL
    with open_registry(url) as registry:
        registry.issue(load_policy(POLICY), 2024, dt.date(2024, 12, 1),
                       [IssueRequest(f"S{i:03d}", None, None, 90.0, 90.0, "A", {}) for i in range(40)],
                       {"id": "mini", "version": "1", "sha256": "q"}, {"file": "a", "sha256": "a"})
        assert [c.seq for c in registry.certificates()] == list(range(1, 41))


def _in_transaction(db) -> bool:  # noqa: ANN001
    """The batch is inside its transaction, having written at least one row and sleeping."""
    return bool(db.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'esgcli' "
                           "AND state = 'idle in transaction' AND now() - xact_start > "
                           "interval '150 milliseconds'").fetchone()[0])


def test_operator_role_issues_and_revokes_but_cannot_rewrite_the_log(esg, tmp_path: Path, server) -> None:  # noqa: ANN001
    """docs/registry.md's operator grants are enough to certify and revoke (the owner migrated)."""
    import psycopg

    assert _certify(esg, tmp_path, server.url()).exit_code == 0  # the owner creates the tables
    operator = server.url("esg_operator", OPERATOR_PASSWORD)
    more = write_xlsx(tmp_path / "b.xlsx", [HEADER, ["S3", None, 10, *GOOD]])
    issued = esg("certify", more, "--policy", POLICY, "-q", MINI, "--year", 2024, "--registry",
                 operator, "--format", "json", "--operator", "park")
    assert issued.exit_code == 0, issued.stderr
    assert json.loads(issued.stdout)["suppliers"][0]["certificate"]["number"] == "MINI-2024-003"
    assert esg("certs", "revoke", "MINI-2024-003", "--reason", "x", "--registry", operator).exit_code == 0
    with psycopg.connect(operator, autocommit=True) as db:
        for sql in ("UPDATE esgcli.events SET operator = 'x'", "DELETE FROM esgcli.events"):
            with pytest.raises(psycopg.Error, match="append-only|permission denied"):
                db.execute(sql)
