"""The `esg certs` commands as library calls: each returns a result whose ``to_dict()`` is the
command's ``--format json`` (list, show, history, revoke, export, copy)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from esgcli.base.problems import RegistryError
from esgcli.registry.core import Certificate, Event, Registry, open_registry

CERTIFICATE_CSV_HEADER = [
    "number", "supplier_id", "supplier_name", "policy_id", "policy_version", "year", "issued_on",
    "valid_until", "status", "compliance", "score", "grade", "questionnaire_id",
    "questionnaire_version", "questionnaire_sha256", "answers_file", "answers_sha256", "round",
    "revoked_on", "revoke_reason", "replaces"]
HISTORY_CSV_HEADER = ["at", "kind", "number", "operator", "batch", "detail"]
STATUSES = ("active", "revoked", "expired")


def certificate_rows(certs: list[Certificate],
                     today: dt.date) -> tuple[list[str], list[list[Any]]]:
    """The CSV/XLSX table of certificates, their status as on ``today``."""
    rows = []
    for c in certs:
        d = c.to_dict(today)
        rows.append([d[k] for k in CERTIFICATE_CSV_HEADER])
    return list(CERTIFICATE_CSV_HEADER), rows


@dataclass
class CertificateList:
    """Certificates (``esg certs list``, ``esg certs export``); statuses as on ``today``."""

    certificates: list[Certificate]
    today: dt.date

    def to_dict(self) -> list[dict[str, Any]]:
        return [c.to_dict(self.today) for c in self.certificates]

    def rows(self) -> tuple[list[str], list[list[Any]]]:
        return certificate_rows(self.certificates, self.today)


@dataclass
class CertificateView:
    """One certificate with every recorded field (``esg certs show``)."""

    certificate: Certificate
    today: dt.date

    def to_dict(self) -> dict[str, Any]:
        return self.certificate.to_dict(self.today)

    def rows(self) -> tuple[list[str], list[list[Any]]]:
        return certificate_rows([self.certificate], self.today)


@dataclass
class History:
    """The recorded events of one certificate (``esg certs history``)."""

    number: str
    events: list[Event]

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "events": [e.to_dict() for e in self.events]}

    def rows(self) -> tuple[list[str], list[list[Any]]]:
        return (list(HISTORY_CSV_HEADER),
                [[getattr(e, k) for k in HISTORY_CSV_HEADER] for e in self.events])


@dataclass
class Revocation:
    """A certificate as recorded after ``esg certs revoke``."""

    certificate: Certificate

    def to_dict(self) -> dict[str, Any]:
        return self.certificate.to_dict()


@dataclass
class Copy:
    """What ``esg certs copy`` added, carried over and left as it was."""

    counts: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self.counts


def _open(registry: Registry | str, readonly: bool = True) -> tuple[Registry, bool]:
    if isinstance(registry, Registry):
        return registry, False
    return open_registry(registry, readonly=readonly), True


def list_certificates(registry: Registry | str, today: dt.date, year: int | None = None,
                      policy: str | None = None, supplier: str | None = None,
                      status: str | None = None) -> CertificateList:
    """Certificates of ``registry`` (an open one, or its location), filtered; ``status`` is
    active, revoked or expired as on ``today``."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}: {status!r}")
    reg, close = _open(registry)
    try:
        certs = reg.certificates(year, policy, supplier)
    finally:
        if close:
            reg.close()
    if status is not None:
        certs = [c for c in certs if c.status_on(today) == status]
    return CertificateList(certs, today)


def get_certificate(registry: Registry | str, number: str) -> Certificate:
    """The certificate ``number``; REG-005 (exit 4) when the registry has none."""
    reg, close = _open(registry)
    try:
        cert = reg.get(number)
        where = reg.where
    finally:
        if close:
            reg.close()
    if cert is None:
        raise RegistryError("REG-005", number=number, where=where)
    return cert


def show_certificate(registry: Registry | str, number: str, today: dt.date) -> CertificateView:
    return CertificateView(get_certificate(registry, number), today)


def certificate_history(registry: Registry | str, number: str) -> History:
    reg, close = _open(registry)
    try:
        return History(number, reg.history(number))
    finally:
        if close:
            reg.close()


def revoke_certificate(registry: Registry | str, number: str, reason: str, on: dt.date,
                       operator: str | None = None) -> Revocation:
    reg, close = _open(registry, readonly=False)
    try:
        return Revocation(reg.revoke(number, reason, on, operator=operator))
    finally:
        if close:
            reg.close()


def copy_registry(source: Registry | str, target: Registry | str) -> Copy:
    """Copy ``source`` into ``target`` (created and migrated if needed), in one transaction."""
    src, close_src = _open(source)
    try:
        dst, close_dst = _open(target, readonly=False)
        try:
            return Copy(dst.copy_from(src))
        finally:
            if close_dst:
                dst.close()
    finally:
        if close_src:
            src.close()
