"""README.md says what the program does: its commands, its output, its settings example."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.settings_io import load_settings

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", README, flags=re.S)


def test_two_setup_commands_and_ci_runs_the_test_one() -> None:
    setup, tests = (b.strip() for b in blocks("console")[:2])
    assert setup == "pip install -e . && custkit demo"
    assert tests == "pip install -e '.[test]' && pytest"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_demo_prints_what_the_readme_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["demo"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    shown = [line for line in blocks("text")[0].splitlines() if line.strip()]
    printed = result.output.splitlines()
    missing = [line for line in shown if line not in printed]
    assert not missing, f"README shows lines the demo does not print: {missing}"
    assert (tmp_path / "custkit-demo" / "demo_zh.xlsx").is_file()


def test_settings_example_is_valid(tmp_path: Path) -> None:
    example = next(b for b in blocks("toml") if "[columns]" in b)
    config = tmp_path / "custkit.toml"
    config.write_text(example, encoding="utf-8")
    settings = load_settings(config_file=config)
    assert settings.columns == {"name": "客户", "phone": "联系方式"}


def test_every_documented_option_exists() -> None:
    documented = set(re.findall(r"^\| `(--[a-z-]+)", README, flags=re.M))
    help_text = CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "200"}).output
    assert documented and all(option in help_text for option in documented)
