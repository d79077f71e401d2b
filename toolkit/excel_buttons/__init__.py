"""`custkit excel add-buttons`: a macro-enabled copy of a workbook with a sheet of buttons.

`add_buttons(source, target)` writes it; see docs/excel.md for what the buttons need on the
user's PC and what is verified only in real Excel.
"""

from toolkit.excel_buttons.build import ButtonWorkbook, add_buttons, default_target

__all__ = ["ButtonWorkbook", "add_buttons", "default_target"]
