"""The steps of a run, in the order `custkit run` takes them, and what each one is given.

A step is a pure function `StepContext -> Plan`. Steps all plan against the same snapshot of
the workbook; a later step may reuse what an earlier one computed (tiers, churn risk, complaint
counts) through `StepContext.remember`, so nothing is computed twice and no step needs another
to have written anything first.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from toolkit.errors import ConfigError, ConfigProblem
from toolkit.models.settings import Settings
from toolkit.plan import Plan
from toolkit.table import Lang, Workbook

T = TypeVar("T")


@dataclass
class StepContext:
    """Everything a step may look at. `as_of` is the run's today."""

    workbook: Workbook
    settings: Settings
    as_of: date
    lang: Lang
    fix: bool = False  # apply safe normalizations to the user's own cells
    merge: bool = False  # dedupe: merge groups instead of only marking them
    _memo: dict[str, Any] = field(default_factory=dict)

    def remember(self, key: str, compute: Callable[[], T]) -> T:
        """`compute()` once per run under `key`, then the same object every time.

        >>> ctx = StepContext(None, Settings(), date(2025, 1, 1), "en")  # type: ignore[arg-type]
        >>> ctx.remember("x", lambda: [1]) is ctx.remember("x", lambda: [2])
        True
        """
        if key not in self._memo:
            self._memo[key] = compute()
        result: T = self._memo[key]
        return result


Step = Callable[[StepContext], Plan]

# name -> "module:function"; imported on use so a step's dependencies load only when it runs.
STEPS: dict[str, str] = {
    "validate": "toolkit.routines.validate:validate_step",
    "dedupe": "toolkit.routines.dedupe.step:dedupe_step",
    "tag": "toolkit.routines.tagging:tag_step",
    "score": "toolkit.routines.scores:score_step",
    "followups": "toolkit.routines.followups:followups_step",
    "complaints": "toolkit.routines.complaints:complaint_step",
}


def resolve_steps(names: str | None) -> list[str]:
    """Step names from `--steps a,b` (all of them, in run order, when None).

    >>> resolve_steps(None)[0]
    'validate'
    """
    if not names:
        return list(STEPS)
    wanted = [n.strip().lower() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in STEPS]
    if unknown:
        known = ", ".join(STEPS)
        raise ConfigError([ConfigProblem("--steps", ",".join(unknown), f"unknown; use {known}")])
    return [n for n in STEPS if n in wanted]


def load_step(name: str) -> Step:
    """The function behind a step name."""
    module_name, function_name = STEPS[name].split(":")
    step: Step = getattr(importlib.import_module(module_name), function_name)
    return step
