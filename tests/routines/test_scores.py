"""The score step: columns, the Tiers sheet and its charts, and customer_scores for other steps."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.detect import understand
from toolkit.models.settings import Settings
from toolkit.plan import SetColumn, WriteSheet
from toolkit.routines.scores import CustomerScore, customer_scores, score_step
from toolkit.steps import StepContext, load_step, resolve_steps
from toolkit.table import Lang, RawSheet, RawWorkbook

AS_OF = date(2025, 6, 30)


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


ROWS_ZH = [
    ["客户名单"],
    [],
    ["客户编号", "姓名", "注册日期", "最近购买日期", "购买次数", "累计消费"],
    ["C1", "张三", ago(400), ago(3), 20, 50000],
    ["C2", "李四", ago(300), ago(20), 8, "¥12,000.00"],
    [None, None, None, None, None, None],
    ["C3", "王五", ago(700), ago(500), 2, 800],
    ["C4", "赵六", ago(30), ago(30), 1, 200],
    ["C5", "钱七", "不详", "很久以前", "好多", "保密"],  # nothing readable
]


def context(rows: list[list[object]], lang: Lang = "zh", **scoring: object) -> StepContext:
    workbook = understand(RawWorkbook("t.xlsx", (RawSheet("客户", rows),)), Settings())
    settings = Settings.model_validate({"scoring": scoring})
    return StepContext(workbook, settings, AS_OF, lang)


def columns_of(plan_changes: tuple[object, ...]) -> dict[str, SetColumn]:
    return {c.key: c for c in plan_changes if isinstance(c, SetColumn)}


def test_score_step_writes_its_columns_under_the_header_in_the_run_language() -> None:
    plan = score_step(context(ROWS_ZH))
    columns = columns_of(plan.changes)
    assert list(columns) == ["rfm", "segment", "tier", "churn_risk", "churn_level", "churn_reason"]
    segment = columns["segment"]
    assert (segment.sheet, segment.header, segment.header_row, segment.first_row) == (
        "客户",
        "客户分群",
        3,
        4,
    )
    assert segment.values == ("冠军客户", "忠诚客户", None, "沉睡客户", "沉睡客户", "沉睡客户")
    assert columns["rfm"].values == ("555", "444", None, "122", "211", "111")
    # ABC: C1 alone makes 79.4% of revenue, so C2 is needed to reach 80%: both high.
    assert columns["tier"].values == ("高价值", "高价值", None, "低价值", "低价值", "低价值")
    assert columns["churn_risk"].number_format == "0"
    assert columns["churn_level"].values[2] is None
    assert plan.counts["score.customers"] == 5 and plan.counts["score.tier_high"] == 2


def test_unreadable_values_get_the_lowest_scores_and_still_a_segment() -> None:
    scores = customer_scores(context(ROWS_ZH, lang="en"))
    c5 = scores[9]
    assert (c5.r, c5.f, c5.m, c5.segment, c5.tier) == (1, 1, 1, "Hibernating", "low")
    assert len(scores) == 5 and 6 not in scores and list(scores) == [4, 5, 7, 8, 9]
    with pytest.raises(KeyError):
        scores[6]


def test_every_customer_gets_a_segment_under_every_scheme() -> None:
    for scheme in ("rf10", "cn8"):
        scores = customer_scores(context(ROWS_ZH, scheme=scheme))
        assert all(score.segment for score in scores.values())


def test_cn8_segments_in_chinese() -> None:
    scores = customer_scores(context(ROWS_ZH, scheme="cn8", split="median"))
    assert scores[4].segment == "重要价值客户" and scores[7].segment == "一般挽留客户"


def test_customer_scores_is_computed_once_per_run_and_is_a_mapping() -> None:
    ctx = context(ROWS_ZH, lang="en")
    first = customer_scores(ctx)
    assert customer_scores(ctx) is first
    assert first[4] == CustomerScore(5, 5, 5, "555", "Champions", "high", "High", 0, "low", "")
    assert first.get(99) is None


def test_results_are_deterministic_for_a_given_as_of() -> None:
    one, two = score_step(context(ROWS_ZH)), score_step(context(ROWS_ZH))
    assert one == two


def test_tiers_sheet_counts_customers_and_revenue_with_charts() -> None:
    plan = score_step(context(ROWS_ZH, lang="en"))
    [sheet] = [c for c in plan.changes if isinstance(c, WriteSheet)]
    assert (sheet.key, sheet.title) == ("tiers", "Tiers")
    assert sheet.header == ("Group", "Name", "Customers", "Customers %", "Revenue", "Revenue %")
    rows = {(group, name): rest for group, name, *rest in sheet.rows}
    assert rows[("Segment", "Champions")] == [1, 20.0, 50000.0, 79.4]
    assert rows[("Segment", "New Customers")] == [0, 0.0, 0.0, 0.0]  # empty ones stay listed
    assert rows[("Tier", "High")] == [2, 40.0, 62000.0, 98.4]
    assert sum(count for (group, _), (count, *_) in rows.items() if group == "Tier") == 5
    bar, pie = sheet.charts
    assert (bar.chart, bar.categories_column, bar.series[0].column) == ("bar", 2, 3)
    assert (bar.series[0].first_row, bar.series[0].last_row) == (2, 11)  # the 10 segments
    assert (pie.chart, pie.series[0].column, pie.series[0].first_row) == ("pie", 5, 12)
    assert sheet.rows[pie.series[0].first_row - 2][:2] == ("Tier", "High")


def test_no_purchase_columns_is_a_warning_not_a_crash() -> None:
    plan = score_step(context([["姓名", "手机"], ["张三", "13800138000"]], lang="en"))
    assert [f.problem for f in plan.findings] == ["score_no_purchase_data"]
    assert columns_of(plan.changes)["segment"].values == ("Hibernating",)


def test_letters_for_tiers() -> None:
    scores = customer_scores(context(ROWS_ZH, tiers={"labels": "letters"}))
    assert [s.tier_label for s in scores.values()] == ["A", "A", "C", "C", "C"]


def test_steps_are_registered_in_run_order() -> None:
    assert resolve_steps("score,tag") == ["tag", "score"]
    assert load_step("score") is score_step


def test_custkit_run_tag_and_score_on_a_real_workbook(tmp_path: Path) -> None:
    book = tmp_path / "客户.xlsx"
    written = openpyxl.Workbook()
    written.active.title = "客户"
    for row in ROWS_ZH:
        written.active.append(row)
    written.save(book)
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "run",
            str(book),
            "--steps",
            "tag,score",
            "--as-of",
            AS_OF.isoformat(),
            "--dry-run",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["counts"]["score.customers"] == 5 and "tag.customers_tagged" in summary["counts"]
    result = runner.invoke(
        app, ["run", str(book), "--steps", "tag,score", "--as-of", AS_OF.isoformat()]
    )
    assert result.exit_code == 0, result.output
    saved = openpyxl.load_workbook(book)
    rows = [tuple(row) for row in saved["客户"].iter_rows(values_only=True)]
    header = rows[2]
    assert {"标签", "RFM", "客户分群", "客户等级", "流失风险", "流失等级", "流失原因"} <= set(
        header
    )
    assert rows[3][header.index("客户分群")] == "冠军客户"
    assert rows[3][header.index("RFM")] == "555"
    assert "客户分层" in saved.sheetnames
