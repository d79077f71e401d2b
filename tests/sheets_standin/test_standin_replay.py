"""The stand-in answers the recorded requests of the real API as the real API did.

Run `python -m tests.sheets_standin.replay ../shared/data/gspread-cassettes` for the full
report (per endpoint: passed, failed, skipped; every skip reason with its count).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.sheets_standin.replay import Outcome, replay_all, report

CLAIMED = {
    "spreadsheets.get",
    "spreadsheets.batchUpdate",
    "values.get",
    "values.batchGet",
    "values.update",
    "values.batchUpdate",
    "values.append",
    "values.clear",
    "values.batchClear",
    "drive.files.create",
    "drive.files.list",
    "drive.files.get",
    "drive.files.delete",
}
WORLD_REASONS = (
    "refers to a file this scenario did not create",
    "the recording account held files from other scenarios",
    "follows an unimplemented change to the same spreadsheet",
    "not implemented: ",
)


_REPLAYED: dict[Path, list[Outcome]] = {}


@pytest.fixture
def outcomes(shared_data: Path) -> list[Outcome]:
    """The replay of every cassette, done once for this module (it takes a few seconds)."""
    folder = shared_data / "gspread-cassettes"
    if folder not in _REPLAYED:
        _REPLAYED[folder] = replay_all(folder)
    return _REPLAYED[folder]


def test_every_replayed_interaction_matches_the_recording(outcomes: list[Outcome]) -> None:
    print("\n" + report(outcomes))
    failed = [
        f"{o.cassette}[{o.index}] {o.endpoint}: {o.reason}" for o in outcomes if o.result == "fail"
    ]
    assert failed == []
    assert Counter(o.result for o in outcomes)["pass"] >= 1893


def test_every_claimed_endpoint_is_exercised_by_the_recordings(outcomes: list[Outcome]) -> None:
    passed = Counter(o.endpoint for o in outcomes if o.result == "pass")
    assert {e for e in CLAIMED if passed[e] == 0} == set()


def test_skips_only_for_the_reasons_the_replay_documents(outcomes: list[Outcome]) -> None:
    reasons = {o.reason for o in outcomes if o.result == "skip"}
    assert {r for r in reasons if not r.startswith(WORLD_REASONS)} == set()
    missing = "not implemented: The Sheets stand-in does not implement this endpoint"
    unimplemented = {o.endpoint for o in outcomes if o.reason.startswith(missing)}
    assert unimplemented.isdisjoint(CLAIMED)
