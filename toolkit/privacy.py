"""Personal values kept out of everything custkit prints: console, `--json`, error messages.

Full values of personal fields (settings `[privacy] personal`: phones, e-mails, ID numbers,
addresses, WeChat ids by default) stay in the workbook's own cells. Whatever leaves the
workbook as text passes through one `Redactor`, built per run from the settings and the
customer table: it knows every personal value of every customer, in the forms it may take in a
message (as written, digits only, lower case), and replaces each one found verbatim with its
mask (138****5678, w***@example.com). Error messages get a second pass by pattern, for values
it cannot know (a cell someone typed while custkit worked, the first row of a sheet without a
header): e-mail addresses and runs of seven or more digits are masked too.

Unexpected exceptions are never printed with their message or a traceback (either may hold a
value): the CLI names the exception type and where it happened, unless `--debug` is given.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, compress, count, filterfalse, repeat
from operator import and_, ge, itemgetter, ne, not_

from toolkit.models.settings import Settings
from toolkit.normalize.text import cell_text, fold_width
from toolkit.routines.masking import mask_digits, mask_email, mask_value
from toolkit.table import CellValue, Table, Workbook, is_blank

# Shorter values are not told apart from ordinary words and numbers in a message ("2025",
# "305 rows"); replacing them would garble the message and hide nobody.
MIN_TEXT = 4
MIN_DIGITS = 6
_MOST_PIECES = 2_000_000  # pieces of the texts a `data()` call looks up, beyond: every form
_NOT_DIGIT = re.compile(r"[^0-9]")
_ASCII_NON_DIGITS = dict.fromkeys(c for c in range(128) if not 48 <= c <= 57)
_NON_DIGIT_BYTES = bytes(c for c in range(1, 256) if not 48 <= c <= 57)  # NUL kept: it joins
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A phone or ID number in free text: 7+ digits, single spaces or hyphens between groups, an
# optional final X (Chinese ID check digit). Not part of a word, path or timestamp
# (20251123T1304, backup.20251123.xlsx), and never an ISO date.
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_./\\-])(?!\d{4}-\d{2}-\d{2}(?!\d))\+?\d(?:[ -]?\d){6,}[Xx]?(?![A-Za-z0-9_])"
)


@dataclass(frozen=True)
class Redactor:
    """Masks the personal values of one workbook wherever they turn up in text.

    >>> from toolkit.detect import understand
    >>> from toolkit.table import RawSheet, RawWorkbook
    >>> rows = [["Name", "Phone", "Email"], ["Li Lei", "138-1234-5678", "li.lei@example.com"]]
    >>> book = understand(RawWorkbook("x", (RawSheet("C", rows),)), Settings())
    >>> r = Redactor.for_workbook(book, Settings())
    >>> r.text("row 2: '138-1234-5678', 13812345678, li.lei@example.com, Li Lei")
    "row 2: '138****5678', 138****5678, l***@example.com, Li Lei"
    """

    personal: frozenset[str]
    default_region: str = "CN"
    # (field, value) of every personal cell; the lookup table is built on first use only.
    cells: tuple[tuple[str, CellValue], ...] = field(default=(), repr=False)

    @classmethod
    def for_workbook(cls, workbook: Workbook | None, settings: Settings) -> Redactor:
        """The redactor of a run: the settings' personal fields and the customers' values."""
        personal = frozenset(settings.privacy.personal)
        region = settings.validation.default_region
        table = workbook.tables.get("customers") if workbook is not None else None
        if table is None:
            return cls(personal, region)
        return cls(personal, region, _personal_cells(table, personal))

    @classmethod
    def patterns_only(cls, settings: Settings | None = None) -> Redactor:
        """A redactor knowing no workbook: messages are masked by pattern only."""
        settings = settings or Settings()
        return cls(frozenset(settings.privacy.personal), settings.validation.default_region)

    def value(self, field_name: str, value: CellValue) -> CellValue:
        """A cell value as it may be shown: masked when its field is personal.

        >>> Redactor(frozenset({"phone"})).value("phone", "13812345678")
        '138****5678'
        """
        if field_name not in self.personal or is_blank(value):
            return value
        return mask_value(field_name, value, default_region=self.default_region)

    def text(self, text: str) -> str:
        """`text` with every known personal value replaced by its mask (longest match first).

        E-mail addresses (when e-mails are personal) are masked by pattern as well: a message
        may write a known address in another case, or one no customer row holds.
        """
        return self._known_masked(self._emails_masked(text), self._table)

    def data(self, data: object) -> object:
        """A JSON-ready structure with every string in it passed through `text`.

        >>> Redactor(frozenset()).data({"a": ["x", 1]})
        {'a': ['x', 1]}
        """
        texts = {text: self._emails_masked(text) for text in _strings_in(data)}
        # A run's summary names a few dozen sheets, columns and problems: only the forms that
        # occur in them are looked up, not every form of every customer (seconds at a million).
        table = self.__dict__.get("_table") or _Lookup.within(
            self.cells, self.default_region, list(texts.values())
        )
        masked = {text: self._known_masked(form, table) for text, form in texts.items()}
        return _replaced(data, masked)

    def message(self, text: str, *, keep: Iterable[str] = ()) -> str:
        """An error message: known values, then any e-mail or long number, masked.

        The `keep` strings (the workbook's own path) are left exactly as they are.

        >>> Redactor(frozenset()).message("row 1: wang@qq.com, 13812345678, as of 2025-06-30")
        'row 1: w***@qq.com, 138****5678, as of 2025-06-30'
        """
        text = self.text(text)
        kept = sorted((k for k in keep if k), key=len, reverse=True)
        if not kept:
            return _mask_patterns(text)
        parts = re.split("(" + "|".join(re.escape(k) for k in kept) + ")", text)
        return "".join(part if part in kept else _mask_patterns(part) for part in parts)

    def scrub(self, error: BaseException, *, keep: Iterable[str] = ()) -> BaseException:
        """`error` itself, its message masked (type, attributes and cause unchanged)."""
        error.args = (self.message(str(error), keep=keep),)
        return error

    @cached_property
    def _table(self) -> _Lookup:
        return _Lookup.build(self.cells, self.default_region)

    def _emails_masked(self, text: str) -> str:
        if "email" in self.personal and "@" in text:
            return _EMAIL.sub(lambda m: mask_email(m.group(0)), text)
        return text

    @staticmethod
    def _known_masked(text: str, table: _Lookup) -> str:
        if not table.lengths or len(text) < table.shortest:
            return text
        pieces: list[str] = []
        position, end = 0, len(text)
        while position < end:
            masked = table.match(text, position) if text[position] in table.first else None
            if masked is None:
                pieces.append(text[position])
                position += 1
            else:
                pieces.append(masked[1])
                position += masked[0]
        return "".join(pieces)


def _strings_in(data: object) -> Iterable[str]:
    """Every string of a JSON-ready structure, keys included."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, Mapping):
        for key, value in data.items():
            yield from _strings_in(key)
            yield from _strings_in(value)
    elif isinstance(data, list | tuple):
        for item in data:
            yield from _strings_in(item)


def _replaced(data: object, texts: Mapping[str, str]) -> object:
    """`data` with its strings replaced as `texts` says (tuples become lists, as in JSON)."""
    if isinstance(data, str):
        return texts[data]
    if isinstance(data, Mapping):
        return {_replaced(k, texts): _replaced(v, texts) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_replaced(item, texts) for item in data]
    return data


def _personal_cells(table: Table, personal: frozenset[str]) -> tuple[tuple[str, CellValue], ...]:
    """(field, value) of the customers' personal cells, blanks left out, column by column.

    A value is kept once per column (its first cell): a later cell with the same value has
    the same forms and field, so it never wins a form (see _Lookup). A column where booleans
    mix with numbers keeps every cell: True == 1, but "True" and "1" are different forms.
    """
    cells: list[tuple[str, CellValue]] = []
    for column in table.columns:
        if column.field not in personal:
            continue
        values = table.values(column.field)
        types = set(map(type, values))
        if not (bool in types and (int in types or float in types)):
            values = list(dict.fromkeys(values))
        texts: Iterable[str]
        if types <= {str, type(None)}:
            texts = filter(None, values)  # type: ignore[arg-type]  # None and "" left out
        else:
            texts = [value for value in values if type(value) is str]
        blanks = {None, "", *filter(str.isspace, texts)}
        cells.extend(zip(repeat(column.field), filterfalse(blanks.__contains__, values)))
    return tuple(cells)


@dataclass(frozen=True)
class _Lookup:
    """Personal text -> the first cell (field, value) written that way, with the lengths to
    try (longest first) and first characters. Masks are made on a match only: masking a phone
    parses it, which would cost seconds for 100,000 customers when a message names none.

    A form maps to the first cell that has it. `written` holds each cell's own text (stripped)
    and `others` its other forms (folded, lower case, digits) where they differ from it, each
    as the position of its first cell in `cells`; a match takes the earlier of the two.
    """

    cells: tuple[tuple[str, CellValue], ...]
    written: Mapping[str, int]
    others: Mapping[str, int]
    lengths: tuple[int, ...]
    first: frozenset[str]
    shortest: int
    region: str

    @classmethod
    def within(
        cls, cells: tuple[tuple[str, CellValue], ...], region: str, texts: list[str]
    ) -> _Lookup:
        """The lookup with only the forms that occur in `texts`: it masks those texts as the
        whole lookup does (a form that is no piece of a text never matches in it)."""
        if sum(len(text) ** 2 for text in texts) > _MOST_PIECES:
            return cls.build(cells, region)
        pieces = {
            text[start : start + size]
            for text in texts
            for size in range(1, len(text) + 1)
            for start in range(len(text) - size + 1)
        }
        return cls.build(cells, region, pieces)

    @classmethod
    def build(
        cls,
        cells: tuple[tuple[str, CellValue], ...],
        region: str,
        pieces: set[str] | None = None,
    ) -> _Lookup:
        """The lookup of every form of the cells, or of those among `pieces` only."""
        values = [cell[1] for cell in cells]
        is_text = list(map(isinstance, values, repeat(str)))
        text_at = list(compress(count(), is_text))
        texts: list[str] = list(compress(values, is_text))  # type: ignore[arg-type]
        plain = list(map(str.isascii, texts))
        written, others = _ascii_forms(
            list(compress(texts, plain)), list(compress(text_at, plain)), pieces
        )
        rest = chain(compress(text_at, map(not_, plain)), compress(count(), map(not_, is_text)))
        wanted = (lambda form: True) if pieces is None else pieces.__contains__
        for at in sorted(rest):
            forms = _forms(values[at])
            for form in forms[:1]:
                if wanted(form):
                    _remember(written, form, at)
            for form in forms[1:]:
                if form != forms[0] and wanted(form):
                    _remember(others, form, at)
        keys = (*written, *others)
        lengths = tuple(sorted(set(map(len, keys)), reverse=True))
        first = frozenset(map(itemgetter(0), keys))
        return cls(cells, written, others, lengths, first, min(lengths, default=0), region)

    def match(self, text: str, position: int) -> tuple[int, str] | None:
        for length in self.lengths:
            piece = text[position : position + length]
            at, other = self.written.get(piece), self.others.get(piece)
            if other is not None and (at is None or other < at):
                at = other
            if at is not None:
                return length, mask_value(*self.cells[at], default_region=self.region)
        return None


def _ascii_digits(texts: list[str]) -> list[str]:
    """The digits of each ASCII text, all texts in one pass (NUL-joined, one translate)."""
    joined = "\x00".join(texts).encode("ascii").translate(None, _NON_DIGIT_BYTES)
    digits = joined.decode("ascii").split("\x00")
    if len(digits) == len(texts):
        return digits
    # A text holding NUL itself: each on its own.
    return [text.translate(_ASCII_NON_DIGITS) for text in texts]


def _remember(forms: dict[str, int], form: str, at: int) -> None:
    if forms.get(form, at) >= at:
        forms[form] = at


def _ascii_forms(
    texts: list[str], positions: list[int], pieces: set[str] | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """`_forms` of ASCII texts, column-wise: {form: first position} of the written forms, and
    of the lower-case and digit forms that differ from them. Same forms, no frame per value.
    With `pieces`, only the forms among them."""
    written = list(map(str.strip, texts))
    lower = list(map(str.lower, written))
    digits = _ascii_digits(written)
    enough = map(ge, map(len, digits), repeat(MIN_DIGITS))
    long_digits = list(map(and_, enough, map(ne, digits, written)))
    changed = list(map(ne, lower, written))
    short = min(map(len, written), default=MIN_TEXT) < MIN_TEXT  # of every text, found or not
    if pieces is not None:
        found = list(map(pieces.__contains__, written))
        changed = list(map(and_, changed, map(pieces.__contains__, lower)))
        long_digits = list(map(and_, long_digits, map(pieces.__contains__, digits)))
        written, positions_written = (
            list(compress(written, found)),
            list(compress(positions, found)),
        )
    else:
        positions_written = positions
    # dict() keeps the last of equal keys: fed back to front, each form keeps its first cell.
    first_written = dict(zip(reversed(written), reversed(positions_written), strict=True))
    others: dict[str, int] = {}
    for form, at in chain(
        zip(compress(lower, changed), compress(positions, changed), strict=True),
        zip(compress(digits, long_digits), compress(positions, long_digits), strict=True),
    ):
        _remember(others, form, at)
    if short:
        for forms in (first_written, others):
            for form in [f for f in forms if len(f) < MIN_TEXT and "@" not in f]:
                del forms[form]
    return first_written, others


def _forms(value: CellValue) -> tuple[str, ...]:
    """The ways a value may be written in a message: as written, folded, lower case, digits.

    Only forms long enough to tell apart (see MIN_TEXT, MIN_DIGITS); a form may repeat.
    """
    written = (value if type(value) is str else cell_text(value)).strip()
    if written.isascii():
        # Most phones and e-mails: width folding changes nothing and case folds by lower().
        folded = written
        forms: tuple[str, ...] = (written, written.lower())
    else:
        folded = fold_width(written)
        forms = (written, folded, folded.casefold())
    if len(written) < MIN_TEXT and "@" not in written:
        forms = tuple(form for form in forms if len(form) >= MIN_TEXT or "@" in form)
    digits = _NOT_DIGIT.sub("", folded)
    return (*forms, digits) if len(digits) >= MIN_DIGITS else forms


def unexpected_error_message(error: BaseException) -> str:
    """One line for an error custkit did not expect: its type and where, never its message.

    A message or a traceback may quote a customer's cell (a KeyError on a phone number, a
    pydantic error with the value); the type and our own line number are enough for a report.

    >>> unexpected_error_message(KeyError("13812345678"))[:46]
    'custkit: unexpected error (KeyError). Details '
    """
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if f"{os.sep}toolkit{os.sep}" in f.filename]
    where = ""
    if ours:
        path = ours[-1].filename
        where = f" in toolkit{os.sep}{path.rsplit(os.sep + 'toolkit' + os.sep, 1)[-1]}"
        where += f", line {ours[-1].lineno}"
    return (
        f"custkit: unexpected error ({type(error).__name__}{where}). Details are hidden because "
        "they may hold customer data; run again with --debug (or CUSTKIT_DEBUG=1) to see them, "
        "and report the problem."
    )


def _mask_patterns(text: str) -> str:
    text = _EMAIL.sub(lambda m: mask_email(m.group(0)), text)
    return _NUMBER.sub(lambda m: _mask_number(m.group(0)), text)


def _mask_number(number: str) -> str:
    digits = "".join(ch for ch in number if ch.isdigit() or ch in "Xx")
    return ("+" if number.startswith("+") else "") + mask_digits(digits)


__all__ = ["Redactor", "unexpected_error_message"]
