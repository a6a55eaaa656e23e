"""The report as Markdown (for e-mail and wikis): the same figures as the HTML page."""

from __future__ import annotations

from typing import Any

from esgcli.base.formatting import pct, pp, rel
from esgcli.base.labels import label
from esgcli.reports.program_view import (
    in_questionnaire_order,
    method_note,
    method_questionnaires,
    program_rows,
    questionnaire_years,
    shown,
    years_text,
)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines + [""]


def _program(ptd: dict[str, Any], lang: str) -> list[str]:
    """Program to date (§8): the sentence to quote, then its figures."""
    out = [f"### {label('program_to_date', lang)} · {years_text(ptd['years'])}", "",
           f"> {_cell(ptd['sentence'])}", ""]
    note = method_note(ptd, lang)
    if note:
        out += [f"**⚠ {_cell(note)}**", ""]
    return out + _table(["", ""], [[name, shown(value, kind, lang)]
                                   for name, value, kind in program_rows(ptd, lang)])


def render_markdown(report: dict[str, Any]) -> str:
    lang = report["lang"]

    def L(key: str) -> str:  # noqa: N802
        return label(key, lang)

    main, q = report["main"], report["questionnaire"]
    imp, cert = main["improvement"], main["certification"]
    out = [f"# {_cell(report['title'])}", "",
           f"{_cell(q['title'])} · {q['id']} {q['version']} · {L('year')} {report['year']}", "",
           f"## {L('summary')}", ""]
    out += _program(report["program_to_date"], lang)
    rows = [[L("diagnosed_before"), main["diagnosed_before"]],
            [L("diagnosed_after"), main["diagnosed_after"]], [L("both"), main["both"]]]
    if imp:
        c = imp["cohort"]["compliance"]
        rows.append([L("cohort"), f"{pct(c['mean_before'])} → {pct(c['mean_after'])} "
                                  f"({pp(c['delta_pp'], lang)}, {rel(c['relative_pct'])})"])
    if cert:
        key = "certified" if "certified" in cert else "qualified"
        rows.append([L(key), f"{cert[key]} / {cert['evaluated']} "
                             f"({pct(cert[f'{key}_share_pct'])})"])
    out += _table(["", ""], rows)
    if not imp:
        out += [L("no_improvement"), ""]
    else:
        cohort = imp["cohort"]
        out += [f"## {L('areas')}", ""]
        scopes = [(L("overall"), cohort)] + [(f"{a['id']} {a['title']}", cohort["areas"][a["id"]])
                                             for a in q["areas"]]
        out += _table([L("area"), L("before"), L("after"), L("change_pp"), L("relative")],
                      [[name, pct(v["compliance"]["mean_before"]), pct(v["compliance"]["mean_after"]),
                        pp(v["compliance"]["delta_pp"], lang), rel(v["compliance"]["relative_pct"])]
                       for name, v in scopes])
        out += [f"## {L('indicators')}", ""]
        out += _table([L("indicator"), L("title"), L("before"), L("after"), L("change_pp"),
                       L("became"), L("regressed")],
                      [[r["indicator"], q["indicators"][r["indicator"]],
                        pct(r["compliant_before_pct"]), pct(r["compliant_after_pct"]),
                        pp(r["delta_pp"], lang), r["became_compliant"], r["regressed"]]
                       for r in in_questionnaire_order(imp["indicators"], q)])
        out += [f"## {L('suppliers')}", ""]
        out += _table([L("supplier_id"), L("supplier_name"), L("before"), L("after"), L("change_pp")],
                      [[s["supplier_id"], s["supplier_name"], pct(s["compliance"]["before"]),
                        pct(s["compliance"]["after"]), pp(s["compliance"]["delta_pp"], lang)]
                       for s in sorted(imp["suppliers"],
                                       key=lambda s: -(s["compliance"]["delta_pp"] or -1e9))])
    if len(report["trend"]) > 1:
        out += [f"## {L('trend')}", ""]
        out += _table([L("year"), L("before"), L("after"), L("change_pp"), L("certified")],
                      [[t["year"], pct(t["mean_before"]), pct(t["mean_after"]), pp(t["delta_pp"], lang),
                        t["certified"]] for t in report["trend"]])
    if report.get("consulting"):
        from esgcli.reports.consulting import consulting_markdown

        out += consulting_markdown(report["consulting"], lang)
    m = report["method"]
    out += [f"## {L('method')}", ""]
    out += [f"- {L('questionnaire')}: {q['id']} {q['version']}{questionnaire_years(q, m)} "
            f"(sha256 `{q['sha256']}`)" for q in method_questionnaires(m)]
    if m["policy"]:
        out.append(f"- {L('policy')}: {m['policy']['id']} {m['policy']['version']} "
                   f"(sha256 `{m['policy']['sha256']}`)")
    out += [f"- {L('rule_compliance')}", f"- {L('rule_score')}", f"- {L('rule_pairing')}",
            f"- {L('pooled_rule')}"]
    out += [f"- {L('sources')}: {_cell(s['file'])} ({_cell(s['sheet'])}, sha256 `{s['sha256']}`)"
            for s in m["sources"]]
    out += [f"- {L('tool')}: {m['tool']} · {L('generated_at')}: {m['generated_at']}", ""]
    return "\n".join(out)

