"""The certificate registry: one SQLite file, migrated by numbered steps (SPEC §7).

A batch of certificates is issued inside one ``BEGIN IMMEDIATE`` transaction: two `esg
certify` processes queue on the write lock, so numbers are never issued twice, and a process
killed mid-batch leaves either the whole batch or none of it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .problems import RegistryError

APPLICATION_ID = 0x45534731  # "ESG1"
MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "certificates", """
        CREATE TABLE certificates (
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
        );
        CREATE UNIQUE INDEX certificates_one_active
            ON certificates (supplier_id, policy_id, year) WHERE status = 'active';
        CREATE UNIQUE INDEX certificates_seq ON certificates (policy_id, year, seq);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            number TEXT,
            detail TEXT
        );
    """),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


@dataclass(frozen=True)
class Certificate:
    number: str
    supplier_id: str
    supplier_name: str | None
    policy_id: str
    policy_version: str
    policy_sha256: str | None
    year: int
    seq: int
    issued_on: str
    valid_until: str
    status: str
    revoked_on: str | None
    revoke_reason: str | None
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_sha256: str
    answers_file: str
    answers_sha256: str
    answers_sheet: str | None
    round: str | None
    compliance: float | None
    score: float | None
    grade: str | None
    areas: str  # JSON of the supplier's area rates
    created_at: str

    def status_on(self, today: dt.date) -> str:
        """active, revoked, or expired (an active certificate past its valid_until)."""
        if self.status == "active" and dt.date.fromisoformat(self.valid_until) < today:
            return "expired"
        return self.status

    def to_dict(self, today: dt.date | None = None) -> dict[str, Any]:
        out = asdict(self)
        out["areas"] = json.loads(self.areas)
        if today is not None:
            out["status"] = self.status_on(today)
        return out


@dataclass(frozen=True)
class IssueRequest:
    """What the registry needs to record for one qualifying supplier."""

    supplier_id: str
    supplier_name: str | None
    round: str | None
    compliance: float | None
    score: float | None
    grade: str | None
    areas: dict[str, Any]
    source: dict[str, Any] | None = None  # the file of this supplier's record (else the batch's)


def valid_until(issued_on: dt.date, years: int) -> dt.date:
    """issued_on + years − 1 day (29 February rolls to 28 February)."""
    try:
        end = issued_on.replace(year=issued_on.year + years)
    except ValueError:
        end = issued_on.replace(year=issued_on.year + years, day=28)
    return end - dt.timedelta(days=1)


class Registry:
    """Certificates of one registry file."""

    def __init__(self, path: Path, connection: sqlite3.Connection, readonly: bool) -> None:
        self.path = path
        self.db = connection
        self.readonly = readonly

    # -- opening ------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, readonly: bool = False) -> Registry:
        """Open (creating and migrating unless ``readonly``) a registry; RegistryError if not one."""
        path = Path(path)
        if readonly and not path.exists():
            db = sqlite3.connect(":memory:")
            registry = cls(path, db, readonly=True)
            registry._migrate()
            return registry
        if path.exists() and path.is_dir():
            raise RegistryError(f"{path}: 폴더입니다, 레지스트리 파일이 아닙니다 / is a folder, not a "
                                "registry file")
        try:
            if readonly:
                db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(path, timeout=30, isolation_level=None)
            db.row_factory = sqlite3.Row
            registry = cls(path, db, readonly)
            registry._check()
            if not readonly:
                registry._migrate()
            return registry
        except sqlite3.DatabaseError as exc:
            raise RegistryError(f"{path}: 인증서 레지스트리가 아닙니다 / not a certificate registry "
                                f"({exc})") from None

    def close(self) -> None:
        self.db.close()

    def _check(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
        tables = self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id != APPLICATION_ID and (tables or version):
            raise RegistryError(f"{self.path}: esgcli 레지스트리가 아닌 SQLite 파일입니다 / an SQLite "
                                "file that is not an esgcli registry")
        if version > SCHEMA_VERSION:
            raise RegistryError(
                f"{self.path}: 더 새로운 esgcli가 만든 레지스트리입니다 (스키마 {version} > {SCHEMA_VERSION}). "
                f"esgcli를 업데이트하세요 / made by a newer esgcli (schema {version} > "
                f"{SCHEMA_VERSION}); upgrade esgcli")

    def _migrate(self) -> None:
        """Apply the numbered migrations not yet applied, each in its own transaction."""
        self.db.isolation_level = None
        for number, _name, sql in MIGRATIONS:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                current = self.db.execute("PRAGMA user_version").fetchone()[0]
                if current >= number:
                    self.db.execute("ROLLBACK")
                    continue
                for statement in [s for s in sql.split(";") if s.strip()]:
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self.db.execute(f"PRAGMA user_version = {number}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise RegistryError("registry opened read-only")
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise RegistryError(f"{self.path}: 레지스트리를 잠글 수 없습니다 / cannot lock the "
                                f"registry ({exc})") from None
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    # -- reading ------------------------------------------------------------------------
    def certificates(self, year: int | None = None, policy: str | None = None,
                     supplier: str | None = None) -> list[Certificate]:
        sql = "SELECT * FROM certificates WHERE 1 = 1"
        args: list[Any] = []
        for column, value in (("year", year), ("policy_id", policy), ("supplier_id", supplier)):
            if value is not None:
                sql += f" AND {column} = ?"
                args.append(value)
        rows = self.db.execute(sql + " ORDER BY policy_id, year, seq", args).fetchall()
        return [Certificate(**dict(row)) for row in rows]

    def get(self, number: str) -> Certificate | None:
        row = self.db.execute("SELECT * FROM certificates WHERE number = ?", (number,)).fetchone()
        return Certificate(**dict(row)) if row else None

    def active(self, policy_id: str, year: int) -> dict[str, Certificate]:
        rows = self.db.execute("SELECT * FROM certificates WHERE policy_id = ? AND year = ? AND "
                               "status = 'active'", (policy_id, year)).fetchall()
        return {row["supplier_id"]: Certificate(**dict(row)) for row in rows}

    # -- writing ------------------------------------------------------------------------
    def issue(self, policy: Any, year: int, issued_on: dt.date, requests: list[IssueRequest],
              questionnaire: dict[str, str], source: dict[str, str],
              dry_run: bool = False) -> list[tuple[Certificate, str]]:
        """Issue certificates to the requests without an active one; (certificate, issued|existing).

        New numbers follow ascending supplier id; ``seq`` counts per (policy, year) from 1.
        """
        def plan(db: sqlite3.Connection) -> list[tuple[Certificate, str]]:
            existing = {row["supplier_id"]: Certificate(**dict(row)) for row in db.execute(
                "SELECT * FROM certificates WHERE policy_id = ? AND year = ? AND status = 'active'",
                (policy.id, year))}
            seq = db.execute("SELECT coalesce(max(seq), 0) FROM certificates WHERE policy_id = ? "
                             "AND year = ?", (policy.id, year)).fetchone()[0]
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            out = []
            for request in sorted(requests, key=lambda r: r.supplier_id):
                if request.supplier_id in existing:
                    out.append((existing[request.supplier_id], "existing"))
                    continue
                seq += 1
                src = request.source or source
                out.append((Certificate(
                    number=policy.number(year, seq, request.supplier_id),
                    supplier_id=request.supplier_id, supplier_name=request.supplier_name,
                    policy_id=policy.id, policy_version=policy.version,
                    policy_sha256=policy.sha256, year=year, seq=seq,
                    issued_on=issued_on.isoformat(),
                    valid_until=valid_until(issued_on, policy.model.certificate.valid_years)
                    .isoformat(),
                    status="active", revoked_on=None, revoke_reason=None,
                    questionnaire_id=questionnaire["id"],
                    questionnaire_version=questionnaire["version"],
                    questionnaire_sha256=questionnaire["sha256"],
                    answers_file=src["file"], answers_sha256=src["sha256"],
                    answers_sheet=src.get("sheet"), round=request.round,
                    compliance=request.compliance, score=request.score, grade=request.grade,
                    areas=json.dumps(request.areas, ensure_ascii=False), created_at=now),
                    "issued"))
            return out

        if dry_run or self.readonly:
            return plan(self.db)
        delay = float(os.environ.get("ESG_TEST_ISSUE_DELAY", "0") or 0)
        with self._write() as db:
            result = plan(db)
            for cert, status in result:
                if status != "issued":
                    continue
                try:
                    db.execute(f"INSERT INTO certificates VALUES ({','.join('?' * 25)})",
                               tuple(asdict(cert).values()))
                except sqlite3.IntegrityError as exc:
                    raise RegistryError(f"{self.path}: 인증서 번호 {cert.number}이(가) 이미 있습니다 / "
                                        f"certificate number {cert.number} exists ({exc})") from None
                db.execute("INSERT INTO events (at, kind, number, detail) VALUES (?, ?, ?, ?)",
                           (cert.created_at, "issued", cert.number, cert.supplier_id))
                if delay:  # test hook: widen the window in which a batch can be interrupted
                    time.sleep(delay)
            return result

    def revoke(self, number: str, reason: str, on: dt.date) -> Certificate:
        with self._write() as db:
            cert = self.get(number)
            if cert is None:
                raise RegistryError(f"인증서 {number}이(가) 없습니다 / no certificate {number}")
            if cert.status == "revoked":
                raise RegistryError(f"인증서 {number}은(는) 이미 취소되었습니다 ({cert.revoked_on}) / "
                                    f"certificate {number} is already revoked")
            db.execute("UPDATE certificates SET status = 'revoked', revoked_on = ?, "
                       "revoke_reason = ? WHERE number = ?", (on.isoformat(), reason, number))
            db.execute("INSERT INTO events (at, kind, number, detail) VALUES (?, ?, ?, ?)",
                       (dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "revoked",
                        number, reason))
        revoked = self.get(number)
        assert revoked is not None
        return revoked
