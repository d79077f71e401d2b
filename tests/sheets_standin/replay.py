"""Replay gspread's recorded Sheets/Drive traffic against the stand-in, and compare.

Each cassette is one scenario from an empty account: its requests are sent in order (with the
recorded ids swapped for the ids the stand-in hands out) and each answer is compared with the
recorded one, status and JSON body, after normalizing what differs by nature (ids learned as
they appear, timestamps). An interaction is skipped, with its reason, when:

- the stand-in answers 501 (it does not implement that endpoint or request kind); a later
  interaction on the same spreadsheet is skipped too when the 501 was a change, since the
  recorded state no longer matches;
- it refers to a file the scenario did not create (the recording account held files from
  other runs), or lists the account's files while such files existed. (A file the recording
  was refused with 403 is seeded as someone else's file: that is the world it recorded.)

    python -m tests.sheets_standin.replay ../shared/data/gspread-cassettes
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from tests.sheets_standin.server import SheetsStandIn, _route

ID_KEYS = {
    "spreadsheetId",
    "id",
    "sheetId",
    "namedRangeId",
    "protectedRangeId",
    "chartId",
    "filterViewId",
}
TIME_KEYS = {"createdTime", "modifiedTime"}
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
_FILE = re.compile(r"/(?:v4/spreadsheets|drive/v3/files|upload/drive/v2/files)/([A-Za-z0-9_-]+)")
ACCOUNT = "gspread-recorder@gspread-test.iam.gserviceaccount.com"


@dataclass(frozen=True)
class Outcome:
    cassette: str
    index: int
    endpoint: str
    result: str  # "pass", "fail", "skip"
    reason: str = ""


class _Ids:
    """Recorded ids and the stand-in's ids for the same things, learned as they appear."""

    def __init__(self) -> None:
        self.forward: dict[Any, Any] = {0: 0}

    def learn(self, recorded: Any, actual: Any) -> bool:
        if recorded in self.forward:
            return self.forward[recorded] == actual
        if actual in self.forward.values():
            return False
        self.forward[recorded] = actual
        return True

    def text(self, value: str) -> str:
        for recorded, actual in self.forward.items():
            if isinstance(recorded, str) and len(recorded) > 8:
                value = value.replace(recorded, str(actual))
        return value

    def body(self, node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            return {k: self.body(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [self.body(v, key) for v in node]
        if key in ID_KEYS and node in self.forward:
            return self.forward[node]
        if isinstance(node, str):
            return self.text(node)
        return node


def replay_cassette(standin: SheetsStandIn, path: Path) -> list[Outcome]:
    standin.reset()
    token = standin.store.issue_token(ACCOUNT)
    session = requests.Session()
    ids, tainted = _Ids(), set()
    outcomes = []
    for index, interaction in enumerate(json.loads(path.read_text("utf-8"))["interactions"]):
        request, response = interaction["request"], interaction["response"]
        parts = urlsplit(request["uri"])
        endpoint = _endpoint(request["method"], parts.path)
        recorded_status = int(response["status"]["code"])
        _seed_private(standin, _file_id(parts.path), recorded_status, ids)
        skip = _skip_reason(parts.path, endpoint, response, recorded_status, ids, tainted)
        if skip:
            outcomes.append(Outcome(path.name, index, endpoint, "skip", skip))
            continue
        answer = _send(session, standin, request, ids, token)
        if answer.status_code == 501:
            if request["method"] != "GET":
                tainted.add(_file_id(ids.text(parts.path)))
            reason = "not implemented: " + answer.json()["error"]["message"]
            outcomes.append(Outcome(path.name, index, endpoint, "skip", reason))
            continue
        problems = compare(recorded_status, response["body"].get("string", ""), answer, ids)
        result = "fail" if problems else "pass"
        outcomes.append(Outcome(path.name, index, endpoint, result, "; ".join(problems[:3])))
    return outcomes


def _seed_private(standin: SheetsStandIn, recorded_id: str | None, status: int, ids: _Ids) -> None:
    """A 403 on a file the scenario never made: the world held someone else's file there."""
    if recorded_id is not None and status == 403 and recorded_id not in ids.forward:
        with standin.store.lock:
            standin.store.new_book(
                "Private", "someone.else@example.com", spreadsheet_id=recorded_id
            )
        ids.forward[recorded_id] = recorded_id


def _endpoint(method: str, path: str) -> str:
    name, _ = _route(method, path)
    if name != "unimplemented":
        return name
    shape = _FILE.sub(lambda m: m.group(0).rsplit("/", 1)[0] + "/{id}", path)
    return f"{method} {shape}"


def _file_id(path: str) -> str | None:
    match = _FILE.search(path)
    return match.group(1) if match else None


def _skip_reason(
    path: str,
    endpoint: str,
    response: dict[str, Any],
    status: int,
    ids: _Ids,
    tainted: set[str | None],
) -> str:
    recorded_id = _file_id(path)
    if recorded_id is not None and recorded_id not in ids.forward and status != 404:
        return "refers to a file this scenario did not create"
    if recorded_id is not None and ids.forward.get(recorded_id) in tainted:
        return "follows an unimplemented change to the same spreadsheet"
    if endpoint == "drive.files.list":
        listed = json.loads(response["body"]["string"]).get("files", [])
        if any(f["id"] not in ids.forward for f in listed):
            return "the recording account held files from other scenarios"
    return ""


def _send(
    session: requests.Session,
    standin: SheetsStandIn,
    request: dict[str, Any],
    ids: _Ids,
    token: str,
) -> requests.Response:
    parts = urlsplit(request["uri"])
    url = standin.url + ids.text(parts.path) + ("?" + ids.text(parts.query) if parts.query else "")
    headers = {"Authorization": f"Bearer {token}"}
    body = request.get("body")
    data: bytes | None = None
    if body:
        content_type = (request["headers"].get("Content-Type") or ["application/json"])[0]
        headers["Content-Type"] = content_type
        if "json" in content_type:
            data = json.dumps(ids.body(json.loads(body))).encode("utf-8")
        else:
            data = body.encode("utf-8") if isinstance(body, str) else body
    return session.request(request["method"], url, data=data, headers=headers, timeout=30)


def compare(status: int, recorded_body: str, answer: requests.Response, ids: _Ids) -> list[str]:
    problems = []
    if answer.status_code != status:
        problems.append(f"status {answer.status_code} != recorded {status}: {answer.text[:200]}")
        return problems
    if not recorded_body.strip():
        return [] if not answer.content.strip() else [f"expected no body, got {answer.text[:100]}"]
    try:
        expected, actual = json.loads(recorded_body), answer.json()
    except json.JSONDecodeError as error:
        return [f"not JSON: {error}"]
    _match(expected, actual, "$", ids, problems)
    return problems


def _match(
    expected: Any, actual: Any, where: str, ids: _Ids, problems: list[str], key: str = ""
) -> None:
    if key in TIME_KEYS:
        if not (isinstance(actual, str) and _TIMESTAMP.match(actual)):
            problems.append(f"{where}: {actual!r} is not a timestamp")
        return
    if key in ID_KEYS and not isinstance(expected, dict | list):
        if not ids.learn(expected, actual):
            problems.append(f"{where}: id {actual!r} does not stand for recorded {expected!r}")
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        for name in sorted(set(expected) | set(actual)):
            if name not in actual:
                problems.append(f"{where}.{name}: missing (recorded {_short(expected[name])})")
            elif name not in expected:
                problems.append(f"{where}.{name}: unexpected {_short(actual[name])}")
            else:
                _match(expected[name], actual[name], f"{where}.{name}", ids, problems, name)
        return
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            counts = f"{len(actual)} items, recorded {len(expected)}"
            problems.append(f"{where}: {counts}: {_short(actual)} vs {_short(expected)}")
            return
        for position, (e, a) in enumerate(zip(expected, actual, strict=True)):
            _match(e, a, f"{where}[{position}]", ids, problems, key)
        return
    if isinstance(expected, str) and isinstance(actual, str):
        expected = ids.text(expected)
    if not _same_scalar(expected, actual):
        problems.append(f"{where}: {_short(actual)} != recorded {_short(expected)}")


def _same_scalar(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return abs(expected - actual) <= 1e-9 * max(1.0, abs(expected))
    return bool(expected == actual)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) < 120 else text[:117] + "..."


def replay_all(folder: Path) -> list[Outcome]:
    standin = SheetsStandIn().start()
    try:
        outcomes = []
        for path in sorted(folder.glob("*.json")):
            outcomes.extend(replay_cassette(standin, path))
        return outcomes
    finally:
        standin.stop()


def report(outcomes: list[Outcome]) -> str:
    """Per endpoint: replayed and passed, failed, skipped; then every skip reason, counted."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for outcome in outcomes:
        table[outcome.endpoint][outcome.result] += 1
    lines = [f"{'endpoint':<40} {'pass':>5} {'fail':>5} {'skip':>5}"]
    for endpoint in sorted(table):
        row = table[endpoint]
        lines.append(f"{endpoint:<40} {row['pass']:>5} {row['fail']:>5} {row['skip']:>5}")
    totals = Counter(o.result for o in outcomes)
    lines.append(f"{'total':<40} {totals['pass']:>5} {totals['fail']:>5} {totals['skip']:>5}")
    reasons = Counter(re.sub(r"\d{5,}", "N", o.reason) for o in outcomes if o.result == "skip")
    lines.append("skipped, by reason:")
    lines.extend(f"  {count:>4}  {reason}" for reason, count in reasons.most_common())
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path("../shared/data/gspread-cassettes")
    outcomes = replay_all(folder)
    print(report(outcomes))
    for outcome in outcomes:
        if outcome.result == "fail":
            print(f"FAIL {outcome.cassette}[{outcome.index}] {outcome.endpoint}: {outcome.reason}")
    return 1 if any(o.result == "fail" for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
