"""Google Sheets backend (the `sheets` extra: gspread and google-auth, imported lazily).

backend = open_spreadsheet("https://docs.google.com/spreadsheets/d/KEY/edit", credentials=None)
raw = backend.read()
backend.apply(plan, run=run_info)
backend.undo()
"""

from toolkit.backends.gsheets.backend import GoogleSheetsBackend, open_spreadsheet, spreadsheet_key

__all__ = ["GoogleSheetsBackend", "open_spreadsheet", "spreadsheet_key"]
