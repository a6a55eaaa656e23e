"""A private PostgreSQL server for the registry tests, started once per session.

Found from `initdb` on PATH or /usr/lib/postgresql/*/bin. `initdb` refuses root, so as root the
cluster belongs to `nobody` (commands run through `setpriv`) in a temporary folder that user
owns. The server listens on 127.0.0.1 at a free port with password (scram) authentication; its
roles and grants are those docs/registry.md gives. Without server binaries (or psycopg) the
PostgreSQL tests skip with the reason — unless ESG_REQUIRE_POSTGRES=1 (CI), which makes it a
failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SUPERUSER_PASSWORD = "Sup3r-pw-never-shown"
OWNER_PASSWORD = "0wner-pw-never-shown"
READER_PASSWORD = "R3ader-pw-never-shown"
OPERATOR_PASSWORD = "0perator-pw-never-shown"
DATABASE = "esg_test"
NOBODY = 65534


def find_bindir() -> Path | None:
    """The folder of initdb, pg_ctl and postgres: PATH first, then Debian's versioned folders."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    return versions[-1].parent if versions else None


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *cmd]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    host: str
    port: int

    def url(self, user: str = "esg_owner", password: str = OWNER_PASSWORD,
            database: str = DATABASE) -> str:
        return f"postgresql://{user}:{password}@{self.host}:{self.port}/{database}"

    def superuser(self, database: str = DATABASE):  # noqa: ANN201
        import psycopg

        return psycopg.connect(self.url("postgres", SUPERUSER_PASSWORD, database), autocommit=True)

    def reset(self) -> None:
        """An empty registry: the schema and grants docs/registry.md asks the DBA to create."""
        with self.superuser() as db:
            db.execute("DROP SCHEMA IF EXISTS esgcli CASCADE")
            db.execute("CREATE SCHEMA esgcli AUTHORIZATION esg_owner")
            db.execute("GRANT USAGE ON SCHEMA esgcli TO esg_reader, esg_operator")
            db.execute("ALTER DEFAULT PRIVILEGES FOR ROLE esg_owner IN SCHEMA esgcli "
                       "GRANT SELECT ON TABLES TO esg_reader")
            db.execute("ALTER DEFAULT PRIVILEGES FOR ROLE esg_owner IN SCHEMA esgcli "
                       "GRANT SELECT, INSERT, UPDATE ON TABLES TO esg_operator")
            db.execute("ALTER DEFAULT PRIVILEGES FOR ROLE esg_owner IN SCHEMA esgcli "
                       "GRANT USAGE ON SEQUENCES TO esg_operator")


def _unavailable(reason: str) -> None:
    if os.environ.get("ESG_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL tests required (ESG_REQUIRE_POSTGRES=1) but {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PgServer]:
    bindir = find_bindir()
    if bindir is None:
        _unavailable("no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in "
                     "/usr/lib/postgresql/*/bin")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[test]')")
    assert bindir is not None
    base = Path(tempfile.mkdtemp(prefix="esg-pg-"))
    data = base / "data"
    try:
        (base / "pw").write_text(SUPERUSER_PASSWORD + "\n")
        if os.geteuid() == 0:
            for path in (base, base / "pw"):
                os.chown(path, NOBODY, NOBODY)
        subprocess.run(_as_owner([str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                                  f"--pwfile={base / 'pw'}", "--auth-host=scram-sha-256",
                                  "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync"]),
                       cwd=base, check=True, capture_output=True, timeout=120)
        port = 0
        for _ in range(5):  # a port picked free may be taken before the server binds it
            port = _free_port()
            started = subprocess.run(_as_owner([
                str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-t", "60",
                "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
                      "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50",
                "start"]), cwd=base, capture_output=True, timeout=90)
            if started.returncode == 0:
                break
        else:
            log = (base / "log").read_text(errors="replace") if (base / "log").exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {started.stderr!r} {log[-2000:]}")
        server = PgServer("127.0.0.1", port)
        with server.superuser("postgres") as db:
            db.execute(f"CREATE ROLE esg_owner LOGIN PASSWORD '{OWNER_PASSWORD}'")
            db.execute(f"CREATE ROLE esg_reader LOGIN PASSWORD '{READER_PASSWORD}'")
            db.execute(f"CREATE ROLE esg_operator LOGIN PASSWORD '{OPERATOR_PASSWORD}'")
            db.execute(f"CREATE DATABASE {DATABASE} OWNER esg_owner")
        yield server
    except (OSError, subprocess.SubprocessError, RuntimeError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        pytest.fail(f"could not start a private PostgreSQL server: {exc} "
                    f"{detail.decode(errors='replace') if isinstance(detail, bytes) else detail}")
    finally:
        if (data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                subprocess.run(_as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                          "-w", "stop"]), cwd=base, capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def registry(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty registry location on each backend: an SQLite file, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "reg.sqlite")
    server: PgServer = request.getfixturevalue("postgres_server")
    server.reset()
    return server.url()
