"""Write tests/data/mini.xlsx; LibreOffice copies are made from it with soffice (see below).

    python tests/data/make_fixtures.py
    cd tests/data && soffice --headless --convert-to ods mini.xlsx
    soffice --headless --convert-to "csv:Text - txt - csv (StarCalc):44,34,76" mini.xlsx
    mkdir lo && soffice --headless --convert-to xlsx --outdir lo mini.ods && mv lo/mini.xlsx mini-lo.xlsx
"""

from pathlib import Path

from openpyxl import Workbook

ROWS = [
    ["2024 미니 진단 결과"],
    [],
    ["협력사코드", "협력사명", "차수", "연도", "상시근로자 수", "E-1 환경 목표", "E-2: 추진체계",
     "E-3. 재생에너지 비율", "S-1 안전보건", "S-2 장애인 고용", "비고"],
    ["A001", "(주)가나", "사전", 2024, 10, "예", 2, 10, "책임자", None, "memo"],
    ["A002", "(주)다라", "사전", 2024, 120, "아니오", "n/a", "25%", "manager; ppe", "O", None],
    ["A003", "-마이너스(주)", "사전", 2024, 55, None, "보통", 4.5, "none", "X", None],
    [1234.0, "숫자코드", "사전", 2024, 10, "Y", 3, "1.5", "training", None, None],
    ["A001", "(주)가나", "사후", 2024, 10, "예", 3, 30, "책임자, training", None, None],
    ["A002", "(주)다라", "사후", 2024, 120, "yes", "Good", 21, "manager,ppe,training", "예", None],
]


def main() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "응답"
    for row in ROWS:
        sheet.append(row)
    book.save(Path(__file__).parent / "mini.xlsx")


if __name__ == "__main__":
    main()
