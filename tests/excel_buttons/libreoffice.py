"""Pressing a button workbook's buttons in headless LibreOffice.

LibreOffice imports each Excel form button as a push button whose `actionPerformed` event
runs the VBA Sub named in its `FmlaMacro`, and runs VBA modules as Basic with VBA support.
`press_every_button` takes a copy of a built .xlsm, replaces the `xlwings` module (whose
`RunPython` needs Python and Windows) by a stand-in that appends its argument to a file, adds
a module `CustkitPress` that walks every sheet's draw page, reads each control's events and
runs each `actionPerformed` script through the document's script provider (what a click
does), and opens it with an application macro that calls `CustkitPress.PressAll`.
`PressAll` ends LibreOffice itself: a document macro called from an application macro
never returns control to it in LibreOffice 7.4 (measured), so the driver cannot close it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from pyopenvba import ExcelFile

SOFFICE = shutil.which("soffice")
RUN_PYTHON_STANDIN = """Attribute VB_Name = "xlwings"
Option Explicit

Sub RunPython(PythonCommand As String)
    Dim f As Integer
    f = FreeFile
    Open Environ("CUSTKIT_CALLS") For Append As #f
    Print #f, PythonCommand
    Close #f
End Sub
"""
PRESS_MODULE = """Attribute VB_Name = "CustkitPress"
Sub Note(sLine As String)
    Dim n As Integer
    n = FreeFile
    Open Environ("CUSTKIT_REPORT") For Append As #n
    Print #n, sLine
    Close #n
End Sub

Sub PressAll()
    Dim oDoc As Object, oSheet As Object, oForm As Object, oControl As Object
    Dim s As Integer, f As Integer, c As Integer, e As Integer
    Dim events As Variant
    Dim aParams(), aOutIndex(), aOut()
    Set oDoc = ThisComponent
    For s = 0 To oDoc.Sheets.Count - 1
        Set oSheet = oDoc.Sheets.getByIndex(s)
        For f = 0 To oSheet.DrawPage.Forms.Count - 1
            Set oForm = oSheet.DrawPage.Forms.getByIndex(f)
            For c = 0 To oForm.Count - 1
                Set oControl = oForm.getByIndex(c)
                events = oForm.getScriptEvents(c)
                For e = LBound(events) To UBound(events)
                    Note "BUTTON" & Chr(9) & oSheet.Name & Chr(9) & oControl.Label & Chr(9) _
                        & events(e).EventMethod & Chr(9) & events(e).ScriptCode
                    If events(e).EventMethod = "actionPerformed" Then
                        oDoc.getScriptProvider().getScript(events(e).ScriptCode) _
                            .invoke(aParams, aOutIndex, aOut)
                    End If
                Next
            Next
        Next
    Next
    Note "DONE"
    createUnoService("com.sun.star.frame.Desktop").terminate()
End Sub
"""
OPEN_AND_PRESS = """Sub Press
    Dim args(1) As New com.sun.star.beans.PropertyValue
    Dim a(), b(), c()
    args(0).Name = "Hidden" : args(0).Value = True
    args(1).Name = "MacroExecutionMode" : args(1).Value = 4
    sUrl = ConvertToURL(Environ("CUSTKIT_XLSM"))
    oDoc = StarDesktop.loadComponentFromURL(sUrl, "_blank", 0, args())
    oDoc.getScriptProvider().getScript(_
        "vnd.sun.star.script:VBAProject.CustkitPress.PressAll?language=Basic&location=document"_
        ).invoke(a, b, c)
End Sub
"""


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


@dataclass(frozen=True)
class Pressed:
    buttons: list[tuple[str, str, str, str]]  # sheet, caption, event, script URL
    calls: list[str]  # the RunPython arguments, in order
    finished: bool


def make_profile(folder: Path) -> str:
    """A LibreOffice user profile whose Standard library holds the `Press` macro."""
    uri = folder.as_uri()
    assert SOFFICE is not None
    command = [SOFFICE, f"-env:UserInstallation={uri}", "--headless", "--terminate_after_init"]
    subprocess.run(command, capture_output=True, timeout=120, check=False)
    module = folder / "user" / "basic" / "Standard" / "Module1.xba"  # written by the first start
    module.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE script:module PUBLIC '
        '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n<script:module '
        'xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
        f'script:language="StarBasic">{escape(OPEN_AND_PRESS)}</script:module>\n',
        encoding="utf-8",
    )
    return uri


def pressable_copy(built: Path, copy: Path) -> Path:
    """`built` with the RunPython stand-in and the CustkitPress module, saved as `copy`."""
    with ExcelFile(built) as workbook:
        workbook.set_module("xlwings", crlf(RUN_PYTHON_STANDIN))
        workbook.vba_project().add_module("CustkitPress", crlf(PRESS_MODULE))
        workbook.save(copy)
    return copy


def press_every_button(profile: str, built: Path, work: Path) -> Pressed:
    """Open a pressable copy of `built` in LibreOffice and press every button in it."""
    assert SOFFICE is not None
    copy = pressable_copy(built, work / f"pressed-{built.name}")
    report, calls = work / "report.txt", work / "calls.txt"
    env = dict(
        os.environ, CUSTKIT_XLSM=str(copy), CUSTKIT_REPORT=str(report), CUSTKIT_CALLS=str(calls)
    )
    command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless"]
    subprocess.run(
        [*command, "macro:///Standard.Module1.Press"], env=env, capture_output=True, timeout=120
    )
    lines = report.read_text(encoding="utf-8").splitlines() if report.exists() else []
    buttons = [tuple(line.split("\t")[1:]) for line in lines if line.startswith("BUTTON\t")]
    return Pressed(
        [(b[0], b[1], b[2], b[3]) for b in buttons],
        calls.read_text(encoding="utf-8").splitlines() if calls.exists() else [],
        lines[-1:] == ["DONE"],
    )
