"""One supplier's result page (개별 진단 결과서, SPEC §13): self-contained HTML, A4 and phone.

A page is rendered from that supplier's entry of :class:`esgcli.engine.feedback.FeedbackResult`
only (plus questionnaire and policy titles), so it cannot show another supplier. Every text
that came from input is HTML-escaped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from esgcli import __version__
from esgcli.base.cells import supplier_file_name
from esgcli.base.formatting import failure_text, pct, pp
from esgcli.base.labels import label
from esgcli.engine.feedback import FeedbackResult
from esgcli.outputs.files import write_text
from esgcli.reports.escape import e

CSS = """
:root { color-scheme: light; --ink: #1b2a3a; --muted: #5b6b7b; --line: #dfe5ec; --accent: #1f4e78;
  --bad: #b3261e; --warn: #8a5a00; --good: #2e7d32; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: "Noto Sans CJK KR", "Malgun Gothic", "Apple SD Gothic Neo", system-ui, sans-serif;
  margin: 0 auto; max-width: 860px; padding: 20px 16px 32px; color: var(--ink); line-height: 1.5;
  font-size: 15px; word-break: keep-all; overflow-wrap: break-word; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 10px; margin-bottom: 14px; }
.doc { color: var(--accent); font-weight: 700; font-size: 0.9rem; letter-spacing: 0.04em; }
h1 { font-size: 1.6rem; margin: 2px 0 4px; }
h2 { font-size: 1.1rem; margin: 22px 0 8px; color: var(--accent); }
.sub { color: var(--muted); font-size: 0.9rem; margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: #f7f9fb; }
.card .k { font-size: 0.8rem; color: var(--muted); }
.card .v { font-size: 1.5rem; font-weight: 700; line-height: 1.25; }
.card .d { font-size: 0.85rem; color: var(--muted); }
.up { color: var(--good); } .down { color: var(--bad); }
.note { font-size: 0.8rem; color: var(--muted); margin: 6px 0 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 6px; text-align: left; vertical-align: middle; }
th { font-size: 0.78rem; color: var(--muted); font-weight: 600; white-space: nowrap; }
td.area { white-space: nowrap; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bar { position: relative; height: 10px; background: #e9eef3; border-radius: 5px; min-width: 60px; }
.bar > i { position: absolute; left: 0; top: 0; bottom: 0; background: var(--accent); border-radius: 5px; }
.bar > b { position: absolute; top: -3px; bottom: -3px; width: 2px; background: #e08a00; }
.legend { font-size: 0.75rem; color: var(--muted); }
.legend i, .legend b { display: inline-block; width: 10px; height: 10px; vertical-align: -1px; margin: 0 3px 0 8px; }
.legend i { background: var(--accent); border-radius: 2px; } .legend b { width: 2px; background: #e08a00; }
.verdict { font-weight: 700; font-size: 1.05rem; }
.verdict.ok { color: var(--good); } .verdict.no { color: var(--bad); }
ul.plain { margin: 6px 0; padding-left: 20px; }
ol.items { list-style: none; margin: 0; padding: 0; }
ol.items li { border: 1px solid var(--line); border-left: 4px solid #9db7d5; border-radius: 6px;
  padding: 8px 10px; margin: 0 0 8px; break-inside: avoid; page-break-inside: avoid; }
ol.items li.critical { border-left-color: var(--bad); }
ol.items li.needed { background: #fffaf0; }
.nw { white-space: nowrap; }
.id { font-weight: 700; font-variant-numeric: tabular-nums; margin-right: 6px; }
.tag { display: inline-block; font-size: 0.72rem; font-weight: 700; border-radius: 4px; padding: 0 6px;
  margin-right: 4px; vertical-align: 1px; }
.tag.critical { background: #fde7e6; color: var(--bad); } .tag.needed { background: #fff0cc; color: var(--warn); }
.q { color: var(--muted); font-size: 0.85rem; margin: 2px 0 4px; }
.ans { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; font-size: 0.9rem; margin: 0; }
.ans dt { color: var(--muted); } .ans dd { margin: 0; }
.ans dd.pass { font-weight: 700; color: var(--good); }
footer { margin-top: 24px; border-top: 1px solid var(--line); padding-top: 8px; font-size: 0.75rem;
  color: var(--muted); }
@media (min-width: 760px) {
  ol.items { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
  ol.items li { margin: 0; }
}
@media (max-width: 480px) {
  body { font-size: 14px; padding: 14px 12px 24px; }
  h1 { font-size: 1.35rem; }
  .cards { grid-template-columns: 1fr 1fr; }
  .card .v { font-size: 1.25rem; }
  th.opt, td.opt { display: none; }
}
@page { size: A4; margin: 12mm 12mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  h1 { font-size: 16pt; } h2 { font-size: 11pt; margin: 12px 0 6px; break-after: avoid; }
  .cards { grid-template-columns: repeat(4, 1fr); }
  .card { padding: 6px 8px; background: none; } .card .v { font-size: 14pt; }
  ol.items { display: block; columns: 2; column-gap: 8mm; }
  ol.items li { padding: 5px 7px; margin-bottom: 5px; }
  .bar, ol.items li.needed, .tag { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  table, .cards, section.cert { break-inside: avoid; }
}
"""


def _l(key: str, lang: str, **fields: Any) -> str:
    return label(f"feedback.{key}", lang, **fields)


def page_name(supplier_id: str, supplier_name: str | None) -> str:
    """`{supplier_id}_{supplier_name}.html`, characters file systems refuse replaced by `_`."""
    return supplier_file_name(supplier_id, supplier_name, ".html")


def _bar(value: float | None, mean: float | None) -> str:
    if value is None:
        return ""
    marker = f'<b style="left:{min(max(mean, 0), 100):.1f}%"></b>' if mean is not None else ""
    return f'<div class="bar"><i style="width:{min(max(value, 0), 100):.1f}%"></i>{marker}</div>'


def _change_card(change: dict[str, Any] | None, lang: str) -> str:
    if not change:
        return ""
    c = change["compliance"]
    cls = "up" if (c["delta_pp"] or 0) > 0 else "down" if (c["delta_pp"] or 0) < 0 else ""
    return (f"<div class='card'><div class='k'>{e(_l('change', lang))}</div>"
            f"<div class='v {cls}'>{e(pp(c['delta_pp'], lang))}</div>"
            f"<div class='d'>{e(_l('before', lang))} {e(pct(c['before']))} → {e(pct(c['after']))}"
            "</div></div>")


def render_page(result: FeedbackResult, entry: dict[str, Any]) -> str:
    """The page of one supplier (``entry`` is its item of ``result.to_dict()['suppliers']``)."""
    lang = result.lang
    name = entry["supplier_name"] or entry["supplier_id"]
    q = result.questionnaire
    sub = [f"{_l('round', lang)} {entry['round']}" if entry["round"] else None,
           f"{_l('year', lang)} {entry['year']}" if entry["year"] else None]
    out = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
           '<meta name="viewport" content="width=device-width, initial-scale=1">'
           f"<title>{e(_l('doc', lang))} — {e(name)}</title><style>{CSS}</style></head><body>",
           f"<header><div class='doc'>{e(_l('doc', lang))} · {e(q['title'])}</div>"
           f"<h1>{e(name)}</h1><p class='sub'>{e(entry['supplier_id'])}"
           + "".join(f" · {e(s)}" for s in sub if s) + "</p></header>"]
    cohort = entry["cohort"]
    grade = f" · {_l('grade', lang)} {entry['grade']}" if entry["grade"] else ""
    cards = [f"<div class='card'><div class='k'>{e(_l('compliance', lang))}</div>"
             f"<div class='v'>{e(pct(entry['compliance']))}</div><div class='d'>{e(grade[3:])}</div></div>",
             f"<div class='card'><div class='k'>{e(_l('score', lang))}</div>"
             f"<div class='v'>{e(pct(entry['score']))}</div></div>",
             _change_card(entry["change"], lang)]
    if cohort is not None:
        p = "—" if cohort["percentile"] is None else f"{cohort['percentile']:.0f}"
        cards.append(f"<div class='card'><div class='k'>"
                     f"{e(_l('cohort', lang, n=cohort['suppliers']))}</div>"
                     f"<div class='v'>{e(p)}</div><div class='d'>"
                     f"{e(_l('cohort_mean', lang))} {e(pct(cohort['compliance_mean']))}</div></div>")
    out.append("<section><div class='cards'>" + "".join(cards) + "</div>")
    out.append(f"<p class='note'>{e(_l('percentile_note' if cohort else 'cohort_hidden', lang))}</p>"
               "</section>")
    out.append(_areas(result, entry, lang))
    if result.policy is not None:
        out.append(_certification(result, entry, lang))
    elif entry["certificate"]:
        out.append(f"<section class='cert'><h2>{e(_l('certificate', lang))}</h2>"
                   f"{_certificate(entry['certificate'], lang)}</section>")
    out.append(_failing(entry, lang))
    made_with = _l("made_with", lang, q=f"{q['id']} {q['version']}", tool=f"esgcli {__version__}")
    out.append(f"<footer><p>{e(_l('privacy', lang, name=name))}</p><p>{e(made_with)}</p>"
               "</footer></body></html>")
    return "\n".join(out) + "\n"


def _areas(result: FeedbackResult, entry: dict[str, Any], lang: str) -> str:
    shown = entry["cohort"] is not None
    head = [(_l("area", lang), ""), (_l("rate", lang), "n"), ("", "")]
    if shown:
        head += [(_l("cohort_mean", lang), "n opt"), (_l("percentile", lang), "n")]
    head.append((_l("score", lang), "n opt"))
    rows = []
    for area in result.areas:
        a = entry["areas"][area["id"]]
        cells = [f"<td class='area'>{e(area['id'])} {e(area['title'])}</td>",
                 f"<td class='n'>{e(pct(a['compliance']))}</td>",
                 f"<td style='width:32%'>{_bar(a['compliance'], a['cohort_mean'])}</td>"]
        if shown:
            cells += [f"<td class='n opt'>{e(pct(a['cohort_mean']))}</td>",
                      "<td class='n'>" + ("—" if a["percentile"] is None
                                          else f"{a['percentile']:.0f}") + "</td>"]
        cells.append(f"<td class='n opt'>{e(pct(a['score']))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    legend = (f"<p class='legend'><i></i>{e(_l('compliance', lang))}<b></b>"
              f"{e(_l('cohort_mean', lang))}</p>" if shown else "")
    ths = "".join(f"<th class='{cls}'>{e(text)}</th>" for text, cls in head)
    return (f"<section><h2>{e(_l('areas', lang))}</h2><table><thead><tr>{ths}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>{legend}</section>")


def _certificate(cert: dict[str, Any], lang: str) -> str:
    status = label(f"certificate.{cert['status']}", lang) \
        if cert["status"] in ("active", "expired", "revoked") else cert["status"]
    return (f"<p>{e(cert['number'])} · {e(_l('valid', lang))} {e(cert['issued_on'])} – "
            f"{e(cert['valid_until'])} · {e(_l('status', lang))} {e(status)}</p>")


def _certification(result: FeedbackResult, entry: dict[str, Any], lang: str) -> str:
    policy = result.policy or {}
    out = [f"<section class='cert'><h2>{e(_l('certification', lang))} · {e(policy.get('title'))}</h2>"]
    if entry["qualifies"] is None:
        out.append(f"<p>{e(_l('not_judged', lang))}</p>")
    elif entry["qualifies"]:
        out.append(f"<p class='verdict ok'>✓ {e(_l('qualifies', lang))}</p>")
    else:
        out.append(f"<p class='verdict no'>✗ {e(_l('fails', lang))}</p>")
        out.append(f"<p>{e(_l('failed', lang))}:</p><ul class='plain'>"
                   + "".join(f"<li>{e(failure_text(f, lang))}</li>" for f in entry["failed"])
                   + "</ul>")
        gap = entry.get("gap") or {}
        if entry["to_qualify"]:
            by_area = ", ".join(f"{a} {n}" for a, n in gap.get("by_area", {}).items())
            ids = ", ".join(f"<span class='nw'>{e(i)}</span>" for i in entry["to_qualify"])
            out.append(f"<p><strong>{e(_l('to_qualify', lang, n=len(entry['to_qualify'])))}</strong>"
                       f" ({e(by_area)}): {ids}</p>")
        if gap.get("unreachable"):
            out.append(f"<p>{e(_l('unreachable', lang, x=', '.join(gap['unreachable'])))}</p>")
    if entry["certificate"]:
        out.append(_certificate(entry["certificate"], lang))
    out.append("</section>")
    return "".join(out)


def _failing(entry: dict[str, Any], lang: str) -> str:
    items = entry["non_compliant"]
    head = f"<section><h2>{e(_l('failing', lang, n=len(items)))}</h2>"
    if not items:
        return head + f"<p>{e(_l('all_met', lang))}</p></section>"
    needed = set(entry["to_qualify"])
    out = [head, f"<p class='note'>{e(_l('failing_intro', lang))}</p><ol class='items'>"]
    for item in items:
        classes = " ".join(c for c, on in (("critical", item["critical"]),
                                           ("needed", item["indicator"] in needed)) if on)
        tags = ""
        if item["critical"]:
            tags += f"<span class='tag critical'>{e(_l('critical', lang))}</span>"
        if item["indicator"] in needed:
            tags += f"<span class='tag needed'>{e(_l('needed', lang))}</span>"
        question = f"<p class='q'>{e(item['question'])}</p>" if item.get("question") else ""
        answer = item["answer"] if item["answer"] is not None else _l("blank", lang)
        out.append(f"<li class='{classes}'><div>{tags}<span class='id'>{e(item['indicator'])}</span>"
                   f"{e(item['title'])}</div>{question}<dl class='ans'>"
                   f"<dt>{e(_l('answer', lang))}</dt><dd>{e(answer)}</dd>"
                   f"<dt>{e(_l('passes_with', lang))}</dt><dd class='pass'>{e(item['passes_with'])}</dd>"
                   "</dl></li>")
    out.append("</ol></section>")
    return "".join(out)


def write_feedback_pages(result: FeedbackResult, folder: Path) -> dict[str, Path]:
    """One page per supplier in ``folder``; returns supplier id → file written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    taken: set[str] = set()
    for supplier in result.suppliers:
        entry = supplier.to_dict()
        name = page_name(entry["supplier_id"], entry["supplier_name"])
        stem, n = name[:-5], 2
        while name.casefold() in taken:  # ids that differ only in refused characters
            name, n = f"{stem}-{n}.html", n + 1
        taken.add(name.casefold())
        path = folder / name
        write_text(path, render_page(result, entry))
        written[entry["supplier_id"]] = path
    return written
