"""Write tests/data/plan-lo.xlsx and .ods: a mini action plan as an operator edits it, saved by
LibreOffice.

    python tests/data/make_plan_fixture.py      # needs soffice on PATH

The plan is made from mini.xlsx's 사전 round with mini-policy.yaml (Korean), the statuses,
owners and dates are filled in as an operator would (one date typed as text), and LibreOffice
re-saves the workbook (`soffice --headless --convert-to xlsx`), as happens when an operator
opens and saves it there.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from esgcli.answers.read import read_answers  # noqa: E402
from esgcli.engine.actions import build_plan  # noqa: E402
from esgcli.questionnaire.policy import load_policy  # noqa: E402
from esgcli.questionnaire.questionnaire import load_questionnaire  # noqa: E402
from esgcli.reports.plan_xlsx import write_plan_xlsx  # noqa: E402

# (status, due, owner) for the plan's rows in order (excel rows 2..9)
EDITS = [
    ("완료", dt.date(2024, 9, 30), "김담당"),     # 1234 S-1: done, no follow-up record
    ("진행중", dt.date(2024, 9, 15), "김담당"),   # 1234 E-3: overdue on 2024-10-01
    ("done", "2024.10.15", "이컨설턴트"),         # A001 S-1: done, date typed as text
    ("진행 중", None, None),                      # A002 E-1: in progress, no due date
    ("보류", dt.date(2024, 12, 31), None),        # A003 S-1: on hold
    ("미착수", dt.date(2024, 9, 30), None),       # A003 E-1: overdue
    ("완료", dt.date(2024, 11, 30), "박담당"),    # A003 E-3: done
    ("on_hold", None, None),                      # A003 S-2
]


def main() -> Path:
    q = load_questionnaire(HERE / "mini.yaml")
    data = read_answers(HERE / "mini.xlsx", q)
    plan = build_plan(data, load_policy(HERE / "mini-policy.yaml"), dt.date(2024, 9, 30), "ko",
                      round_name="사전")
    with tempfile.TemporaryDirectory() as tmp:
        edited = Path(tmp) / "plan.xlsx"
        write_plan_xlsx(plan, edited)
        book = load_workbook(edited)
        sheet = book.worksheets[0]
        for row, (status, due, owner) in enumerate(EDITS, start=2):
            sheet.cell(row=row, column=11).value = status
            sheet.cell(row=row, column=10).value = due
            sheet.cell(row=row, column=9).value = owner
        sheet.cell(row=4, column=12, value="증빙: 교육 일지")
        book.save(edited)
        out = Path(tmp) / "lo"
        subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(out),
                        str(edited)], check=True, capture_output=True)
        shutil.copy(out / "plan.xlsx", HERE / "plan-lo.xlsx")
        subprocess.run(["soffice", "--headless", "--convert-to", "ods", "--outdir", str(out),
                        str(edited)], check=True, capture_output=True)
        shutil.copy(out / "plan.ods", HERE / "plan-lo.ods")
    return HERE / "plan-lo.xlsx"


if __name__ == "__main__":
    print(main())
