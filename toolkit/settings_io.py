"""Loading settings from custkit.toml and from the workbook's settings sheet.

Every problem is collected and reported at once, each naming where it came from: the TOML
file and key, or the settings sheet and row. The settings sheet holds one setting per row:
a dotted key in column A (`validation.required`, `columns.email`), its value in column B
(TOML syntax such as `30`, `true`, `["name", "phone"]`, or plain text; lists may also be
written `name, phone`), anything after that is a comment.
"""

from __future__ import annotations

import tomllib
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from toolkit.errors import ConfigError, ConfigProblem
from toolkit.models.settings import Settings
from toolkit.table import RawSheet, RawWorkbook, is_blank

SETTINGS_SHEET_NAMES = ("设置", "Settings", "custkit设置", "custkit settings", "custkit")
CONFIG_FILE_NAME = "custkit.toml"

Tree = dict[str, Any]


def find_config_file(workbook: Path | None, explicit: Path | None) -> Path | None:
    """`--config` when given, else custkit.toml beside the workbook when it exists.

    >>> find_config_file(None, None) is None
    True
    """
    if explicit is not None:
        if not explicit.is_file():
            problem = ConfigProblem(str(explicit), "", "file not found; check the --config path")
            raise ConfigError([problem])
        return explicit
    if workbook is not None and (workbook.parent / CONFIG_FILE_NAME).is_file():
        return workbook.parent / CONFIG_FILE_NAME
    return None


def load_settings(
    *,
    config_file: Path | None = None,
    raw: RawWorkbook | None = None,
    overrides: Tree | None = None,
) -> Settings:
    """Settings from defaults, then the TOML file, then the workbook's settings sheet.

    >>> load_settings(overrides={"validation": {"day_first": True}}).validation.day_first
    True
    """
    tree: Tree = {}
    origin: dict[str, str] = {}
    problems: list[ConfigProblem] = []
    if config_file is not None:
        _merge(tree, origin, _read_toml(config_file, problems), config_file.name)
    sheet = settings_sheet(raw) if raw is not None else None
    if sheet is not None:
        rows_origin: dict[str, str] = {}
        _merge(tree, origin, _read_sheet(sheet, problems, rows_origin), f"sheet '{sheet.name}'")
        origin.update(rows_origin)
    if overrides:
        _merge(tree, origin, overrides, "command line")
    try:
        settings = Settings.model_validate(tree)
    except ValidationError as error:
        problems.extend(_explain(error, origin))
        settings = None
    if problems or settings is None:
        raise ConfigError(problems)
    return settings


def settings_sheet(raw: RawWorkbook) -> RawSheet | None:
    """The workbook's settings sheet (设置 / Settings), if it has one."""
    wanted = {name.casefold() for name in SETTINGS_SHEET_NAMES}
    return next((s for s in raw.sheets if s.name.strip().casefold() in wanted), None)


def _read_toml(path: Path, problems: list[ConfigProblem]) -> Tree:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as error:
        problems.append(ConfigProblem(path.name, "", f"not valid TOML: {error}"))
    except (OSError, UnicodeDecodeError) as error:
        problems.append(ConfigProblem(path.name, "", f"cannot be read: {error}"))
    return {}


def _read_sheet(sheet: RawSheet, problems: list[ConfigProblem], origin: dict[str, str]) -> Tree:
    tree: Tree = {}
    for number, row in enumerate(sheet.rows, start=1):
        key = str(row[0]).strip() if row and not is_blank(row[0]) else ""
        if not key or key.startswith("#") or key.casefold() in {"key", "设置项", "setting"}:
            continue
        value = row[1] if len(row) > 1 else None
        where = f"sheet '{sheet.name}' row {number}"
        path = key.split(".")
        if not all(part.strip() for part in path):
            problems.append(ConfigProblem(where, key, "malformed key; write it like columns.email"))
            continue
        _set(tree, path, _sheet_value(value, path))
        origin[key] = where
    return tree


def _sheet_value(value: object, path: list[str]) -> object:
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        pass
    if _expects_sequence(path):
        return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
    return text


def _expects_sequence(path: list[str]) -> bool:
    model: type[BaseModel] | None = Settings
    annotation: Any = None
    for part in path:
        if model is None or part not in model.model_fields:
            return False
        annotation = model.model_fields[part].annotation
        model = (
            annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel)
            else None
        )
    return typing.get_origin(annotation) in (tuple, list)


def _set(tree: Tree, path: list[str], value: object) -> None:
    node = tree
    for part in path[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[path[-1]] = value


def _merge(
    tree: Tree, origin: dict[str, str], update: Mapping[str, Any], source: str, prefix: str = ""
) -> None:
    for key, value in update.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and isinstance(tree.get(key), dict):
            _merge(tree[key], origin, value, source, dotted + ".")
            continue
        tree[key] = dict(value) if isinstance(value, Mapping) else value
        origin[dotted] = source


def _explain(error: ValidationError, origin: dict[str, str]) -> list[ConfigProblem]:
    problems = []
    for item in error.errors():
        path = [str(part) for part in item["loc"]]
        dotted = ".".join(path)
        source = _source_of(path, origin)
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown setting; check the spelling (see README, Settings)"
        problems.append(ConfigProblem(source, dotted, message))
    return problems


def _source_of(path: list[str], origin: dict[str, str]) -> str:
    """Where the setting at `path` came from; for a whole-section problem, every row under it."""
    dotted = ".".join(path)
    below = sorted({source for key, source in origin.items() if key.startswith(dotted + ".")})
    if below:
        return "; ".join(below)
    for end in range(len(path), 0, -1):
        if ".".join(path[:end]) in origin:
            return origin[".".join(path[:end])]
    return "settings"
