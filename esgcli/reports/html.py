"""The report as one self-contained HTML page: inline CSS and SVG charts, no external asset."""

from __future__ import annotations

import math
from typing import Any

from esgcli.base.formatting import pct, pp, rel
from esgcli.base.labels import label
from esgcli.questionnaire.diff_text import field_names
from esgcli.reports.data import BINS
from esgcli.reports.escape import e
from esgcli.reports.program_view import (
    in_questionnaire_order,
    method_note,
    method_questionnaires,
    questionnaire_years,
    years_text,
)

BLUE, ORANGE, GREEN = "#9db7d5", "#1f4e78", "#2e7d32"
CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK KR", "Malgun Gothic", "Apple SD Gothic Neo", system-ui, sans-serif;
       margin: 0 auto; max-width: 1100px; padding: 16px; color: #1b2a3a; line-height: 1.5; }
h1 { font-size: 1.7rem; margin: 0.2em 0; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #1f4e78; padding-bottom: 4px; margin-top: 2em; }
.sub { color: #555; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 12px; }
.card { border: 1px solid #d5dde6; border-radius: 8px; padding: 12px 14px; background: #f7f9fb; }
.card .k { font-size: 0.85rem; color: #555; }
.card .v { font-size: 1.6rem; font-weight: 700; }
.card .d { font-size: 0.9rem; color: #2e7d32; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.88rem; margin: 8px 0; }
th, td { border-bottom: 1px solid #e1e6ec; padding: 5px 8px; text-align: left; white-space: nowrap; }
th { background: #eef3f8; position: sticky; top: 0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.up { color: #2e7d32; } td.down { color: #c62828; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(440px, 100%), 1fr)); gap: 16px; }
figure { margin: 0; border: 1px solid #e1e6ec; border-radius: 8px; padding: 8px; }
figcaption { font-weight: 600; font-size: 0.95rem; margin-bottom: 4px; }
svg { width: 100%; height: auto; font-family: inherit; }
.method { font-size: 0.85rem; }
.ptd { border: 2px solid #1f4e78; border-radius: 10px; padding: 14px 16px; margin: 12px 0 18px;
       background: #fff; }
.ptd h3 { margin: 0 0 6px; font-size: 1.05rem; color: #1f4e78; }
.ptd blockquote { margin: 0 0 12px; padding: 8px 12px; border-left: 4px solid #1f4e78;
                  background: #eef3f8; font-size: 1.05rem; line-height: 1.6; word-break: keep-all;
                  overflow-wrap: anywhere; }
h3.yr { font-size: 1rem; margin: 14px 0 6px; color: #555; }
.ptd .warn { color: #8a4b00; font-size: 0.9rem; margin: 8px 0 0; }
code { font-size: 0.8rem; word-break: break-all; }
@media print { body { max-width: none; } h2 { break-after: avoid; } figure, table { break-inside: avoid; }
  .scroll { overflow: visible; } th { position: static; } }
"""


def grouped_bars(categories: list[str], series: list[tuple[str, list[float | None], str]],
                 y_max: float | None = None, unit: str = "%") -> str:
    """Vertical grouped bar chart as an SVG string."""
    width, height, left, bottom, top = 560, 280, 44, 46, 24
    plot_w, plot_h = width - left - 10, height - bottom - top
    values = [v for _, vals, _ in series for v in vals if v is not None]
    top_value = y_max or math.ceil(max([*values, 1.0]) * 1.1 / 4) * 4
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img">']
    for k in range(5):
        y_value = top_value * k / 4
        y = top + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#e1e6ec"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
                     f'fill="#555">{y_value:.0f}{e(unit)}</text>')
    for i, category in enumerate(categories):
        x0 = left + i * group_w + group_w * 0.1
        for s, (_, vals, color) in enumerate(series):
            v = vals[i]
            if v is None:
                continue
            h = plot_h * min(v, top_value) / top_value
            x = x0 + s * bar_w
            parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w * 0.92:.1f}" '
                         f'height="{h:.1f}" fill="{color}"><title>{e(category)}: {v:.1f}{e(unit)}'
                         '</title></rect>')
            if len(categories) <= 8:
                parts.append(f'<text x="{x + bar_w * 0.46:.1f}" y="{top + plot_h - h - 3:.1f}" '
                             f'font-size="10" text-anchor="middle">{v:.0f}</text>')
        parts.append(f'<text x="{left + i * group_w + group_w / 2:.1f}" y="{top + plot_h + 16}" '
                     f'font-size="11" text-anchor="middle">{e(category)}</text>')
    x = left
    for name, _, color in series:
        parts.append(f'<rect x="{x}" y="{height - 18}" width="12" height="12" fill="{color}"/>'
                     f'<text x="{x + 16}" y="{height - 8}" font-size="12">{e(name)}</text>')
        x += 24 + 9 * len(name)
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(labels: list[str], values: list[float], color: str = GREEN, unit: str = "%p") -> str:
    width, row_h, left = 560, 24, 230
    height = 20 + row_h * max(len(labels), 1)
    top_value = max([*values, 1.0]) * 1.15
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img">']
    for i, (name, v) in enumerate(zip(labels, values, strict=True)):
        y = 10 + i * row_h
        w = (width - left - 60) * max(v, 0) / top_value
        short = name if len(name) <= 26 else name[:25] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + 15}" font-size="11" text-anchor="end">'
                     f'{e(short)}</text>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                     f'fill="{color}"><title>{e(name)}: {v:+.1f}{e(unit)}</title></rect>')
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 15}" font-size="11">{v:+.1f}{e(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: list[str], rows: list[list[tuple[str, str]]]) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="{cls}">{text}</td>' for text, cls in row) + "</tr>"
                   for row in rows)
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _delta_cell(value: float | None, lang: str) -> tuple[str, str]:
    cls = "n up" if value and value > 0 else "n down" if value and value < 0 else "n"
    return e(pp(value, lang)), cls


def render_html(report: dict[str, Any]) -> str:
    lang = report["lang"]

    def L(key: str) -> str:  # noqa: N802
        return label(key, lang)

    main = report["main"]
    imp = main["improvement"]
    q = report["questionnaire"]
    parts = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
             '<meta name="viewport" content="width=device-width, initial-scale=1">'
             f"<title>{e(report['title'])}</title><style>{CSS}</style></head><body>",
             f"<h1>{e(report['title'])}</h1>",
             f'<p class="sub">{e(q["title"])} · {e(q["id"])} {e(q["version"])} · '
             f"{L('year')} {report['year']}</p>",
             f"<h2>{L('summary')}</h2>", _program_block(report["program_to_date"], lang),
             f"<h3 class='yr'>{e(L('funnel'))} · {report['year']}</h3><div class='cards'>"]
    cards = [(L("diagnosed_before"), main["diagnosed_before"], ""),
             (L("diagnosed_after"), main["diagnosed_after"], ""),
             (L("both"), main["both"], "")]
    if imp:
        c = imp["cohort"]["compliance"]
        cards.append((L("cohort"), f"{pct(c['mean_before'])} → {pct(c['mean_after'])}",
                      f"{pp(c['delta_pp'], lang)} · {rel(c['relative_pct'])}"))
    cert = main["certification"]
    if cert:
        count = cert.get("certified", cert.get("qualified"))
        share = cert.get("certified_share_pct", cert.get("qualified_share_pct"))
        cards.append((L("certified") if "certified" in cert else L("qualified"),
                      f"{count} / {cert['evaluated']}", pct(share)))
    for key, value, detail in cards:
        parts.append(f"<div class='card'><div class='k'>{e(key)}</div><div class='v'>"
                     f"{e('—' if value is None else value)}</div><div class='d'>{e(detail)}</div></div>")
    parts.append("</div>")
    if not imp:
        parts.append(f"<p>{e(L('no_improvement'))}</p>")
    else:
        parts.append(_improvement_sections(report, imp, main, L))
    if cert:
        parts.append(_certification_section(cert, L))
    if len(report["trend"]) > 1:
        parts.append(_trend_section(report["trend"], L, lang))
    if report.get("consulting"):
        from esgcli.reports.consulting import consulting_html

        parts.append(consulting_html(report["consulting"], lang))
    parts.append(_method_section(report, L))
    parts.append("</body></html>")
    return "\n".join(parts)


def _program_block(ptd: dict[str, Any], lang: str) -> str:
    """Program to date (§8): the sentence to quote, then its figures, leading the summary."""
    c = ptd["compliance"]
    cards = [(label("distinct_suppliers", lang), ptd["suppliers"],
              f"{label('participations', lang)}: {ptd['participations']}"),
             (label("cohort", lang), f"{pct(c['mean_before'])} → {pct(c['mean_after'])}",
              f"{pp(c['delta_pp'], lang)} · {rel(c['relative_pct'])}")]
    if ptd["certified"] is not None:
        key = "certified_any" if ptd.get("certified_basis") == "registry" else "qualified_any"
        cards.append((label(key, lang), f"{ptd['certified']} / {ptd['evaluated']}",
                       pct(ptd["certified_pct"])))
    body = "".join(f"<div class='card'><div class='k'>{e(k)}</div><div class='v'>{e(v)}</div>"
                   f"<div class='d'>{e(d)}</div></div>" for k, v, d in cards)
    note = method_note(ptd, lang)
    return (f"<section class='ptd'><h3>{e(label('program_to_date', lang))} · "
            f"{e(years_text(ptd['years']))}</h3><blockquote>{e(ptd['sentence'])}</blockquote>"
            f"<div class='cards'>{body}</div>"
            + (f"<p class='warn'>⚠ {e(note)}</p>" if note else "") + "</section>")


def _improvement_sections(report: dict[str, Any], imp: dict[str, Any], main: dict[str, Any],
                          L: Any) -> str:  # noqa: N803
    q, lang = report["questionnaire"], report["lang"]
    cohort = imp["cohort"]
    out = [f"<h2>{L('areas')}</h2>"]
    rows = []
    scopes = [(L("overall"), cohort)] + [(f"{a['id']} {a['title']}", cohort["areas"][a["id"]])
                                         for a in q["areas"]]
    for name, values in scopes:
        for metric in ("compliance", "score"):
            c = values[metric]
            rows.append([(e(name), ""), (e(L(metric)), ""), (e(pct(c["mean_before"])), "n"),
                         (e(pct(c["mean_after"])), "n"), _delta_cell(c["delta_pp"], lang),
                         (e(rel(c["relative_pct"])), "n"), (e(c["n"]), "n")])
    out.append(_table([L("area"), "", L("before"), L("after"), L("change_pp"), L("relative"),
                       L("paired")], rows))
    categories = [L("overall")] + [a["id"] for a in q["areas"]]
    before = [cohort["compliance"]["mean_before"]] + [cohort["areas"][a["id"]]["compliance"]["mean_before"]
                                                       for a in q["areas"]]
    after = [cohort["compliance"]["mean_after"]] + [cohort["areas"][a["id"]]["compliance"]["mean_after"]
                                                     for a in q["areas"]]
    bins = [f"{BINS[i]}–{BINS[i + 1]}" for i in range(len(BINS) - 1)]
    improved = [r for r in imp["indicators"] if (r["delta_pp"] or 0) > 0][:10]
    out.append("<div class='charts'>")
    out.append(f"<figure><figcaption>{e(L('chart_areas'))}</figcaption>"
               f"{grouped_bars(categories, [(L('before'), before, BLUE), (L('after'), after, ORANGE)], 100)}"
               "</figure>")
    out.append(f"<figure><figcaption>{e(L('chart_distribution'))}</figcaption>"
               + grouped_bars(bins, [(L("before"), main["before_compliance"], BLUE),
                                     (L("after"), main["after_compliance"], ORANGE)], unit="")
               + "</figure>")
    if improved:
        out.append(f"<figure><figcaption>{e(L('chart_indicators'))}</figcaption>"
                   + horizontal_bars([f"{r['indicator']} {q['indicators'][r['indicator']]}"
                                      for r in improved], [r["delta_pp"] for r in improved],
                                     unit=L("unit.pp"))
                   + "</figure>")
    out.append("</div>")
    out.append(f"<h2>{L('suppliers')}</h2>")
    rows = []
    for s in sorted(imp["suppliers"], key=lambda s: -(s["compliance"]["delta_pp"] or -1e9)):
        c = s["compliance"]
        rows.append([(e(s["supplier_id"]), ""), (e(s["supplier_name"]), ""),
                     (e(pct(c["before"])), "n"), (e(pct(c["after"])), "n"), _delta_cell(c["delta_pp"], lang)]
                    + [_delta_cell(s["areas"][a["id"]]["compliance"]["delta_pp"], lang) for a in q["areas"]])
    out.append(_table([L("supplier_id"), L("supplier_name"), L("before"), L("after"), L("change_pp")]
                      + [f"{a['id']} ({L('unit.pp').strip()})" for a in q["areas"]], rows))
    if imp["only_before"] or imp["only_after"]:
        out.append(f"<p>{e(L('unpaired'))}: {e(L('only_before'))} "
                   f"{e(', '.join(imp['only_before']) or '—')}; {e(L('only_after'))} "
                   f"{e(', '.join(imp['only_after']) or '—')}</p>")
    out.append(f"<h2>{L('indicators')}</h2>")
    rows = [[(e(r["indicator"]), ""), (e(q["indicators"][r["indicator"]]), ""),
             (e(pct(r["compliant_before_pct"])), "n"), (e(pct(r["compliant_after_pct"])), "n"),
             _delta_cell(r["delta_pp"], lang), (e(r["became_compliant"]), "n"), (e(r["regressed"]), "n"),
             (e(r["stayed_compliant"]), "n"), (e(r["stayed_non_compliant"]), "n")]
            for r in in_questionnaire_order(imp["indicators"], q)]
    out.append(_table([L("indicator"), L("title"), L("before"), L("after"), L("change_pp"),
                       L("became"), L("regressed"), L("stayed"), L("stayed_not")], rows))
    return "\n".join(out)


def _certification_section(cert: dict[str, Any], L: Any) -> str:  # noqa: N803
    out = [f"<h2>{L('certification')}</h2>"]
    if "qualified" in cert:
        out.append(f"<p>{e(L('policy'))}: {e(cert['policy'])} {e(cert['policy_version'])} · "
                   f"{e(L('qualified'))} {cert['qualified']} / {cert['evaluated']} "
                   f"({e(pct(cert['qualified_share_pct']))})</p>")
    if "certificates" in cert:
        out.append(f"<p>{e(L('certified'))} {cert['certified']} / {cert['evaluated']} "
                   f"({e(pct(cert['certified_share_pct']))})</p>")
        rows = [[(e(c["number"]), ""), (e(c["supplier_id"]), ""), (e(c["supplier_name"]), ""),
                 (e(c["policy"]), ""), (e(c["issued_on"]), ""), (e(c["valid_until"]), "")]
                for c in cert["certificates"]]
        out.append(_table([L("number"), L("supplier_id"), L("supplier_name"), L("policy"),
                           L("issued_on"), L("valid_until")], rows))
    return "\n".join(out)


def _trend_section(trend: list[dict[str, Any]], L: Any, lang: str) -> str:  # noqa: N803
    years = [str(t["year"]) for t in trend]
    chart = grouped_bars(years, [(L("before"), [t["mean_before"] for t in trend], BLUE),
                                 (L("after"), [t["mean_after"] for t in trend], ORANGE)], 100)
    rows = [[(e(t["year"]), ""), (e(t["diagnosed_before"]), "n"), (e(t["diagnosed_after"]), "n"),
             (e(t["both"]), "n"), (e(pct(t["mean_before"])), "n"), (e(pct(t["mean_after"])), "n"),
             _delta_cell(t["delta_pp"], lang), (e(t["certified"]), "n")] for t in trend]
    return (f"<h2>{L('trend')}</h2><figure><figcaption>{e(L('chart_trend'))}</figcaption>{chart}"
            "</figure>" + _table([L("year"), L("diagnosed_before"), L("diagnosed_after"), L("both"),
                                  L("before"), L("after"), L("change_pp"), L("certified")], rows))


def _method_section(report: dict[str, Any], L: Any) -> str:  # noqa: N803
    m = report["method"]
    items = [f"<li>{e(L('rule_compliance'))}</li>", f"<li>{e(L('rule_score'))}</li>",
             f"<li>{e(L('rule_pairing'))}</li>", f"<li>{e(L('pooled_rule'))}</li>"]
    sources = "".join(f"<li>{e(s['file'])} ({e(L('sheet'))} {e(s['sheet'])}) <code>sha256 "
                      f"{e(s['sha256'])}</code></li>" for s in m["sources"])
    policy = (f"<p>{e(L('policy'))}: {e(m['policy']['id'])} {e(m['policy']['version'])} "
              f"<code>sha256 {e(m['policy']['sha256'])}</code></p>" if m["policy"] else "")
    changes = [c for c in (report["main"]["improvement"] or {}).get("method_changes", [])
               if c["indicator"]]
    if changes:
        policy += (f"<p>{e(L('method_changes'))}: "
                   + "; ".join(f"{e(c['indicator'])} ({e(field_names(c['fields'], report['lang']))})"
                               for c in changes) + "</p>")
    used = "".join(f"<p>{e(L('questionnaire'))}: {e(q['id'])} {e(q['version'])}"
                   f"{e(questionnaire_years(q, m))} <code>sha256 {e(q['sha256'])}</code></p>"
                   for q in method_questionnaires(m))
    return (f"<h2>{L('method')}</h2><div class='method'>{used}{policy}"
            f"<p>{e(L('rules'))}:</p><ul>{''.join(items)}</ul><p>{e(L('sources'))}:</p>"
            f"<ul>{sources}</ul><p>{e(L('tool'))}: {e(m['tool'])} · {e(L('generated_at'))}: "
            f"{e(m['generated_at'])}</p></div>")
