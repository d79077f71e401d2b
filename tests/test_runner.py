"""The runner leaves the cyclic collector as it found it, whatever the run does."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import write_workbook
from toolkit.backends.xlsx import XlsxBackend
from toolkit.errors import ToolkitError
from toolkit.runner import RunOptions, run

AS_OF = date(2025, 6, 30)
ROWS = [["姓名", "手机", "城市"], ["张三", "13800138000", "上海"], ["李四", "bad", "北京"]]


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does to the collector is undone after it (pytest's own objects)."""
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    yield
    if frozen == 0:
        gc.unfreeze()
    gc.enable() if enabled else gc.disable()


@pytest.mark.parametrize(
    ("options", "collector_on", "host_froze", "fails"),
    [
        (RunOptions(as_of=AS_OF), True, False, False),
        (RunOptions(as_of=AS_OF, dry_run=True), True, False, False),
        (RunOptions(as_of=AS_OF, steps="validate"), False, False, False),
        (RunOptions(as_of=AS_OF), True, True, False),
        (RunOptions(as_of=AS_OF, steps="no-such-step"), True, False, True),
    ],
    ids=["write", "dry-run", "collector-off-before", "host-froze-objects", "failing-run"],
)
def test_the_collector_is_as_it_was_after_a_run(
    tmp_path: Path,
    collector_restored: None,
    options: RunOptions,
    collector_on: bool,
    host_froze: bool,
    fails: bool,
) -> None:
    path = write_workbook(tmp_path / "客户.xlsx", {"客户": ROWS})
    gc.unfreeze()
    if host_froze:
        gc.freeze()
    gc.enable() if collector_on else gc.disable()
    frozen = gc.get_freeze_count()
    if fails:
        with pytest.raises(ToolkitError):
            run(XlsxBackend(path), options, workbook_path=path)
    else:
        outcome = run(XlsxBackend(path), options, workbook_path=path)
        assert outcome.plan.counts["validate.findings"] >= 1
    assert gc.isenabled() is collector_on
    # Nothing of the run's stays frozen; a host's frozen objects stay so (a few of them may
    # have been freed meanwhile: frozen objects still go when their last reference does).
    assert frozen - 100 <= gc.get_freeze_count() <= frozen
    assert (gc.get_freeze_count() > 0) is host_froze
