"""spreadsheets.batchUpdate: the request kinds the stand-in implements, applied atomically.

Every request of a batch is checked against the implemented kinds before anything changes
(an unknown kind is a 501 for the whole batch); a request that fails part way rolls the whole
batch back, as the API does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.sheets_standin.batch_cells import (
    add_chart,
    add_named_range,
    copy_paste,
    cut_paste,
    delete_embedded_object,
    delete_named_range,
    merge_cells,
    repeat_cell,
    set_data_validation,
    sort_range,
    unmerge_cells,
    update_cells,
    update_named_range,
)
from tests.sheets_standin.batch_sheets import (
    add_sheet,
    append_dimension,
    clear_basic_filter,
    delete_dimension,
    delete_sheet,
    groups,
    insert_dimension,
    set_basic_filter,
    update_dimension_properties,
    update_sheet_properties,
    update_spreadsheet_properties,
)
from tests.sheets_standin.errors import ApiError, not_implemented
from tests.sheets_standin.model import Spreadsheet

Handler = Callable[[Spreadsheet, dict[str, Any]], dict[str, Any] | None]


def batch_update(book: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    requests = body.get("requests", [])
    if body.get("includeSpreadsheetInResponse"):
        raise not_implemented("includeSpreadsheetInResponse")
    for request in requests:
        for kind in request:
            if kind not in HANDLERS:
                raise not_implemented(f"batchUpdate request {kind!r}")
    snapshot = book.snapshot()
    replies = []
    try:
        for position, request in enumerate(requests):
            ((kind, payload),) = request.items()
            try:
                reply = HANDLERS[kind](book, payload)
            except ApiError as error:
                if error.code == 400 and not error.message.startswith("Invalid requests"):
                    error.message = f"Invalid requests[{position}].{kind}: {error.message}"
                raise
            replies.append({kind: reply} if reply is not None else {})
    except ApiError:
        book.restore(snapshot)
        raise
    book.reindex()
    return {"spreadsheetId": book.id, "replies": replies}


HANDLERS: dict[str, Handler] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "updateCells": update_cells,
    "repeatCell": repeat_cell,
    "setDataValidation": set_data_validation,
    "copyPaste": copy_paste,
    "cutPaste": cut_paste,
    "appendDimension": append_dimension,
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "updateDimensionProperties": update_dimension_properties,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
    "addNamedRange": add_named_range,
    "deleteNamedRange": delete_named_range,
    "updateNamedRange": update_named_range,
    "sortRange": sort_range,
    "addChart": add_chart,
    "deleteEmbeddedObject": delete_embedded_object,
    "setBasicFilter": set_basic_filter,
    "clearBasicFilter": clear_basic_filter,
    "addDimensionGroup": lambda book, payload: groups(book, payload, True),
    "deleteDimensionGroup": lambda book, payload: groups(book, payload, False),
}
