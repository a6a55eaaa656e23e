"""The certificate registry (SPEC §7, §14): one interface, two backends chosen by the location.

A location is an SQLite file path (the default, `registry_sqlite`) or a ``postgresql://`` URL
(`registry_postgres`, psycopg 3). Each backend owns its connection, its numbered migrations,
its locking and the translation of its driver's errors into :class:`RegistryError` (exit 4);
everything else — numbering, idempotency, revocation, the event log, copying — is written once
here, in SQL both databases run alike (``?`` placeholders; the PostgreSQL backend converts them).

Numbering: ``seq`` comes from a counter row per *number scope* — the policy's number format
with its year and policy filled in (``MINI-2024-{seq:03d}``) — locked in the batch's
transaction. Two policies with the same format share a scope and so never issue the same number;
numbers within a scope have no gaps; a batch is one transaction (all or nothing).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import string
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Protocol

from esgcli.base.problems import RegistryError

DEFAULT_LOCATION = "esg-registry.sqlite"
CERTIFICATE_COLUMNS = (
    "number", "supplier_id", "supplier_name", "policy_id", "policy_version", "policy_sha256",
    "year", "seq", "issued_on", "valid_until", "status", "revoked_on", "revoke_reason",
    "questionnaire_id", "questionnaire_version", "questionnaire_sha256", "answers_file",
    "answers_sha256", "answers_sheet", "round", "compliance", "score", "grade", "areas",
    "created_at", "replaces", "number_scope")
EVENT_COLUMNS = ("event_id", "at", "kind", "number", "operator", "batch", "detail")


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
    replaces: str | None = None  # the revoked certificate this one re-issues

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


_CERT_FIELDS = tuple(f.name for f in fields(Certificate))


def _cert(row: dict[str, Any]) -> Certificate:
    return Certificate(**{name: row[name] for name in _CERT_FIELDS})


@dataclass(frozen=True)
class Event:
    """One line of the append-only log: issued, revoked or reissued."""

    at: str
    kind: str
    number: str | None
    operator: str | None
    batch: str | None
    detail: str | None  # issued: supplier id · revoked: reason · reissued: the number replaced

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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


class Tx(Protocol):
    """A statement runner inside one transaction (rows come back as dicts)."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


class Backend(Protocol):
    """What a database must provide; see registry_sqlite.py and registry_postgres.py."""

    where: str  # for messages and JSON: a path, or the URL without its password
    readonly: bool
    for_update: str  # suffix that row-locks a SELECT inside a write transaction ("" if the
    #                  transaction already holds the database's write lock)

    def read(self) -> AbstractContextManager[Tx]: ...

    def write(self) -> AbstractContextManager[Tx]: ...

    def close(self) -> None: ...


def is_url(location: str) -> bool:
    return "://" in location


def open_registry(location: str | Path, readonly: bool = False,
                  missing_ok: bool = False) -> Registry:
    """Open the registry at ``location`` (migrating it unless ``readonly``).

    ``readonly`` with ``missing_ok``: a registry that does not exist yet reads as empty (dry runs).
    """
    text = str(location)
    if text.strip() in ("", ":memory:") or "mode=memory" in text:
        raise RegistryError("REG-011", where=text)
    if is_url(text):
        scheme = text.split("://", 1)[0].lower()
        if scheme not in ("postgresql", "postgres"):
            raise RegistryError("REG-021", where=text.split("@")[-1])
        from esgcli.registry.postgres import PostgresBackend

        backend: Backend | None = PostgresBackend.open(text, readonly, missing_ok)
    else:
        from esgcli.registry.sqlite import SqliteBackend

        backend = SqliteBackend.open(Path(text), readonly, missing_ok)
    if backend is None:  # missing, read as empty
        from esgcli.registry.sqlite import SqliteBackend

        backend = SqliteBackend.empty(where=_where_of(text))
    return Registry(backend)


def _where_of(location: str) -> str:
    if is_url(location):
        from esgcli.registry.postgres import display_url

        return display_url(location)
    return location


def operator_name(option: str | None = None) -> str:
    """``--operator``, else the operating-system user."""
    if option:
        return option
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class _Keep:
    """Formats as its own field, so a number format can be filled in only partly."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __format__(self, spec: str) -> str:
        return "{" + self.name + (":" + spec if spec else "") + "}"

    def __str__(self) -> str:
        return "{" + self.name + "}"

    __repr__ = __str__


def number_scope(template: str, policy_id: str, year: int) -> str:
    """The numbers a policy issues for a year: its format with year and policy filled in."""
    return template.format(year=year, policy=policy_id, seq=_Keep("seq"),
                           supplier_id=_Keep("supplier_id"))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Registry:
    """Certificates and events of one registry, whatever the database."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    @classmethod
    def open(cls, location: str | Path, readonly: bool = False, missing_ok: bool = False) -> Registry:
        return open_registry(location, readonly, missing_ok)

    @property
    def where(self) -> str:
        return self.backend.where

    @property
    def readonly(self) -> bool:
        return self.backend.readonly

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------------
    def certificates(self, year: int | None = None, policy: str | None = None,
                     supplier: str | None = None) -> list[Certificate]:
        sql = "SELECT * FROM certificates WHERE 1 = 1"
        args: list[Any] = []
        for column, value in (("year", year), ("policy_id", policy), ("supplier_id", supplier)):
            if value is not None:
                sql += f" AND {column} = ?"
                args.append(value)
        with self.backend.read() as tx:
            rows = tx.execute(sql, args)
        # sorted here, not by the database: collations differ between backends
        return sorted((_cert(r) for r in rows), key=lambda c: (c.policy_id, c.year, c.seq, c.number))

    def get(self, number: str) -> Certificate | None:
        with self.backend.read() as tx:
            rows = tx.execute("SELECT * FROM certificates WHERE number = ?", (number,))
        return _cert(rows[0]) if rows else None

    def active(self, policy_id: str, year: int) -> dict[str, Certificate]:
        with self.backend.read() as tx:
            rows = tx.execute("SELECT * FROM certificates WHERE policy_id = ? AND year = ? AND "
                              "status = 'active'", (policy_id, year))
        return {row["supplier_id"]: _cert(row) for row in rows}

    def history(self, number: str) -> list[Event]:
        """Every event about a certificate, including a re-issue that replaced it."""
        with self.backend.read() as tx:
            known = tx.execute("SELECT number FROM certificates WHERE number = ?", (number,))
            rows = tx.execute("SELECT * FROM events WHERE number = ? OR (kind = 'reissued' AND "
                              "detail = ?)", (number, number))
        if not known and not rows:
            raise RegistryError("REG-005", number=number, where=self.where)
        rows.sort(key=lambda r: (r["at"], r["id"]))
        return [Event(**{k: r[k] for k in ("at", "kind", "number", "operator", "batch", "detail")})
                for r in rows]

    # -- issuing ------------------------------------------------------------------------
    def issue(self, policy: Any, year: int, issued_on: dt.date, requests: list[IssueRequest],
              questionnaire: dict[str, str], source: dict[str, str], dry_run: bool = False,
              reissue_revoked: bool = False,
              operator: str | None = None) -> list[tuple[Certificate, str]]:
        """Issue certificates to the requests; (certificate, issued|existing|revoked) each.

        A supplier with an active certificate for (policy, year) keeps it (existing); one whose
        certificate was revoked gets none (revoked, the revoked certificate returned) unless
        ``reissue_revoked``: then a new one records the number it replaces. New numbers follow
        ascending supplier id.
        """
        scope = number_scope(policy.model.certificate.number, policy.id, year)
        if dry_run or self.readonly:
            with self.backend.read() as tx:
                return self._plan(tx, policy, year, issued_on, requests, questionnaire, source,
                                  reissue_revoked, scope, lock=False)[0]
        batch = uuid.uuid4().hex
        who = operator_name(operator)
        with self.backend.write() as tx:
            result, last = self._plan(tx, policy, year, issued_on, requests, questionnaire,
                                      source, reissue_revoked, scope, lock=True)
            new = [(cert, scope) for cert, status in result if status == "issued"]
            if not new:
                return result
            tx.execute("UPDATE counters SET last_seq = ? WHERE scope = ?", (last, scope))
            insert = (f"INSERT INTO certificates ({', '.join(CERTIFICATE_COLUMNS)}) "
                      f"VALUES ({', '.join('?' * len(CERTIFICATE_COLUMNS))})")
            rows: list[Sequence[Any]] = [(*(getattr(c, f) for f in _CERT_FIELDS), s) for c, s in new]
            events: list[Sequence[Any]] = [(uuid.uuid4().hex, c.created_at, "reissued" if c.replaces else "issued",
                       c.number, who, batch, c.replaces or c.supplier_id) for c, _ in new]
            add_event = (f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) "
                         f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})")
            tx.executemany(insert, rows)
            tx.executemany(add_event, events)
            return result

    def _plan(self, tx: Tx, policy: Any, year: int, issued_on: dt.date,
              requests: list[IssueRequest], questionnaire: dict[str, str],
              source: dict[str, str], reissue: bool, scope: str,
              lock: bool) -> tuple[list[tuple[Certificate, str]], int]:
        last = self._counter(tx, scope, policy.id, year, lock)
        active: dict[str, Certificate] = {}
        revoked: dict[str, Certificate] = {}
        for row in tx.execute("SELECT * FROM certificates WHERE policy_id = ? AND year = ?",
                              (policy.id, year)):
            cert = _cert(row)
            if cert.status == "active":
                active[cert.supplier_id] = cert
            elif cert.supplier_id not in revoked or revoked[cert.supplier_id].seq < cert.seq:
                revoked[cert.supplier_id] = cert
        template = policy.model.certificate.number
        now = _now()
        out: list[tuple[Certificate, str]] = []
        wanted: list[tuple[IssueRequest, Certificate | None]] = []
        for request in sorted(requests, key=lambda r: r.supplier_id):
            if request.supplier_id in active:
                out.append((active[request.supplier_id], "existing"))
            elif request.supplier_id in revoked and not reissue:
                out.append((revoked[request.supplier_id], "revoked"))
            else:
                wanted.append((request, revoked.get(request.supplier_id)))
                out.append((None, "issued"))  # type: ignore[arg-type]  # filled in below
        has_seq = "seq" in {f for _, f, _, _ in string.Formatter().parse(template) if f}
        numbers, last = self._numbers(tx, policy, year, [r.supplier_id for r, _ in wanted], last,
                                      has_seq)
        until = valid_until(issued_on, policy.model.certificate.valid_years).isoformat()
        fresh = iter(zip(wanted, numbers, strict=True))
        for k, (cert, status) in enumerate(out):
            if cert is not None:
                continue
            (request, replaced), (number, seq) = next(fresh)
            out[k] = (Certificate(
                number=number, supplier_id=request.supplier_id, supplier_name=request.supplier_name,
                policy_id=policy.id, policy_version=policy.version, policy_sha256=policy.sha256,
                year=year, seq=seq, issued_on=issued_on.isoformat(), valid_until=until,
                status="active", revoked_on=None, revoke_reason=None,
                questionnaire_id=questionnaire["id"], questionnaire_version=questionnaire["version"],
                questionnaire_sha256=questionnaire["sha256"],
                answers_file=(request.source or source)["file"],
                answers_sha256=(request.source or source)["sha256"],
                answers_sheet=(request.source or source).get("sheet"),
                round=request.round, compliance=request.compliance, score=request.score,
                grade=request.grade, areas=json.dumps(request.areas, ensure_ascii=False),
                created_at=now, replaces=replaced.number if replaced else None), status)
        return out, last

    def _counter(self, tx: Tx, scope: str, policy_id: str, year: int, lock: bool) -> int:
        """The last seq of a scope; with ``lock``, its counter row is held until the batch ends,
        so concurrent batches in the same scope queue here."""
        if lock:
            tx.execute("INSERT INTO counters (scope, last_seq) VALUES (?, 0) "
                       "ON CONFLICT (scope) DO NOTHING", (scope,))
            rows = tx.execute("SELECT last_seq FROM counters WHERE scope = ?"
                              + self.backend.for_update, (scope,))
        else:
            rows = tx.execute("SELECT last_seq FROM counters WHERE scope = ?", (scope,))
        # certificates recorded before counters existed (schema 1) count per (policy, year)
        legacy = tx.execute("SELECT max(seq) AS m FROM certificates WHERE number_scope = ? OR "
                            "(number_scope IS NULL AND policy_id = ? AND year = ?)",
                            (scope, policy_id, year))
        return max(rows[0]["last_seq"] if rows else 0, legacy[0]["m"] or 0)

    def _numbers(self, tx: Tx, policy: Any, year: int, suppliers: list[str], last: int,
                 has_seq: bool) -> tuple[list[tuple[str, int]], int]:
        """Numbers for the suppliers from seq ``last + 1`` on, stepping over any number already
        held by another certificate (one recorded under another scope)."""
        taken: set[str] = set()
        while True:
            seq, out = last, []
            for supplier in suppliers:
                seq += 1
                number = policy.number(year, seq, supplier)
                while has_seq and number in taken:
                    seq += 1
                    number = policy.number(year, seq, supplier)
                out.append((number, seq))
            found: list[dict[str, Any]] = []
            for part in _chunks([n for n, _ in out]):
                found += tx.execute("SELECT number, policy_id, year FROM certificates WHERE number "
                                    f"IN ({', '.join('?' * len(part))})", list(part))
            if not found:
                return out, seq
            if not has_seq:
                row = found[0]
                raise RegistryError("REG-018", where=self.where, number=row["number"],
                                    holder=f"{row['policy_id']} {row['year']}")
            taken |= {row["number"] for row in found}

    # -- revoking -----------------------------------------------------------------------
    def revoke(self, number: str, reason: str, on: dt.date,
               operator: str | None = None) -> Certificate:
        with self.backend.write() as tx:
            rows = tx.execute("SELECT * FROM certificates WHERE number = ?" + self.backend.for_update,
                              (number,))
            if not rows:
                raise RegistryError("REG-005", number=number, where=self.where)
            cert = _cert(rows[0])
            if cert.status == "revoked":
                raise RegistryError("REG-006", number=number, on=cert.revoked_on)
            tx.execute("UPDATE certificates SET status = 'revoked', revoked_on = ?, "
                       "revoke_reason = ? WHERE number = ?", (on.isoformat(), reason, number))
            tx.execute(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) "
                       f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})",
                       (uuid.uuid4().hex, _now(), "revoked", number, operator_name(operator),
                        uuid.uuid4().hex, reason))
        revoked = self.get(number)
        assert revoked is not None
        return revoked

    # -- copying ------------------------------------------------------------------------
    def copy_from(self, source: Registry) -> dict[str, Any]:
        """Copy every certificate, event and counter of ``source`` that this registry lacks,
        in one transaction; a revocation recorded in the source is carried over. Idempotent."""
        with source.backend.read() as tx:
            certs = tx.execute("SELECT * FROM certificates")
            events = tx.execute("SELECT * FROM events")
            counters = tx.execute("SELECT * FROM counters")
        certs.sort(key=lambda r: (r["policy_id"], r["year"], r["seq"], r["number"]))
        events.sort(key=lambda r: r["id"])
        counts = {"copied": 0, "updated": 0, "unchanged": 0}
        event_counts = {"copied": 0, "unchanged": 0}
        with self.backend.write() as tx:
            have = {r["number"]: r for r in tx.execute("SELECT * FROM certificates")}
            new_certs = []
            for row in certs:
                mine = have.get(row["number"])
                if mine is None:
                    new_certs.append(tuple(row[c] for c in CERTIFICATE_COLUMNS))
                    counts["copied"] += 1
                    continue
                differs = [c for c in ("supplier_id", "policy_id", "year", "seq", "issued_on")
                           if mine[c] != row[c]]
                if differs:
                    raise RegistryError("REG-020", where=self.where, number=row["number"],
                                        detail=", ".join(differs))
                if row["status"] == "revoked" and mine["status"] != "revoked":
                    tx.execute("UPDATE certificates SET status = 'revoked', revoked_on = ?, "
                               "revoke_reason = ? WHERE number = ?",
                               (row["revoked_on"], row["revoke_reason"], row["number"]))
                    counts["updated"] += 1
                else:
                    counts["unchanged"] += 1
            if new_certs:
                tx.executemany(f"INSERT INTO certificates ({', '.join(CERTIFICATE_COLUMNS)}) "
                               f"VALUES ({', '.join('?' * len(CERTIFICATE_COLUMNS))})", new_certs)
            known = {r["event_id"] for r in tx.execute("SELECT event_id FROM events")}
            new_events = [tuple(r[c] for c in EVENT_COLUMNS) for r in events
                          if r["event_id"] not in known]
            event_counts["copied"] = len(new_events)
            event_counts["unchanged"] = len(events) - len(new_events)
            if new_events:
                tx.executemany(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) "
                               f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})", new_events)
            mine_counters = {r["scope"]: r["last_seq"] for r in tx.execute("SELECT * FROM counters")}
            for row in counters:
                if row["scope"] not in mine_counters:
                    tx.execute("INSERT INTO counters (scope, last_seq) VALUES (?, ?)",
                               (row["scope"], row["last_seq"]))
                elif mine_counters[row["scope"]] < row["last_seq"]:
                    tx.execute("UPDATE counters SET last_seq = ? WHERE scope = ?",
                               (row["last_seq"], row["scope"]))
        return {"from": source.where, "to": self.where, "certificates": counts,
                "events": event_counts}
