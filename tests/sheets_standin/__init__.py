"""A local stand-in of the Google Sheets v4 / Drive v3 APIs, for tests only (never shipped).

The real gspread client talks to it over HTTP on 127.0.0.1 (point it there with
CUSTKIT_SHEETS_API). What it does not implement it answers with 501, never with a silent
success. Its fidelity is checked by replaying the gspread project's recorded API traffic
(tests/sheets_standin/test_standin_replay.py).
"""

from tests.sheets_standin.server import Fault, RequestRecord, SheetsStandIn

__all__ = ["Fault", "RequestRecord", "SheetsStandIn"]
