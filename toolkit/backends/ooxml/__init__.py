"""The part-preserving .xlsx/.xlsm writer.

`write_plan(source, target, plan, positions=...)` writes a copy of the workbook package with the
plan applied. Only the parts the plan has a reason to change are rewritten (the worksheets it
edits, our own sheets and their charts, the sheet list, appended styles, the content types);
every other zip entry, VBA projects, charts, images, form controls, slicers included, is copied
byte for byte. What cannot be written safely raises `toolkit.errors.UnsafeWriteError` and
nothing is written.
"""

from toolkit.backends.ooxml.writer import WriteStats, write_plan

__all__ = ["WriteStats", "write_plan"]
