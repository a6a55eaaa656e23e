"""`esg report` as a library call: the annual improvement report as a result object.

``annual_report(...)`` returns an :class:`AnnualReport` whose ``to_dict()`` is what
``esg report -o report.json`` writes; ``write(path)`` writes it as .xlsx, .html, .md or .json.
A change of questionnaire between the years reported is returned as a problem (RPT-001).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from esgcli.answers.answerset import AnswerSet
from esgcli.base.labels import both
from esgcli.base.problems import Problem
from esgcli.outputs.files import to_json, write_text
from esgcli.questionnaire.policy import Policy
from esgcli.registry.core import Certificate

REPORT_SUFFIXES = (".xlsx", ".html", ".md", ".json")


def generated_at() -> str:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible reports)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit()
              else dt.datetime.now(dt.UTC))
    return moment.isoformat(timespec="seconds")


@dataclass
class AnnualReport:
    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return self.data

    def write(self, output: Path, suffix: str | None = None) -> None:
        """Write the report; ``suffix`` (default: the file's) picks .json, .md, .html or .xlsx."""
        suffix = suffix or output.suffix.lower()
        if suffix == ".json":
            write_text(output, to_json(self.data))
        elif suffix == ".md":
            from esgcli.reports.markdown import render_markdown

            write_text(output, render_markdown(self.data))
        elif suffix == ".html":
            from esgcli.reports.html import render_html

            write_text(output, render_html(self.data))
        else:
            from esgcli.reports.xlsx import write_report_xlsx

            write_report_xlsx(self.data, output)


def annual_report(sets: list[AnswerSet], year: int, *, title: str | None = None,
                  policy: Policy | None = None, certificates: list[Certificate] | None = None,
                  lang: str = "ko", before: str | None = None, after: str | None = None,
                  actions: Path | None = None, at: str | None = None) -> AnnualReport:
    """The report of ``year`` from answer sets (one per PATH; several give a multi-year view),
    with the certified count when ``policy`` or ``certificates`` is given and a consulting
    section from the action plan ``actions``."""
    from esgcli.reports.data import build_report, year_notes

    if policy is not None:
        policy.check_questionnaire(sets[0].questionnaire)
    report = build_report(sets, year, title, policy, certificates, at or generated_at(), lang,
                          before=before, after=after)
    if actions is not None:
        from esgcli.reports.consulting import consulting_for

        report["consulting"] = consulting_for(actions, sets, year, report["method"]["generated_at"],
                                              after)
    problems = year_notes(sets, year) + single_round_notes(report["trend"])
    swaps = {entry["year"]: swap for entry in [report["main"], *report["trend"]]
             if (swap := entry.pop("files_swapped", None))}
    problems += [Problem(code="RPT-015", severity="warning", params={
        "year": year_of, "first": swap["after"], "second": swap["before"],
        "first_round": swap["after_round"], "second_round": swap["before_round"]})
        for year_of, swap in sorted(swaps.items())]
    changes = report["program_to_date"]["method_changes"]
    if changes:
        versions = "; ".join(dict.fromkeys(
            f"{end['year']}: {end['id']} {end['version']}"
            for change in changes for end in (change["from"], change["to"])))
        problems.append(Problem(code="RPT-001", severity="warning", params={"versions": versions}))
    counted = report["method"]["certificate_policies"]
    if policy is None and counted is not None and len(counted) > 1:
        problems.append(Problem(code="RPT-005", severity="warning",
                                params={"policies": ", ".join(counted)}))
    return AnnualReport(report, problems)


def single_round_notes(trend: list[dict[str, Any]]) -> list[Problem]:
    """A year with one round is said on stderr: only the before round (RPT-002: counted as
    diagnosed before, no improvement), or one round that names neither side (RPT-003: counted
    as diagnosed after, the round certify judges, SPEC §7) — never a before round shown as after."""
    notes = []
    for entry in trend:
        single = entry.get("single_round")
        if single is None or (single["counted_as"] == "after" and single["recognised"]):
            continue
        code = "RPT-002" if single["counted_as"] == "before" else "RPT-003"
        count = entry["diagnosed_before"] if code == "RPT-002" else entry["diagnosed_after"]
        notes.append(Problem(code=code, severity="warning", params={
            "year": entry["year"], "count": count,
            "round": f"'{single['round']}'" if single["round"] else both("validate.no_round")}))
    return notes
