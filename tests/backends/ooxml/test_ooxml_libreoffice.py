"""LibreOffice opens what the writer wrote and shows the values (few tests: soffice is slow)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from toolkit.backends.xlsx import read_values

from .test_ooxml_excel_made import FILES, PLACED, plan_for
from .test_ooxml_writer import ISSUES, customer_plan
from .testkit import apply, build_customers

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice is not on PATH"),
]
ALL_SHEETS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@pytest.fixture(scope="session")
def profile(tmp_path_factory: pytest.TempPathFactory) -> str:
    return (tmp_path_factory.mktemp("lo-profile")).as_uri()


def to_csv(profile: str, files: list[Path], outdir: Path) -> str:
    """Convert workbooks (every sheet) to CSV in one soffice start; returns its output."""
    command = [
        "soffice",
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        ALL_SHEETS_CSV,
    ]
    result = subprocess.run(
        [*command, "--outdir", str(outdir), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result.stdout + result.stderr


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_customer_workbook_after_two_runs(profile: str, tmp_path: Path) -> None:
    source = build_customers(tmp_path / "customers.xlsx")
    first, second = tmp_path / "first.xlsx", tmp_path / "result.xlsx"
    apply(source, first, customer_plan())
    apply(first, second, customer_plan(title="数据校验"))
    log = to_csv(profile, [second], tmp_path)
    customers = read_csv(tmp_path / "result-Customers.csv")
    assert customers[0][:8] == [
        "Name",
        "Phone",
        "Amount",
        "Double",
        "Joined",
        "Email",
        "Notes",
        "Issues",
    ], log
    assert [row[7] for row in customers[1:21]] == [v or "" for v in ISSUES]  # "=SUM(..)" stays text
    assert customers[4][1] == "13912345678"
    validation = read_csv(tmp_path / "result-数据校验.csv")
    assert validation[0] == ["Sheet", "Row", "Problem", "Count", "Seen"]
    assert validation[1][:4] == ["Customers", "2", "problem 0", "1"]
    resaved = tmp_path / "resaved"
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx"]
    subprocess.run(
        [*command, "--outdir", str(resaved), str(second)], capture_output=True, timeout=600
    )
    book = openpyxl.load_workbook(resaved / "result.xlsx")
    assert len(book["数据校验"]._charts) == 1  # LibreOffice understood our chart and kept it
    assert len(book["Customers"]._charts) == 1  # and the user's chart


@pytest.mark.skipif(not FILES, reason="../shared/data/excel-made is not beside the repo")
def test_every_excel_made_workbook_opens(profile: str, shared_data: Path, tmp_path: Path) -> None:
    written = []
    for name in FILES:
        source = shared_data / "excel-made" / name
        target = tmp_path / name
        placed = {"issues": PLACED[name]} if name in PLACED else {}
        apply(source, target, plan_for(source, ((2, 1),)), **placed)
        written.append(target)
    outdir = tmp_path / "csv"
    log = to_csv(profile, written, outdir)
    for target in written:
        first = read_values(target).sheets[0].name
        sheet_csv = outdir / f"{target.stem}-{first}.csv"
        assert sheet_csv.exists(), f"LibreOffice did not open {target.name}: {log}"
        assert "Issues" in read_csv(sheet_csv)[0]
        assert read_csv(outdir / f"{target.stem}-Validation.csv")[1] == ["phone", "3"]
