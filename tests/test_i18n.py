"""The English catalogue covers every Dutch text on the page, and holds nothing that is no longer used."""

from __future__ import annotations

from babel.messages.pofile import read_po

import pytest

from samen030_map.i18n import LOCALES_DIR, catalogue, format_number, ngettext, translate
from samen030_map.i18n.extract import dutch_plural_texts, dutch_source_texts, missing_translations


def _catalogue_ids(lang: str) -> set:
    """Every msgid in the catalogue, translated or not (a (singular, plural) pair for plural entries)."""
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return {message.id if isinstance(message.id, str) else tuple(message.id) for message in read_po(po_file, locale=lang) if message.id}


def test_extractor_finds_known_texts():
    texts = dutch_source_texts()
    expected = {
        "Is er een buurtorganisatie?",  # t("...") in a component
        "Nog geen buurtorganisatie",  # labels.STATUS_LABELS
        "Gezondheid & zorg",  # registry.THEMES
        "Meeste inwoners",  # GAP_RANKING_LABELS
        "Achtergrondkaart (PDOK, als er internet is)",  # LAYER_LABELS
        "Inwoners",  # SORT_COLUMNS and _figure("Inwoners", ...)
        "Waar nog niets is",  # TABS in pages/index.py
        "Thema",  # labels.FILTER_LABELS
        "Ligt in",  # translate("...", lang) in view.py
        "Bron: CBS Wijken en Buurten 2025 (CC BY 4.0)",  # t(CBS_ATTRIBUTION), an imported constant
        "onbekend",  # view.py
    }
    assert expected <= texts, sorted(expected - texts)
    # Field names and codes next to a label are not texts.
    assert not {"theme", "status_filter", "buurtnaam", "inwoners_open"} & texts


def test_extractor_finds_plural_pairs():
    pairs = dutch_plural_texts()
    assert ("{n} buurt", "{n} buurten") in pairs  # tn(n, ...) in a component
    assert ("wijk met {n} buurt", "wijk met {n} buurten") in pairs  # ngettext(...) in view.py


@pytest.mark.parametrize(("n", "nl", "en"), [(1, "1 organisatie", "1 organisation"), (2, "2 organisaties", "2 organisations"), (0, "0 organisaties", "0 organisations")])
def test_plural_forms_follow_the_count(n, nl, en):
    assert ngettext("{n} organisatie", "{n} organisaties", n, "nl") == nl
    assert ngettext("{n} organisatie", "{n} organisaties", n, "en") == en


def test_numbers_use_the_readers_notation():
    assert format_number(157325, "nl") == "157.325"
    assert format_number(157325, "en") == "157,325"
    assert format_number(1.25, "nl", 1) == "1,2" or format_number(1.25, "nl", 1) == "1,3"
    assert format_number(2.5, "en", 1) == "2.5"
    assert format_number(None, "en") == "unknown"


def test_every_dutch_text_has_an_english_translation():
    missing = missing_translations("en")
    assert not missing, "No English translation for:\n" + "\n".join(missing)


def test_catalogue_has_no_stale_entries():
    stale = sorted(map(str, _catalogue_ids("en") - dutch_source_texts() - dutch_plural_texts()))
    assert not stale, "Catalogue entries no longer used (remove them):\n" + "\n".join(stale)


def test_translate_falls_back_to_dutch():
    assert translate("Dit staat niet in de catalogus", "en") == "Dit staat niet in de catalogus"
    assert translate("Nog geen buurtorganisatie", "nl") == "Nog geen buurtorganisatie"
    assert catalogue("nl") == {}
    assert translate("Nog geen buurtorganisatie", "en") == "No neighbourhood organisation yet"
