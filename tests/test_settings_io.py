"""Settings from TOML and from the settings sheet; every problem reported with its source."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import ConfigError
from toolkit.settings_io import find_config_file, load_settings
from toolkit.table import RawSheet, RawWorkbook


def sheet_book(rows: list[list[object]]) -> RawWorkbook:
    return RawWorkbook("x.xlsx", (RawSheet("设置", rows),))  # type: ignore[arg-type]


def test_defaults_need_no_file() -> None:
    assert load_settings().validation.required == ("name", "phone")


def test_toml_then_sheet_sheet_wins(tmp_path: Path) -> None:
    config = tmp_path / "custkit.toml"
    config.write_text('[validation]\nrequired = ["name"]\nday_first = true\n', encoding="utf-8")
    raw = sheet_book([["设置项", "值"], ["validation.required", "name, email"]])
    settings = load_settings(config_file=config, raw=raw)
    assert settings.validation.required == ("name", "email")
    assert settings.validation.day_first is True


def test_every_problem_is_reported_with_its_source(tmp_path: Path) -> None:
    config = tmp_path / "custkit.toml"
    config.write_text(
        '[validation]\nrequired = ["nmae"]\n[colums]\nemail = "E-mail"\n', encoding="utf-8"
    )
    raw = sheet_book([["validation.day_first", "maybe"], ["validation.earliest_year", 99]])
    with pytest.raises(ConfigError) as caught:
        load_settings(config_file=config, raw=raw)
    problems = {(p.source, p.location) for p in caught.value.problems}
    assert problems == {
        ("custkit.toml", "validation.required"),
        ("custkit.toml", "colums"),
        ("sheet '设置' row 1", "validation.day_first"),
        ("sheet '设置' row 2", "validation.earliest_year"),
    }
    assert "4 settings problems" in str(caught.value)


def test_bad_toml_syntax_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "custkit.toml"
    config.write_text("[validation\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(config_file=config)


def test_config_file_beside_the_workbook_is_found(tmp_path: Path) -> None:
    (tmp_path / "custkit.toml").write_text("", encoding="utf-8")
    assert find_config_file(tmp_path / "book.xlsx", None) == tmp_path / "custkit.toml"
    with pytest.raises(ConfigError, match="file not found"):
        find_config_file(None, tmp_path / "missing.toml")


def test_a_whole_section_problem_names_the_rows_it_came_from() -> None:
    raw = sheet_book(
        [
            ["dedupe.review_threshold", 0.9],
            ["validation.day_first", "yes"],
            ["dedupe.match_threshold", 0.5],
        ]
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(raw=raw)
    (problem,) = caught.value.problems
    assert problem.location == "dedupe"
    assert problem.source == "sheet '设置' row 1; sheet '设置' row 3"
