"""The demo workbooks: deterministic, shaped like staff workbooks, mess exactly where recorded."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from openpyxl import load_workbook

from toolkit.demo_data import AS_OF, build_demo, write_demo_files
from toolkit.demo_mess import QUOTAS
from toolkit.demo_pools import COMPLAINT_HEADERS, CUSTOMER_HEADERS, ORDER_HEADERS, TITLES
from toolkit.fields import match_header

REPO = Path(__file__).resolve().parents[1]
LANGS = ("zh", "en")
FILES = ("demo_zh.xlsx", "demo_zh.expected.json", "demo_en.xlsx", "demo_en.expected.json")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_demo_files(out)
    return out


@pytest.fixture(scope="module")
def books(generated: Path) -> dict[str, tuple[Any, dict[str, Any]]]:
    """lang -> (openpyxl workbook, manifest) of a fresh generation."""
    return {
        lang: (
            load_workbook(generated / f"demo_{lang}.xlsx"),
            json.loads((generated / f"demo_{lang}.expected.json").read_text(encoding="utf-8")),
        )
        for lang in LANGS
    }


def _customer_rows(book: Any, manifest: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """sheet row -> {field: value} for every customer row."""
    ws = book[manifest["sheet"]]
    fields = [field for field, _ in CUSTOMER_HEADERS["zh"]]
    return {
        row: {f: ws.cell(row, c).value for c, f in enumerate(fields, start=1)}
        for row in range(manifest["header_row"] + 1, manifest["last_row"] + 1)
    }


def _as_json(value: Any) -> Any:
    return value.date().isoformat() if isinstance(value, datetime) else value


# ---------------------------------------------------------------- determinism


def test_two_runs_write_identical_bytes(tmp_path: Path, generated: Path) -> None:
    write_demo_files(tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (generated / name).read_bytes(), name


def test_script_output_does_not_depend_on_hash_seed(tmp_path: Path, generated: Path) -> None:
    # Sets iterate in hash order, which PYTHONHASHSEED changes between processes.
    for seed in ("0", "4242"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        script = [sys.executable, str(REPO / "scripts" / "make_demo.py"), "--out", str(out)]
        done = subprocess.run(script, env=env, capture_output=True, text=True, check=True)
        assert "duplicate groups" in done.stdout
        for name in FILES:
            assert (out / name).read_bytes() == (generated / name).read_bytes(), (seed, name)


@pytest.mark.parametrize("name", FILES)
def test_shipped_files_equal_a_fresh_generation(name: str, generated: Path) -> None:
    shipped, fresh = REPO / "workbooks" / name, generated / name
    hint = "workbooks/ is generated: run `python scripts/make_demo.py`, do not edit it"
    if name.endswith(".json"):
        assert shipped.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), hint
        return
    # Compared by content, so that another zlib's deflate output does not fail the test.
    with zipfile.ZipFile(shipped) as old, zipfile.ZipFile(fresh) as new:
        assert old.namelist() == new.namelist(), hint
        for entry in new.namelist():
            assert old.read(entry) == new.read(entry), f"{entry}: {hint}"


# ---------------------------------------------------------------- shape


@pytest.mark.parametrize("lang", LANGS)
def test_headers_map_to_canonical_fields_except_the_deliberate_one(lang: str) -> None:
    for field, header in CUSTOMER_HEADERS[lang]:
        assert match_header(header, "customers") == (None if field == "interests" else field)
    assert None not in [match_header(h, "transactions") for h in ORDER_HEADERS[lang]]
    assert None not in [match_header(h, "complaints") for h in COMPLAINT_HEADERS[lang]]


@pytest.mark.parametrize("lang", LANGS)
def test_customer_header_sits_under_a_merged_title_and_a_blank_row(
    lang: str, books: dict[str, tuple[Any, dict[str, Any]]]
) -> None:
    book, manifest = books[lang]
    ws = book[manifest["sheet"]]
    headers = [h for _, h in CUSTOMER_HEADERS[lang]]
    assert manifest["header_row"] == 3
    assert ws["A1"].value == TITLES[lang]
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:S1"]
    assert all(cell.value is None for cell in ws[2])
    assert [cell.value for cell in ws[3]] == headers
    assert ws.max_row == manifest["last_row"]
    assert book.sheetnames[1:] == (["订单", "投诉"] if lang == "zh" else ["Orders", "Complaints"])


@pytest.mark.parametrize("lang", LANGS)
def test_counts_are_in_sensible_ranges(
    lang: str, books: dict[str, tuple[Any, dict[str, Any]]]
) -> None:
    book, manifest = books[lang]
    customers = manifest["last_row"] - manifest["header_row"]
    problems = manifest["problems"]
    kinds = Counter(p["problem"] for p in problems)
    assert 290 <= customers <= 320
    assert 1300 <= book.worksheets[1].max_row - 1 <= 1800
    assert book.worksheets[2].max_row - 1 == 60
    assert 0.08 <= len({p["row"] for p in problems}) / customers <= 0.11
    assert 1 < max(Counter(p["row"] for p in problems).values()) == 2  # some rows carry two
    assert set(kinds) == {kind for kind, _ in QUOTAS[lang]}  # zh also has name_spaces
    assert all(1 <= n <= 6 for n in kinds.values()), kinds
    groups = manifest["duplicate_groups"]
    assert 12 <= len(groups) <= 18 and sorted(map(len, groups))[-1] == 3
    assert len(manifest["namesakes"]) >= 3 and len(manifest["formula_text"]) == 3


# ---------------------------------------------------------------- planted mess


def _loose_date(value: Any) -> date | None:
    if isinstance(value, int):
        return date(1899, 12, 30) + timedelta(days=value)
    for form in ("%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d", "%B %d, %Y", "%d %b %Y"):
        try:
            return datetime.strptime(str(value), form).date()
        except ValueError:
            continue
    return None


def _amount(value: str) -> float:
    text = re.sub(r"[¥$,元]|USD|RMB", "", value).strip()
    return float(text[:-1]) * 10000 if text.endswith("万") else float(text)


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _phone_ok(value: Any) -> str | None:
    """E.164 of a valid phone (mainland numbers without a prefix are read as CN), else None."""
    try:
        number = phonenumbers.parse(unicodedata.normalize("NFKC", str(value)), "CN")
    except phonenumbers.NumberParseException:
        return None
    valid = phonenumbers.is_valid_number(number)
    return (
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if valid else None
    )


_GENDERS = {"男": "男", "男性": "男", "男士": "男", "male": "M", "M": "M", "m": "M",
            "man": "M", "女": "女", "女性": "女", "女士": "女", "female": "F", "F": "F", "f": "F",
            "woman": "F"}  # fmt: skip


def _same_gender(value: str, clean: str) -> bool:
    folded = {"男": "M", "女": "F"}
    return folded.get(_GENDERS[value], _GENDERS[value]) == folded.get(clean, clean)


_EMAIL = re.compile(r"[a-z0-9._]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}")
Check = Callable[[Any, Any], bool]


def _text(check: Check) -> Check:
    """A check of a text cell: false for anything that is not text."""
    return lambda v, c: isinstance(v, str) and check(v, c)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# problem -> does (cell value, clean value from the manifest) show that problem?
SHOWS: dict[str, Check] = {
    "required_missing": lambda v, c: v is None and bool(c),
    "phone_invalid": _text(lambda v, c: _phone_ok(v) is None),
    "phone_format": lambda v, c: v != c and _phone_ok(v) == _phone_ok(c) is not None,
    "email_invalid": _text(lambda v, c: not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v)),
    "email_format": _text(lambda v, c: v != c and _nfkc(v).strip().lower() == c),
    "date_invalid": _text(lambda v, c: not any(ch.isdigit() for ch in v)),
    "date_impossible": _text(lambda v, c: bool(re.fullmatch(r"\d{4}-\d\d-\d\d", v))
                             and _loose_date(v.replace("-", "/")) is None),
    "date_future": lambda v, c: isinstance(v, datetime) and v.date() > AS_OF,
    "date_format": lambda v, c: not isinstance(v, datetime) and str(_loose_date(v)) == c,
    "amount_invalid": _text(lambda v, c: not _is_float(re.sub("[¥$,]", "", v))),
    "amount_format": _text(lambda v, c: abs(_amount(v) - c) <= c * 0.005),
    "amount_negative": lambda v, c: isinstance(v, int | float) and v == -c < 0,
    "count_invalid": lambda v, c: isinstance(v, float) or not str(v).isdigit(),
    "count_format": _text(lambda v, c: re.sub(r"\D", "", v) == str(c)),
    "gender_invalid": lambda v, c: v not in _GENDERS,
    "gender_format": _text(lambda v, c: v in _GENDERS and v != c and _same_gender(v, c)),
    "text_spaces": _text(lambda v, c: v != c and " ".join(v.split()) == c),
    "name_spaces": _text(lambda v, c: v.strip() == v != c and v.replace(" ", "") == c),
    "text_fullwidth": _text(lambda v, c: v != c and _nfkc(v) == c),
}  # fmt: skip


@pytest.mark.parametrize("lang", LANGS)
def test_the_mess_checks_reject_the_clean_values(
    lang: str, books: dict[str, tuple[Any, dict[str, Any]]]
) -> None:
    """The checks below would catch a cell left clean: they fail on every clean value."""
    _, manifest = books[lang]
    for p in manifest["problems"]:
        dated = p["field"] == "birthday" or p["field"].endswith("_date")
        clean = datetime.fromisoformat(p["clean"]) if dated else p["clean"]
        assert not SHOWS[p["problem"]](clean, p["clean"]), p


@pytest.mark.parametrize("lang", LANGS)
def test_every_recorded_problem_is_in_its_cell(
    lang: str, books: dict[str, tuple[Any, dict[str, Any]]]
) -> None:
    book, manifest = books[lang]
    ws = book[manifest["sheet"]]
    headers = [field for field, _ in CUSTOMER_HEADERS[lang]]
    for p in manifest["problems"]:
        value = ws.cell(p["row"], p["column"]).value
        assert headers[p["column"] - 1] == p["field"], p
        assert _as_json(value) == p["value"], p
        assert SHOWS[p["problem"]](value, p["clean"]), p


def _unclean(field: str, value: Any, lang: str) -> bool:
    if field in ("interests", "notes"):
        return False  # free text; the formula-looking notes are checked separately
    if value is None:
        return field in ("customer_id", "name", "gender", "phone", "email", "signup_date")
    if field.endswith("date") or field == "birthday":
        return not isinstance(value, datetime) or value.date() > AS_OF
    if field == "phone":
        wanted = _phone_ok(value)
        return wanted is None or value != (wanted[3:] if lang == "zh" else wanted)
    if field == "email":
        return not _EMAIL.fullmatch(value)
    if field == "gender":
        return value not in (("男", "女") if lang == "zh" else ("M", "F"))
    if field == "purchase_count":
        return not isinstance(value, int) or value < 0
    if field == "total_amount":
        return not isinstance(value, int | float) or value < 0
    spaced = value != " ".join(value.split()) or (lang == "zh" and field == "name" and " " in value)
    return spaced or unicodedata.normalize("NFKC", value) != value


@pytest.mark.parametrize("lang", LANGS)
def test_every_other_customer_cell_is_clean(
    lang: str, books: dict[str, tuple[Any, dict[str, Any]]]
) -> None:
    book, manifest = books[lang]
    planted = {(p["row"], p["field"]) for p in manifest["problems"]}
    unclean = [
        (row, field, value)
        for row, values in _customer_rows(book, manifest).items()
        for field, value in values.items()
        if (row, field) not in planted and _unclean(field, value, lang)
    ]
    assert unclean == []


@pytest.mark.parametrize("lang", LANGS)
def test_clean_customer_columns_agree_with_orders(
    lang: str, books: dict[str, tuple[Any, dict[str, Any]]]
) -> None:
    book, manifest = books[lang]
    orders: dict[str, list[tuple[date, float]]] = {}
    for _, customer, day, _, _, amount in book.worksheets[1].iter_rows(min_row=2, values_only=True):
        orders.setdefault(customer, []).append((day.date(), amount))
    derived = ("purchase_count", "total_amount", "last_purchase_date")
    planted = {p["row"] for p in manifest["problems"] if p["field"] in derived}
    checked = 0
    for row, values in _customer_rows(book, manifest).items():
        if row in planted:
            continue
        mine = orders.get(values["customer_id"], [])
        last = values["last_purchase_date"]
        assert values["purchase_count"] == len(mine), row
        assert values["total_amount"] == pytest.approx(sum(a for _, a in mine), abs=0.005), row
        assert (last.date() if last else None) == max((d for d, _ in mine), default=None), row
        checked += 1
    assert checked > 280


@pytest.mark.parametrize("lang", LANGS)
def test_complaints_name_real_customers_and_resolve_after_they_open(
    lang: str, books: dict[str, tuple[Any, dict[str, Any]]]
) -> None:
    book, manifest = books[lang]
    ids = {values["customer_id"] for values in _customer_rows(book, manifest).values()}
    rows = list(book.worksheets[2].iter_rows(min_row=2, values_only=True))
    done = ("已解决", "已回访") if lang == "zh" else ("Resolved", "Followed up")
    for _, customer, opened, _, text, status, resolved, _, owner in rows:
        assert customer in ids and text and owner
        assert opened.date() <= AS_OF
        assert (resolved is not None) == (status in done)
        assert resolved is None or opened <= resolved <= datetime(2025, 6, 30)
    assert 0 < sum(row[3] is None for row in rows) < len(rows) / 3  # some categories empty


# ---------------------------------------------------------------- dedupe truth, formulas


def _keys(values: dict[str, Any]) -> set[str]:
    phone = _phone_ok(values["phone"]) if values["phone"] is not None else None
    email = unicodedata.normalize("NFKC", values["email"] or "").strip().lower()
    return {k for k in (phone, email) if k}


@pytest.mark.parametrize("lang", LANGS)
def test_duplicate_groups_and_namesakes_are_the_whole_truth(
    lang: str, books: dict[str, tuple[Any, dict[str, Any]]]
) -> None:
    book, manifest = books[lang]
    rows = _customer_rows(book, manifest)
    person = {row: row for row in rows}
    for group in manifest["duplicate_groups"]:
        # Every later entry keeps the first entry's phone or e-mail, maybe written differently.
        assert all(_keys(rows[r]) & _keys(rows[group[0]]) for r in group[1:]), group
        person.update({r: group[0] for r in group})
    for first, second in manifest["namesakes"]:
        a, b = rows[first], rows[second]
        assert (a["name"], a["city"]) == (b["name"], b["city"])
        assert not _keys(a) & _keys(b) and person[first] != person[second]
    owners: dict[str, set[int]] = {}  # no phone or e-mail is shared across two people
    for row, values in rows.items():
        for key in _keys(values):
            owners.setdefault(key, set()).add(person[row])
    assert [k for k, people in owners.items() if len(people) > 1] == []


@pytest.mark.parametrize("lang", LANGS)
def test_formula_looking_notes_are_stored_as_text(lang: str, generated: Path) -> None:
    manifest = json.loads((generated / f"demo_{lang}.expected.json").read_text(encoding="utf-8"))
    assert any(item["value"].startswith("=") for item in manifest["formula_text"])
    with zipfile.ZipFile(generated / f"demo_{lang}.xlsx") as package:
        assert b"<f>" not in package.read("xl/worksheets/sheet1.xml")
    ws = load_workbook(generated / f"demo_{lang}.xlsx")[manifest["sheet"]]
    for item in manifest["formula_text"]:
        cell = ws.cell(item["row"], item["column"])
        assert (cell.value, cell.data_type) == (item["value"], "s")


def test_build_demo_is_pure_and_repeatable() -> None:
    assert build_demo("zh") == build_demo("zh")
    assert build_demo("en").manifest.to_json() == build_demo("en").manifest.to_json()


def test_workbooks_readme_states_the_demo_date() -> None:
    readme = (REPO / "workbooks" / "README.md").read_text(encoding="utf-8")
    assert f"--as-of {AS_OF.isoformat()}" in readme
