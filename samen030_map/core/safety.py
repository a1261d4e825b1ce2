"""Safe text in and out: field content checks, http(s) URLs, spreadsheet-safe CSV, terminal-safe text.

Plain Python, no Reflex: the CLI, the import, the coordinator workspace and the resident form all use
these, so a field is judged the same way wherever it is typed. Problems are short Dutch reasons
without the field name; registry.validate_entry puts the field in front.

Text is refused, never silently changed, except for surrounding whitespace (spreadsheet noise).
HTML characters such as "<b>" are ordinary text: they are escaped wherever text is shown.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from typing import Any
from urllib.parse import urlsplit

MAX_URL_LENGTH = 500

# Bidirectional embeddings, overrides and isolates reorder the text around them ("Trojan Source").
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# Letters that draw nothing (Hangul fillers, braille blank): a name made of them looks empty.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
# Cells starting with one of these are formulas (or start one) in Excel, LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: str) -> str:
    """The text without surrounding whitespace: the only change ever made to what people type."""
    return value.strip()


def text_problems(value: Any, max_length: int, multiline: bool = False) -> list[str]:
    """Why `value` cannot be stored as a text field (empty list = fine).

    Refused: anything but text, more than `max_length` characters, control characters (NUL, ANSI
    escapes, ...), bidirectional overrides, unpaired surrogates, and line breaks unless `multiline`
    (then newlines and tabs are allowed). Empty text is fine here; required fields check that.
    """
    if not isinstance(value, str):
        return [f"verwacht tekst, geen {type(value).__name__}"]
    problems = []
    if len(value) > max_length:
        problems.append(f"te lang ({len(value)} tekens, hoogstens {max_length})")
    if multiline:
        not_controls, breaks = {"\n", "\r", "\t"}, False
    else:
        not_controls, breaks = LINE_BREAKS, any(c in LINE_BREAKS for c in value)
    if breaks:
        problems.append("bevat een regeleinde; dit veld moet op één regel passen")
    controls = sorted(
        c for c in set(value) if (unicodedata.category(c) in ("Cc", "Cs") or c in BIDI_CONTROLS) and c not in not_controls
    )
    if controls:
        codes = ", ".join(f"U+{ord(c):04X}" for c in controls[:5])
        problems.append(f"bevat onzichtbare stuurtekens ({codes}); typ de tekst opnieuw of plak hem als platte tekst")
    return problems


def has_visible_character(text: str) -> bool:
    """True when at least one character of `text` draws something (not only spaces or invisible marks)."""
    return any(unicodedata.category(c) not in _INVISIBLE_CATEGORIES and c not in BLANK_LETTERS for c in text)


def is_http_url(text: Any) -> bool:
    """True for an absolute http:// or https:// URL with a host, no spaces or control characters,
    and at most MAX_URL_LENGTH characters. javascript:, data:, vbscript:, mailto: and plain text are not."""
    if not isinstance(text, str) or not text or len(text) > MAX_URL_LENGTH:
        return False
    # Browsers drop tabs and newlines inside a URL, so "java\tscript:" would still run: refuse them all.
    if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in text):
        return False
    try:
        parts = urlsplit(text)
        parts.port  # raises ValueError for a port that is not a number in range
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# --- output ----------------------------------------------------------------------------------


def neutralise_csv_cell(value: Any) -> Any:
    """A cell that a spreadsheet shows as text: text starting with = + - @, a tab or a carriage return
    gets a leading apostrophe (the OWASP advice). Numbers and other values are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    """csv.writer whose rows pass through neutralise_csv_cell: every CSV this project writes uses it."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row) -> None:
        self._writer.writerow([neutralise_csv_cell(cell) for cell in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def safe_csv_writer(out, **options) -> SafeCsvWriter:
    return SafeCsvWriter(out, **options)


def json_for_script_element(data: Any) -> str:
    """JSON that can stand inside <script type="application/json">...</script> in an HTML page.

    Every <, > and & becomes a \\u escape (they only occur inside JSON strings), so no "</script>" or
    "<!--" can end or change the element; U+2028/U+2029 are escaped for older script parsers.
    JSON.parse(element.textContent) gives back exactly `data`. NaN is refused (not JSON).
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def printable(text: str) -> str:
    """Text that is safe to print to a terminal: control characters, line breaks and bidirectional
    overrides are shown as \\x1b / \\u202e instead of being sent raw (they could move the cursor,
    change colours or reorder the line). Data stored before the checks were strict may hold them."""
    out = []
    for c in text:
        if unicodedata.category(c) in ("Cc", "Cs") or c in BIDI_CONTROLS or c in LINE_BREAKS:
            out.append(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return "".join(out)
