"""The English catalogue covers every Dutch text on the page, and holds nothing that is no longer used."""

from __future__ import annotations

from babel.messages.pofile import read_po

from samen030_map.i18n import LOCALES_DIR, catalogue, translate
from samen030_map.i18n.extract import dutch_source_texts, missing_translations


def _catalogue_ids(lang: str) -> set[str]:
    """Every msgid in the catalogue, translated or not."""
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return {message.id for message in read_po(po_file, locale=lang) if message.id}


def test_extractor_finds_known_texts():
    texts = dutch_source_texts()
    expected = {
        "Dekking per buurt",  # t("...") in a component
        "Nog geen buurtorganisatie",  # labels.STATUS_LABELS
        "Gezondheid & zorg",  # registry.THEMES
        "Meeste inwoners",  # GAP_RANKING_LABELS
        "Achtergrondkaart (PDOK, als er internet is)",  # LAYER_LABELS
        "Inwoners",  # SORT_COLUMNS and _figure("Inwoners", ...)
        "Thema (Routewijzer)",  # _select(field, "label", ...)
        "Bron: CBS Wijken en Buurten 2025 (CC BY 4.0)",  # t(CBS_ATTRIBUTION), an imported constant
        "onbekend",  # view.py
    }
    assert expected <= texts, sorted(expected - texts)
    # Field names and codes next to a label are not texts.
    assert not {"theme", "status_filter", "buurtnaam", "inwoners_open"} & texts


def test_every_dutch_text_has_an_english_translation():
    missing = missing_translations("en")
    assert not missing, "No English translation for:\n" + "\n".join(missing)


def test_catalogue_has_no_stale_entries():
    stale = sorted(_catalogue_ids("en") - dutch_source_texts())
    assert not stale, "Catalogue entries no longer used (remove them):\n" + "\n".join(stale)


def test_translate_falls_back_to_dutch():
    assert translate("Dit staat niet in de catalogus", "en") == "Dit staat niet in de catalogus"
    assert translate("Nog geen buurtorganisatie", "nl") == "Nog geen buurtorganisatie"
    assert catalogue("nl") == {}
    assert translate("Nog geen buurtorganisatie", "en") == "No neighbourhood organisation yet"
