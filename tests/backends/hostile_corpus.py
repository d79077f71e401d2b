"""A corpus of hostile and broken workbook files, each built from bytes (deterministic).

    python -m tests.backends.hostile_corpus /tmp/hostile    # writes every file there

Every `Hostile` names the error custkit must refuse it with and words its message must hold;
`CONTROLS` are files that look odd but are normal and must pass. Zips are written by hand
(`raw_zip`), so that sizes, offsets and compression can lie the way hostile files do, and the
zip bomb is built from one deflated megabyte repeated, without deflating gigabytes.
"""

from __future__ import annotations

import json
import os
import random
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ToolkitError, UnsupportedFormatError, WorkbookError
from toolkit.errors import WorkbookTooLargeError as TooLarge

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
GIB = 1 << 30


@dataclass(frozen=True)
class RawEntry:
    """One zip entry; the sizes written in each header may lie on purpose."""

    name: str
    data: bytes  # as stored (raw deflate when method is 8)
    crc: int
    size: int  # uncompressed
    method: int = 8
    local_sizes: tuple[int, int] | None = None  # (compressed, uncompressed) in the local header
    directory_sizes: tuple[int, int] | None = None  # same, in the central directory
    offset_of: str | None = None  # point the directory record at another entry's header


def entry(name: str, text: str | bytes, *, method: int = 8) -> RawEntry:
    data = text.encode() if isinstance(text, str) else text
    packed = deflate(data) if method == 8 else data
    return RawEntry(name, packed, zlib.crc32(data), len(data), method)


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def raw_zip(entries: Sequence[RawEntry]) -> bytes:
    """A zip file written field by field (dates fixed at 1980-01-01: deterministic)."""
    out, directory, offsets = bytearray(), bytearray(), {}
    for item in entries:
        name = item.name.encode()
        offsets[item.name] = len(out)
        packed, size = item.local_sizes or (len(item.data), item.size)
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, 0x800, item.method, 0, 0x21, item.crc,
            packed, size, len(name), 0,
        ) + name + item.data  # fmt: skip
    for item in entries:
        name = item.name.encode()
        packed, size = item.directory_sizes or (len(item.data), item.size)
        offset = offsets[item.offset_of or item.name]
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0x800, item.method, 0, 0x21, item.crc,
            packed, size, len(name), 0, 0, 0, 0, 0, offset,
        ) + name  # fmt: skip
    count = len(entries)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(out), 0)
    return bytes(out + directory + end)


def content_types(main: str = f"{SML}.sheet.main+xml", extra: str = "") -> str:
    return (
        f'{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SML}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SML}.sharedStrings+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{SML}.styles+xml"/>{extra}</Types>'
    )


def package_rels(kind: str = f"{REL}/officeDocument") -> str:
    return (
        f'{DECLARATION}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{kind}" '
        'Target="xl/workbook.xml"/></Relationships>'
    )


def workbook_xml(doctype: str = "", sheet_name: str = "Customers", ns: str = MAIN) -> str:
    return (
        f'{DECLARATION}{doctype}<workbook xmlns="{ns}" xmlns:r="{REL}"><sheets>'
        f'<sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def workbook_rels(extra: str = "") -> str:
    return (
        f'{DECLARATION}<Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>{extra}'
        "</Relationships>"
    )


STYLES = (
    f'{DECLARATION}<styleSheet xmlns="{MAIN}"><fonts count="1"><font/></fonts><fills count="2">'
    '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/>'
    '</cellStyleXfs><cellXfs count="1"><xf xfId="0"/></cellXfs><cellStyles count="1">'
    '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
SHARED = f'{DECLARATION}<sst xmlns="{MAIN}" count="3" uniqueCount="3"><si><t>姓名</t></si><si><t>手机</t></si><si><t>张三</t></si></sst>'  # noqa: E501
ROWS = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>13800138000</v></c></row>'
)


def sheet_xml(rows: str = ROWS, *, doctype: str = "", dimension: str = "A1:B2") -> str:
    return (
        f'{DECLARATION}{doctype}<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><dimension '
        f'ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def workbook(**parts: str | bytes | RawEntry) -> bytes:
    """A small valid workbook; keyword arguments replace or add parts (key: part name)."""
    base: dict[str, str | bytes | RawEntry] = {
        "[Content_Types].xml": content_types(),
        "_rels/.rels": package_rels(),
        "xl/workbook.xml": workbook_xml(),
        "xl/_rels/workbook.xml.rels": workbook_rels(),
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": SHARED,
        "xl/worksheets/sheet1.xml": sheet_xml(),
    }
    base.update({name.replace("__", "/"): value for name, value in parts.items()})
    return raw_zip([v if isinstance(v, RawEntry) else entry(k, v) for k, v in base.items()])


def with_parts(parts: dict[str, str | bytes | RawEntry]) -> bytes:
    return workbook(**{name.replace("/", "__"): value for name, value in parts.items()})


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(2, 10))
    + "]>"
)


def billion_laughs_shared_strings() -> bytes:
    sst = f'{DECLARATION}{LAUGHS}<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>'
    return with_parts({"xl/sharedStrings.xml": sst})


def billion_laughs_big_sheet() -> bytes:
    """The DTD heads a sheet past 64 KiB, which the guard searches without parsing whole."""
    rows = ROWS + "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(3, 4000))
    text = sheet_xml(rows.replace("<v>3</v>", "<v>&lol9;</v>"), doctype=LAUGHS)
    return with_parts({"xl/worksheets/sheet1.xml": text})


def utf16_doctype_sheet() -> bytes:
    rows = ROWS + "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(3, 4000))
    text = sheet_xml(rows, doctype=LAUGHS).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return with_parts({"xl/worksheets/sheet1.xml": text.encode("utf-16")})


def external_entity() -> bytes:
    doctype = '<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return with_parts({"xl/workbook.xml": workbook_xml(doctype, sheet_name="&xxe;")})


def bomb_entry(name: str, size: int, *, prefix: bytes, suffix: bytes) -> RawEntry:
    """A part of `size` bytes of whitespace between `prefix` and `suffix`, deflated ~1000:1.

    After a full flush deflate starts afresh, so one deflated megabyte can be repeated.
    """
    chunk = b" " * (1 << 20)
    count = (size - len(prefix) - len(suffix)) // len(chunk)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    if packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH) != block:
        raise AssertionError("deflate did not repeat itself after a full flush")
    tail = packer.compress(suffix) + packer.flush()
    crc = zlib.crc32(prefix)
    for _ in range(count + 1):  # one block was deflated twice: count + 1 in the stream
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc)
    total = len(prefix) + (count + 1) * len(chunk) + len(suffix)
    return RawEntry(name, head + block * (count + 1) + tail, crc, total)


def sheet_bomb(size: int) -> RawEntry:
    prefix = f'{DECLARATION}<worksheet xmlns="{MAIN}"><sheetData>'.encode()
    return bomb_entry(
        "xl/worksheets/sheet1.xml", size, prefix=prefix, suffix=b"</sheetData></worksheet>"
    )


def zip_bomb() -> bytes:
    return with_parts({"xl/worksheets/sheet1.xml": sheet_bomb(3 * GIB)})


def directory_lies() -> bytes:
    """The central directory says 200 MB (a plausible ratio); the local header says 1 GiB."""
    bomb = sheet_bomb(GIB)
    claim = (len(bomb.data), 200_000_000)
    lie = RawEntry(bomb.name, bomb.data, bomb.crc, bomb.size, directory_sizes=claim)
    return with_parts({"xl/worksheets/sheet1.xml": lie})


def both_headers_lie() -> bytes:
    """Both headers say 2 MB from 1 MB, the data inflates to 1 GiB: the first packed bytes
    already inflate past the declared size."""
    bomb = sheet_bomb(GIB)
    claim = (len(bomb.data), 2 * len(bomb.data))
    lie = RawEntry(
        bomb.name, bomb.data, bomb.crc, claim[1], local_sizes=claim, directory_sizes=claim
    )
    return with_parts({"xl/worksheets/sheet1.xml": lie})


def filler_rows(count: int, first: int = 3) -> str:
    """Rows of random numbers (deterministic), which deflate only about 2:1."""
    draw = random.Random(count)
    return "".join(
        f'<row r="{r}"><c r="A{r}"><v>{draw.getrandbits(40)}</v></c></row>'
        for r in range(first, first + count)
    )


def late_bomb_lie() -> bytes:
    """Like both_headers_lie, but the bomb starts after 400 kB of real rows, past what the
    guard inflates: the reader meets it, and must stop at the declared size (bad CRC)."""
    prefix = f'{DECLARATION}<worksheet xmlns="{MAIN}"><sheetData>{ROWS}{filler_rows(12_000)}'
    bomb = bomb_entry(
        "xl/worksheets/sheet1.xml", GIB, prefix=prefix.encode(), suffix=b"</sheetData></worksheet>"
    )
    claim = (len(bomb.data), 3 * len(bomb.data))
    lie = RawEntry(
        bomb.name, bomb.data, bomb.crc, claim[1], local_sizes=claim, directory_sizes=claim
    )
    return with_parts({"xl/worksheets/sheet1.xml": lie})


def cell_beyond_its_row() -> bytes:
    """A cell whose reference (A99999999) is past Excel's last row, inside row 60005: openpyxl
    reads it into its row; calamine allocated 512 GiB for it and aborted (found by fuzzing)."""
    far = '<row r="60005"><c r="A99999999"><v>1</v></c></row>'
    return with_parts({"xl/worksheets/sheet1.xml": sheet_xml(ROWS + filler_rows(60_000) + far)})


def overlapping_entries() -> bytes:
    """Two sheets whose directory records share one local header (a non-recursive zip bomb)."""
    second = '<sheet name="Copy" sheetId="2" r:id="rId4"/></sheets>'
    rels = f'<Relationship Id="rId4" Type="{REL}/worksheet" Target="worksheets/sheet2.xml"/>'
    sheet = entry("xl/worksheets/sheet1.xml", sheet_xml())
    sizes = (len(sheet.data), sheet.size)
    copy = RawEntry(
        "xl/worksheets/sheet2.xml", b"", sheet.crc, sheet.size, directory_sizes=sizes,
        offset_of=sheet.name,
    )  # fmt: skip
    return with_parts(
        {
            "xl/workbook.xml": workbook_xml().replace("</sheets>", second),
            "xl/_rels/workbook.xml.rels": workbook_rels(rels),
            "xl/worksheets/sheet1.xml": sheet,
            "xl/worksheets/sheet2.xml": copy,
        }
    )


def absurd_dimension() -> bytes:
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return with_parts(
        {"xl/worksheets/sheet1.xml": sheet_xml(ROWS + far, dimension="A1:XFD1048576")}
    )


def claimed_dimension() -> bytes:
    return with_parts({"xl/worksheets/sheet1.xml": sheet_xml(dimension="A1:XFD1048576")})


def huge_shared_strings(entries: int = 2_000_000, *, rels: str | None = None) -> bytes:
    body = "".join(f"<si><t>{i}</t></si>" for i in range(entries))
    sst = f'{DECLARATION}<sst xmlns="{MAIN}" count="{entries}" uniqueCount="{entries}">{body}</sst>'
    return with_parts(
        {"xl/sharedStrings.xml": sst, "xl/_rels/workbook.xml.rels": rels or workbook_rels()}
    )


def huge_shared_strings_without_relationship() -> bytes:
    """The table is named only in [Content_Types].xml, which is where openpyxl looks."""
    rel = f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    return huge_shared_strings(rels=workbook_rels().replace(rel, ""))


def too_many_entries() -> bytes:
    media = {
        f"xl/media/pad{i}.bin": RawEntry(f"xl/media/pad{i}.bin", b"", 0, 0, 0)
        for i in range(25_000)
    }
    return with_parts(dict(media))


def no_workbook_part() -> bytes:
    parts = [entry("[Content_Types].xml", content_types()), entry("_rels/.rels", package_rels())]
    return raw_zip([*parts, entry("xl/worksheets/sheet1.xml", sheet_xml())])


def wrong_content_types() -> bytes:
    word = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return with_parts({"[Content_Types].xml": content_types(main=word)})


def strict_ooxml() -> bytes:
    strict_main = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    return with_parts(
        {
            "_rels/.rels": package_rels(f"{STRICT_REL}/officeDocument"),
            "xl/workbook.xml": workbook_xml(ns=strict_main).replace(REL, STRICT_REL),
        }
    )


def external_link() -> bytes:
    link = f'{DECLARATION}<externalLink xmlns="{MAIN}"><externalBook xmlns:r="{REL}" r:id="rId1"/></externalLink>'  # noqa: E501
    link_rels = (
        f'{DECLARATION}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
        f'Type="{REL}/externalLinkPath" Target="file:///C:/prices.xlsx" TargetMode="External"/>'
        "</Relationships>"
    )
    override = f'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="{SML}.externalLink+xml"/>'  # noqa: E501
    rel = f'<Relationship Id="rId4" Type="{REL}/externalLink" Target="externalLinks/externalLink1.xml"/>'  # noqa: E501
    return with_parts(
        {
            "[Content_Types].xml": content_types(extra=override),
            "xl/_rels/workbook.xml.rels": workbook_rels(rel),
            "xl/externalLinks/externalLink1.xml": link,
            "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels,
        }
    )


def encrypted() -> bytes:
    """An OLE compound file as Excel writes a password-protected workbook (the names matter)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    names = b"".join(
        n.encode("utf-16-le").ljust(64, b"\x00") + bytes(64)
        for n in ("Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces")
    )
    return header + names + random.Random(7).randbytes(4096)


def path_traversal() -> bytes:
    return with_parts({"../../evil.txt": "owned"})


def truncated() -> bytes:
    whole = workbook()
    return whole[: len(whole) // 2]


@dataclass(frozen=True)
class Hostile:
    """A file custkit must refuse: the error class and words of the message."""

    name: str
    build: Callable[[], bytes]
    error: type[ToolkitError]
    message: str  # a regex the message must match (besides the file name)


CORPUS: tuple[Hostile, ...] = (
    Hostile(
        "billion_laughs_shared_strings.xlsx",
        billion_laughs_shared_strings,
        UnsupportedFormatError,
        "entity declarations",
    ),
    Hostile(
        "billion_laughs_sheet.xlsx",
        billion_laughs_big_sheet,
        UnsupportedFormatError,
        "entity declarations",
    ),
    Hostile(
        "utf16_doctype_sheet.xlsx",
        utf16_doctype_sheet,
        UnsupportedFormatError,
        "entity declarations",
    ),
    Hostile("external_entity.xlsx", external_entity, UnsupportedFormatError, "entity declarations"),
    Hostile("zip_bomb.xlsx", zip_bomb, TooLarge, "zip bomb"),
    Hostile("directory_lies.xlsx", directory_lies, UnsupportedFormatError, "sizes that disagree"),
    Hostile("both_headers_lie.xlsx", both_headers_lie, UnsupportedFormatError, "more than the"),
    Hostile("late_bomb_lie.xlsx", late_bomb_lie, WorkbookError, "cannot be read.*CRC"),
    Hostile("overlapping_entries.xlsx", overlapping_entries, UnsupportedFormatError, "overlaps"),
    Hostile("absurd_dimension.xlsx", absurd_dimension, TooLarge, "column XFD.*Ctrl\\+End"),
    Hostile("huge_shared_strings.xlsx", huge_shared_strings, TooLarge, "shared strings"),
    Hostile(
        "huge_shared_strings_no_rel.xlsx",
        huge_shared_strings_without_relationship,
        TooLarge,
        "shared strings",
    ),
    Hostile("too_many_entries.xlsx", too_many_entries, TooLarge, "zip entries"),
    Hostile("truncated.xlsx", truncated, UnsupportedFormatError, "damaged"),
    Hostile(
        "random_bytes.xlsx",
        lambda: random.Random(20261123).randbytes(8192),
        UnsupportedFormatError,
        "not an Excel workbook",
    ),
    Hostile(
        "no_workbook_part.xlsx", no_workbook_part, UnsupportedFormatError, "no xl/workbook.xml"
    ),
    Hostile(
        "wrong_content_types.xlsx", wrong_content_types, UnsupportedFormatError, "content type"
    ),
    Hostile("encrypted.xlsx", encrypted, UnsupportedFormatError, "password-protected"),
    Hostile("strict_ooxml.xlsx", strict_ooxml, UnsupportedFormatError, "not Strict Open XML"),
    Hostile("external_link.xlsx", external_link, UnsupportedFormatError, "Break Link"),
    Hostile(
        "really_csv.xlsx",
        lambda: "姓名,手机\n张三,13800138000\n".encode(),
        UnsupportedFormatError,
        r"text \(CSV\?\)",
    ),
    Hostile("empty.xlsx", lambda: b"", UnsupportedFormatError, "empty"),
    Hostile("path_traversal.xlsx", path_traversal, UnsupportedFormatError, "climbs out"),
)

CONTROLS: dict[str, Callable[[], bytes]] = {
    "control_minimal.xlsx": workbook,
    "control_claimed_dimension.xlsx": claimed_dimension,
}


CHILD = """
import json, resource, sys, time
from typer.testing import CliRunner
from toolkit.cli import app
from toolkit.errors import ToolkitError
from toolkit.runner import RunOptions, open_backend, run

path = sys.argv[1]
start = time.perf_counter()
error = None
try:
    backend, workbook = open_backend(path)
    run(backend, RunOptions(), workbook_path=workbook)
except ToolkitError as exc:
    error = [type(exc).__name__, str(exc)]
seconds = time.perf_counter() - start
cli = CliRunner().invoke(app, ["run", path])
# VmHWM is this process's own peak. ru_maxrss is not: Linux carries the parent's peak across
# fork + exec, so a child of a 500 MB pytest process would report 500 MB whatever it did.
try:
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"error": error, "seconds": seconds, "exit": cli.exit_code,
                  "output": cli.output, "peak_mb": peak}))
"""


@dataclass(frozen=True)
class Refusal:
    """What one run on a file in a fresh process did: the error (None if it ran), the CLI."""

    error: str | None  # class name in toolkit.errors
    message: str
    seconds: float  # open_backend + run until refused, in the child
    peak_mb: float  # the child's own peak resident memory (VmHWM), imports included
    cli_exit: int
    cli_output: str


def refuse_in_subprocess(path: Path, *, hang_after: float = 300) -> Refusal:
    """Run custkit on `path` in a fresh Python: through the runner, then `custkit run`.

    The child reports its own peak memory: RUSAGE_CHILDREN in the parent would be the largest
    of every child this process ever waited for, not this one's.
    """
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        cwd=repo,
        env=env,
        timeout=hang_after,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise AssertionError(f"the child failed on {path.name}:\n{done.stderr[-3000:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    error = report["error"]
    return Refusal(
        error[0] if error else None,
        error[1] if error else "",
        report["seconds"],
        report["peak_mb"],
        report["exit"],
        report["output"],
    )


def write_corpus(folder: Path) -> dict[str, Path]:
    """Write every hostile file and control into `folder`; name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    builders = {h.name: h.build for h in CORPUS} | CONTROLS
    written = {}
    for name, build in builders.items():
        path = folder / name
        path.write_bytes(build())
        written[name] = path
    return written


if __name__ == "__main__":
    for name, path in write_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")).items():
        print(f"{path.stat().st_size:>12,}  {name}")
