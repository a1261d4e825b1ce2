"""The registry's schema, stated once.

FIELDS is the one definition of an organisation's or meeting place's fields. From it come:
- the ``RegistryEntry`` dataclass (core/registry.py),
- the CSV columns and how each cell is read and written (``parse_cell`` / ``format_cell``),
- the generic checks of validation: length, one line or several, required (core/registry.py adds the
  checks that need the map: werkgebied, coordinates),
- the database columns (db/models.py),
- what is public: a field with ``public=False`` (contact, notes) never reaches a page, an export or
  the public picture,
- the labels of the workspace form and the cards (Dutch, B1).

Plain Python, no Reflex and no geography.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

THEMES = (
    "Gezondheid & zorg",
    "Hulpvragen & initiatieven",
    "Leefstijl & sporten",
    "Ontmoeten & samen doen",
    "Wijk & gemeentezaken",
)
# a = sociale cohesie/inclusie volwassenen, b = pedagogische civil society jeugd,
# c = buurtcentra & speeltuinen
PILLARS = ("a", "b", "c")
ORG_KINDS = (
    "stadscooperatie",
    "wijkcooperatie",
    "buurtcooperatie",
    "buurtwerkkamer",
    "wijkinformatiepunt",
    "bewonersorganisatie",
    "wijkplatform",
    "ondernemerskring",
    "sociale_onderneming",
    "belangenorganisatie",
    "netwerk",
)
PLACE_KINDS = ("buurthuis", "buurtcentrum", "speeltuin", "bibliotheek", "overig")
KINDS = {"organisation": ORG_KINDS, "meeting_place": PLACE_KINDS}
PRECISIONS = ("adres", "straat", "postcode", "buurt", "wijk", "onbekend")
RELATIONS = ("kernpartner", "lid", "onbekend", "stadscooperatie")
AREA_LEVELS = ("stad", "wijk", "buurt")
STATUSES = ("actief", "te_bevestigen", "gestopt")
# Entries with these statuses are published (map, coverage, lists, exports); "gestopt" ones are not.
PUBLISHED_STATUSES = ("actief", "te_bevestigen")
ENTITIES = ("organisation", "meeting_place")

MAX_URL_LENGTH = 500
PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")

# kind -> (Python type, default). "codes"/"choices" are tuples of text; "urls" is ";"-separated text.
KIND_TYPES = {
    "id": (str, ""),
    "text": (str, ""),
    "longtext": (str, ""),
    "choice": (str, ""),
    "choices": (tuple, ()),
    "codes": (tuple, ()),
    "url": (str, ""),
    "urls": (str, ""),
    "float": (float | None, None),
    "date": (date | None, None),
    "partial_date": (str, ""),
    "bool": (bool, False),
}


@dataclass(frozen=True)
class FieldSpec:
    """One field of an organisation or meeting place.

    kind: see KIND_TYPES. label/help: what the form and the card call it. required: must not be empty.
    public: may be shown to anyone (False = coordinators only). max_length: characters (texts).
    choices: the allowed values (choice/choices) — for `kind` they depend on the entity (KINDS).
    default: overrides the kind's default.
    """

    name: str
    kind: str
    label: str
    help: str = ""
    required: bool = False
    public: bool = True
    max_length: int = 200
    choices: tuple[str, ...] = ()
    default: object = None

    @property
    def python_type(self):
        return KIND_TYPES[self.kind][0]

    @property
    def default_value(self):
        return self.default if self.default is not None else KIND_TYPES[self.kind][1]

    @property
    def multiline(self) -> bool:
        return self.kind == "longtext"


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", "id", "Vaste korte naam", "Kleine letters, cijfers, '-' en '_'; verandert nooit.", required=True, max_length=100),
    FieldSpec("name", "text", "Naam", required=True),
    FieldSpec("kind", "choice", "Soort", required=True),
    FieldSpec("description", "longtext", "Korte beschrijving", "Wat doet het initiatief? Een paar zinnen, voor iedereen te lezen.", max_length=600),
    FieldSpec("status", "choice", "Status", "Gestopte initiatieven staan niet op de kaart.", choices=STATUSES, default="te_bevestigen"),
    FieldSpec("themes", "choices", "Thema's (Routewijzer)", choices=THEMES, max_length=500),
    FieldSpec("pillars", "choices", "Waar het om gaat (pijlers a, b, c)", choices=PILLARS, max_length=20),
    FieldSpec("themes_derived", "bool", "Thema's en pijlers afgeleid uit de soort", "Aan als geen bron de thema's noemt."),
    FieldSpec("area_level", "choice", "Werkgebied", "Heel Utrecht, wijken of buurten.", required=True, choices=AREA_LEVELS, default="stad"),
    FieldSpec("area_codes", "codes", "Wijken of buurten", "CBS-codes (WK… of BU…), gescheiden door ';'.", max_length=2000),
    FieldSpec("address", "text", "Adres"),
    FieldSpec("postcode", "text", "Postcode", max_length=20),
    FieldSpec("lat", "float", "Breedtegraad (lat)", "WGS84, bijvoorbeeld 52.09."),
    FieldSpec("lon", "float", "Lengtegraad (lon)", "WGS84, bijvoorbeeld 5.12."),
    FieldSpec("location_precision", "choice", "Hoe precies is de plek?", choices=PRECISIONS, default="onbekend"),
    FieldSpec("samen030_relation", "choice", "Band met SAMEN030", choices=RELATIONS, default="onbekend"),
    FieldSpec("founded", "partial_date", "Begonnen in", "Jaar (2019), maand (2019-03) of datum (2019-03-11).", max_length=10),
    FieldSpec("founded_event", "text", "Wat er toen gebeurde", "Zoals de bron het zegt, bijvoorbeeld 'buurthuis in zelfbeheer geopend'.", max_length=300),
    FieldSpec("founded_is_start", "bool", "Is dit het begin van het initiatief?", "Uit bij bijvoorbeeld de bouw van het pand."),
    FieldSpec("founded_derived", "text", "Hoe het jaar is afgeleid", "Leeg als de bron het jaar zelf noemt.", max_length=300),
    FieldSpec("founded_source", "url", "Bron van de datum", max_length=MAX_URL_LENGTH),
    FieldSpec("website", "url", "Website", max_length=MAX_URL_LENGTH),
    FieldSpec("source_url", "urls", "Bronnen", "Webadressen, gescheiden door ';'.", max_length=2000),
    FieldSpec("source_text", "text", "Bron zonder webadres", "Bijvoorbeeld 'aanmelding via de Buurtkaart, 1 december 2026'.", max_length=300),
    FieldSpec("source_read_on", "date", "Bron gelezen op", "Wanneer de gegevens uit de bron zijn overgenomen."),
    FieldSpec("checked_on", "date", "Gecontroleerd op", "Wanneer een coördinator het laatst heeft nagekeken dat het klopt."),
    FieldSpec("note", "longtext", "Toelichting", "Voor iedereen te lezen, bijvoorbeeld hoe het werkgebied is afgeleid.", max_length=2000),
    FieldSpec("contact", "longtext", "Contact (alleen voor coördinatoren)", "Wordt nooit gepubliceerd.", public=False, max_length=1000),
    FieldSpec("notes", "longtext", "Notities (alleen voor coördinatoren)", "Wordt nooit gepubliceerd.", public=False, max_length=4000),
)

FIELDS_BY_NAME = {spec.name: spec for spec in FIELDS}
CSV_COLUMNS = tuple(spec.name for spec in FIELDS)
REQUIRED_COLUMNS = tuple(spec.name for spec in FIELDS if spec.required)
PUBLIC_FIELDS = tuple(spec.name for spec in FIELDS if spec.public)
PRIVATE_FIELDS = tuple(spec.name for spec in FIELDS if not spec.public)
LIST_FIELDS = tuple(spec.name for spec in FIELDS if spec.kind in ("choices", "codes"))
# Older names of columns, still read from files made before they were renamed.
COLUMN_ALIASES = {"verified_on": "source_read_on"}

_TRUE = {"ja", "j", "true", "waar", "1", "yes", "y", "x"}
_FALSE = {"nee", "n", "false", "onwaar", "0", "no", ""}


def choices_for(spec: FieldSpec, entity: str) -> tuple[str, ...]:
    return KINDS.get(entity, ()) if spec.name == "kind" else spec.choices


def split_list(text: str) -> tuple[str, ...]:
    """"a; b;c" -> ("a", "b", "c"); empty parts are dropped."""
    return tuple(part.strip() for part in text.split(";") if part.strip())


def parse_cell(spec: FieldSpec, text: str):
    """(value, problem) for one CSV cell or form field; problem is "" or a Dutch reason."""
    text = text.strip()
    if spec.kind in ("choices", "codes"):
        return split_list(text), ""
    if spec.kind == "float":
        if not text:
            return None, ""
        try:
            return float(text.replace(",", ".") if text.count(",") == 1 and "." not in text else text), ""
        except ValueError:
            return None, f"{text!r} is geen getal (bijvoorbeeld 52.09)"
    if spec.kind == "date":
        if not text:
            return None, ""
        try:
            return date.fromisoformat(text), ""
        except ValueError:
            return None, f"{text!r} is geen datum (verwacht JJJJ-MM-DD)"
    if spec.kind == "bool":
        if text.lower() in _TRUE:
            return True, ""
        if text.lower() in _FALSE:
            return False, ""
        return False, f"{text!r} is geen ja of nee"
    return text, ""


def format_cell(spec: FieldSpec, value) -> str:
    """The text a CSV cell or a form field shows for a value (the inverse of parse_cell)."""
    if value is None:
        return ""
    if spec.kind in ("choices", "codes"):
        return ";".join(value)
    if spec.kind == "date":
        return value.isoformat()
    if spec.kind == "bool":
        return "ja" if value else "nee"
    if spec.kind == "float":
        return repr(float(value))
    return str(value)
