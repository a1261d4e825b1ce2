"""core.safety: text checks, http(s) URLs, spreadsheet-safe CSV cells and terminal-safe text.

Written from the classes of attack (formula cells, control characters, script URLs), with property
tests that draw random text from alphabets full of the dangerous characters.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samen030_map.core.safety import (
    BIDI_CONTROLS,
    BLANK_LETTERS,
    FORMULA_STARTS,
    LINE_BREAKS,
    has_visible_character,
    is_http_url,
    json_for_script_element,
    neutralise_csv_cell,
    printable,
    safe_csv_writer,
    text_problems,
)

# Text that mixes ordinary letters with everything an attacker would try.
NASTY = st.text(
    alphabet=st.one_of(
        st.sampled_from("aZé <>&\"';,=+-@{}%#\\/"),
        st.sampled_from(sorted(LINE_BREAKS | BIDI_CONTROLS | BLANK_LETTERS) + ["\x00", "\x1b", "\x07", "\x7f", "\x9b", "\t", "\u200b", "\ufeff"]),
        st.characters(exclude_categories=["Cs"]),
    ),
    max_size=40,
)
BOUNDED = settings(max_examples=150, deadline=None)


def _dangerous(c: str) -> bool:
    return unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS or c in LINE_BREAKS


# --- CSV cells -----------------------------------------------------------------------------------


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_formula_cells_get_an_apostrophe(start):
    assert neutralise_csv_cell(f"{start}HYPERLINK(\"https://evil.example\")") == f"'{start}HYPERLINK(\"https://evil.example\")"


@pytest.mark.parametrize("value", ["Ondiep", "", "'al veilig", " =met spatie ervoor", 12, -3.5, None])
def test_other_cells_are_left_alone(value):
    assert neutralise_csv_cell(value) == value


@BOUNDED
@given(st.lists(NASTY, min_size=1, max_size=5))
def test_no_cell_written_by_the_safe_writer_starts_a_formula(cells):
    out = io.StringIO()
    safe_csv_writer(out).writerow(cells)
    [row] = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert not any(cell.startswith(FORMULA_STARTS) for cell in row)
    # Nothing is lost: the apostrophe is the only change.
    assert [cell[1:] if cell != original else cell for cell, original in zip(row, cells)] == cells


# --- text fields ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Buurt\x00huis", "stuurtekens (U+0000)"),
        ("\x1b[31mRood\x1b[0m", "U+001B"),
        ("Buurt\nhuis", "regeleinde"),
        ("Buurt\u2028huis", "regeleinde"),
        ("Buurt\rhuis", "regeleinde"),
        ("abc\u202edcb", "U+202E"),
        ("tab\there", "U+0009"),
        ("x" * 201, "te lang (201 tekens, hoogstens 200)"),
    ],
)
def test_single_line_text_refuses(text, reason):
    problems = text_problems(text, 200)
    assert problems and reason in " ".join(problems)


def test_multiline_text_allows_newlines_and_tabs_but_no_other_controls():
    assert text_problems("regel 1\r\nregel 2\tmet tab", 2000, multiline=True) == []
    assert "U+001B" in text_problems("regel\n\x1b[2J", 2000, multiline=True)[0]


def test_text_must_be_text():
    assert text_problems(None, 10) == ["verwacht tekst, geen NoneType"]


@BOUNDED
@given(NASTY)
def test_accepted_single_line_text_is_safe_to_show(text):
    if not text_problems(text, 30):
        assert len(text) <= 30
        assert not any(_dangerous(c) for c in text)
        assert printable(text) == text


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b", "\u3164", "\u2800\u2800", "\ufeff \u2060", "\u0301"])
def test_invisible_only_text(text):
    assert not has_visible_character(text)


@pytest.mark.parametrize("text", ["a", " x ", "👩‍👩‍👧", "\u200b.", "مرحبا", "<b>"])
def test_visible_text(text):
    assert has_visible_character(text)


# --- URLs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://www.samen030.nl",
        "http://www.wijkinformatiepuntutrecht.nl/p/60/Thuis-in-Oost",
        "https://www.samen030.nl/main.php?mode=newsitem&id=104#x",
        "HTTPS://EXAMPLE.ORG/",
        "https://[::1]:8080/pad",
    ],
)
def test_http_urls(url):
    assert is_http_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "mailto:info@example.org",
        "ftp://example.org",
        "www.example.org",
        "gewoon tekst",
        "//example.org",
        "https:example.org",
        "https://",
        "http://exa mple.org",
        "https://example.org/\x00",
        "https://example.org/\u202e",
        "http://[::1",
        "https://example.org:99999/",
        "https://example.org/" + "a" * 500,
        "",
        None,
    ],
)
def test_not_http_urls(url):
    assert not is_http_url(url)


@BOUNDED
@given(st.from_regex(r"\A[a-zA-Z][a-zA-Z0-9+.\-]{0,10}\Z"), NASTY)
def test_only_the_http_schemes_pass(scheme, rest):
    url = f"{scheme}:{rest}"
    if is_http_url(url):
        assert scheme.lower() in ("http", "https")
        assert not any(c.isspace() or _dangerous(c) for c in url)


# --- JSON inside an HTML page --------------------------------------------------------------------


@BOUNDED
@given(st.dictionaries(NASTY, st.one_of(NASTY, st.lists(NASTY, max_size=3), st.integers(), st.floats(allow_nan=False, allow_infinity=False))))
def test_json_for_a_script_element_cannot_end_it_and_parses_back(data):
    text = json_for_script_element({"x": data, "y": "</script><!--<script>\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"x": data, "y": "</script><!--<script>\u2028"}


# --- terminal output -----------------------------------------------------------------------------


@BOUNDED
@given(NASTY)
def test_printable_leaves_no_control_character(text):
    shown = printable(text)
    assert not any(_dangerous(c) for c in shown)
    if not any(_dangerous(c) for c in text):
        assert shown == text


def test_printable_shows_escapes():
    assert printable("\x1b[31mRood") == "\\x1b[31mRood"
    assert printable("a\u202eb") == "a\\u202eb"
