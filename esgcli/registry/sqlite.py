"""The SQLite backend of the registry: one file, migrated by numbered steps (`PRAGMA user_version`).

A write is one ``BEGIN IMMEDIATE`` transaction: it holds the file's write lock from its first
statement, so batches from several processes queue (30 s) and never share a number, and a process
killed mid-batch leaves all of the batch or none of it (rollback journal). Every error of the
driver becomes a :class:`RegistryError` with its real cause here, and a failed ``ROLLBACK`` (the
transaction SQLite already undid after a full disk) never hides it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from esgcli.base.labels import label
from esgcli.base.problems import RegistryError
from esgcli.registry.schema import SCHEMA_VERSION

APPLICATION_ID = 0x45534731  # "ESG1"
MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (1, "certificates", [
        """CREATE TABLE certificates (
            number TEXT PRIMARY KEY,
            supplier_id TEXT NOT NULL,
            supplier_name TEXT,
            policy_id TEXT NOT NULL,
            policy_version TEXT NOT NULL,
            policy_sha256 TEXT,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            issued_on TEXT NOT NULL,
            valid_until TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
            revoked_on TEXT,
            revoke_reason TEXT,
            questionnaire_id TEXT NOT NULL,
            questionnaire_version TEXT NOT NULL,
            questionnaire_sha256 TEXT NOT NULL,
            answers_file TEXT NOT NULL,
            answers_sha256 TEXT NOT NULL,
            answers_sheet TEXT,
            round TEXT,
            compliance REAL,
            score REAL,
            grade TEXT,
            areas TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        """CREATE UNIQUE INDEX certificates_one_active
            ON certificates (supplier_id, policy_id, year) WHERE status = 'active'""",
        "CREATE UNIQUE INDEX certificates_seq ON certificates (policy_id, year, seq)",
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            number TEXT,
            detail TEXT
        )""",
    ]),
    (2, "number scopes, re-issues, event log", [
        "ALTER TABLE certificates ADD COLUMN replaces TEXT",
        "ALTER TABLE certificates ADD COLUMN number_scope TEXT",
        "CREATE INDEX certificates_scope ON certificates (number_scope, seq)",
        "CREATE TABLE counters (scope TEXT PRIMARY KEY, last_seq INTEGER NOT NULL)",
        "ALTER TABLE events ADD COLUMN event_id TEXT",
        "ALTER TABLE events ADD COLUMN operator TEXT",
        "ALTER TABLE events ADD COLUMN batch TEXT",
        "UPDATE events SET event_id = lower(hex(randomblob(16))) WHERE event_id IS NULL",
        "CREATE UNIQUE INDEX events_event_id ON events (event_id)",
        "CREATE INDEX events_number ON events (number)",
        """CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
           BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END""",
        """CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
           BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END""",
    ]),
]
assert MIGRATIONS[-1][0] == SCHEMA_VERSION


class _Tx:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self.db.execute(sql, params).fetchall()]

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.db.executemany(sql, rows)


def _part(key: str) -> dict[str, str]:
    """REG-008's ``what`` / ``what_en``: the part that is read-only (labels ``registry.part.*``)."""
    return {"what": label(f"registry.part.{key}", "ko"), "what_en": label(f"registry.part.{key}", "en")}


def _writable(path: Path) -> bool:
    effective = os.access in os.supports_effective_ids
    return os.access(path, os.W_OK, effective_ids=effective)


class SqliteBackend:
    for_update = ""  # BEGIN IMMEDIATE already holds the whole file's write lock

    def __init__(self, where: str, db: sqlite3.Connection, readonly: bool) -> None:
        self.where = where
        self.db = db
        self.readonly = readonly

    @classmethod
    def open(cls, path: Path, readonly: bool, missing_ok: bool = False) -> SqliteBackend | None:
        where = str(path)
        if path.is_dir():
            raise RegistryError("REG-012", where=where)
        if readonly and not path.exists():
            if missing_ok:
                return None
            raise RegistryError("REG-004", where=where)
        backend = cls(where, sqlite3.connect(":memory:"), readonly)
        with backend._translate():
            backend.db.close()
            if readonly:
                backend.db = backend._connect(path, readonly=True)
                found = backend._check()
                if found < SCHEMA_VERSION:  # upgrade once, then read
                    backend.db.close()
                    try:
                        cls.open(path, readonly=False).close()  # type: ignore[union-attr]
                    except RegistryError:
                        raise RegistryError("REG-022", where=where, found=found,
                                            supported=SCHEMA_VERSION) from None
                    backend.db = backend._connect(path, readonly=True)
                return backend
            backend._preflight(path)
            backend.db = backend._connect(path, readonly=False)
            backend._check()
            backend._migrate()
        return backend

    @classmethod
    def empty(cls, where: str) -> SqliteBackend:
        """A registry with nothing in it, in memory, to plan a dry run against."""
        backend = cls(where, sqlite3.connect(":memory:", isolation_level=None), readonly=False)
        backend.db.row_factory = sqlite3.Row
        backend._migrate()
        backend.readonly = True
        return backend

    def _connect(self, path: Path, readonly: bool) -> sqlite3.Connection:
        if readonly:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30,
                                 isolation_level=None)
        else:
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        return db

    def _preflight(self, path: Path) -> None:
        """Say which of file and folder cannot be written before SQLite half-fails on it."""
        folder = path.parent
        if not folder.is_dir():  # a mistyped folder would start a second, empty registry whose
            # certificate numbers begin again at 0001
            raise RegistryError("REG-023", where=self.where, folder=str(folder))
        if path.exists() and not _writable(path):
            raise RegistryError("REG-008", where=self.where, **_part("file"),
                                detail="permission denied")
        if not _writable(folder):  # SQLite writes its journal beside the file
            raise RegistryError("REG-008", where=self.where, **_part("folder"),
                                detail=f"{folder}: permission denied")

    def close(self) -> None:
        self.db.close()

    # -- transactions -------------------------------------------------------------------
    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _error(self, exc: sqlite3.Error) -> RegistryError:
        name = getattr(exc, "sqlite_errorname", "") or ""
        detail = str(exc)
        if name.startswith("SQLITE_READONLY") or "readonly database" in detail:
            return RegistryError("REG-008", where=self.where, **_part("file_or_folder"),
                                 detail=detail)
        if name == "SQLITE_FULL" or "disk is full" in detail:
            return RegistryError("REG-009", where=self.where, detail=detail)
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in detail:
            return RegistryError("REG-007", where=self.where, detail=detail)
        if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or "not a database" in detail:
            return RegistryError("REG-001", where=self.where, detail=detail)
        if name.startswith("SQLITE_CANTOPEN") or "unable to open" in detail:
            return RegistryError("REG-010", where=self.where, detail=detail)
        return RegistryError("REG-019", where=self.where, detail=detail)

    @contextmanager
    def read(self) -> Iterator[_Tx]:
        with self._translate():
            yield _Tx(self.db)

    @contextmanager
    def write(self) -> Iterator[_Tx]:
        if self.readonly:
            raise RegistryError("REG-019", where=self.where, detail="opened read-only")
        with self._translate():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield _Tx(self.db)
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:  # SQLite may have rolled back already (disk full)
                    with contextlib.suppress(sqlite3.Error):
                        self.db.execute("ROLLBACK")
                raise

    # -- schema -------------------------------------------------------------------------
    def _check(self) -> int:
        # one statement, one snapshot: read apart, a migration committing in another process
        # between the reads showed its tables without its application id (REG-002 by mistake)
        version, app_id, tables = self.db.execute(
            "SELECT (SELECT user_version FROM pragma_user_version),"
            " (SELECT application_id FROM pragma_application_id),"
            " (SELECT count(*) FROM sqlite_master)").fetchone()
        if app_id != APPLICATION_ID and (tables or version):
            raise RegistryError("REG-002", where=self.where)
        if version > SCHEMA_VERSION:
            raise RegistryError("REG-003", where=self.where, found=version, supported=SCHEMA_VERSION)
        return int(version)

    def _migrate(self) -> None:
        """Apply the numbered migrations not yet applied, each in its own transaction together
        with the version that records it."""
        if self.db.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        for number, _name, statements in MIGRATIONS:
            with self.write() as tx:
                if tx.execute("PRAGMA user_version")[0]["user_version"] >= number:
                    continue
                for statement in statements:
                    tx.execute(statement)
                tx.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                tx.execute(f"PRAGMA user_version = {number}")
