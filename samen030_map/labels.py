"""The Dutch words (B1) that users read for codes in the data. English comes from the gettext catalogue.

Plain Python: used by the page, the CLI and exports alike.
"""

# The order in which statuses are listed everywhere (legend, cards, chart, sorting): the gaps first.
STATUS_ORDER = ("open", "wijkniveau", "gedekt", "weinig bewoners")

STATUS_LABELS = {
    "open": "Nog geen buurtorganisatie",
    "wijkniveau": "Alleen op wijkniveau",
    "gedekt": "Buurtorganisatie actief",
    "weinig bewoners": "Weinig bewoners",
}

STATUS_EXPLANATIONS = {
    "open": "Hier is nog geen buurtorganisatie van bewoners. De stadscoöperatie SAMEN030 springt bij tot bewoners er zelf een oprichten.",
    "wijkniveau": "Er is alleen een organisatie die in de hele wijk werkt, nog geen organisatie voor deze buurt.",
    "gedekt": "Er is een organisatie van bewoners actief in deze buurt.",
    "weinig bewoners": "Hier wonen (bijna) geen mensen, zoals op een bedrijventerrein of in een polder. Dit telt niet als gat.",
}

KIND_LABELS = {
    "stadscooperatie": "Stadscoöperatie",
    "wijkcooperatie": "Wijkcoöperatie",
    "buurtcooperatie": "Buurtcoöperatie",
    "buurtwerkkamer": "Buurtwerkkamer",
    "wijkinformatiepunt": "Wijkinformatiepunt",
    "bewonersorganisatie": "Bewonersorganisatie",
    "wijkplatform": "Wijkplatform",
    "ondernemerskring": "Ondernemerskring",
    "sociale_onderneming": "Sociale onderneming",
    "belangenorganisatie": "Belangenorganisatie",
    "netwerk": "Netwerk",
    "buurthuis": "Buurthuis",
    "buurtcentrum": "Buurtcentrum",
    "speeltuin": "Speeltuin",
    "bibliotheek": "Bibliotheek",
    "overig": "Andere plek",
}

# Two letters on the map marker, so a kind is recognisable without colour.
KIND_SYMBOLS = {
    "stadscooperatie": "SC",
    "wijkcooperatie": "WC",
    "buurtcooperatie": "BC",
    "buurtwerkkamer": "BW",
    "wijkinformatiepunt": "i",
    "bewonersorganisatie": "BO",
    "wijkplatform": "WP",
    "ondernemerskring": "OK",
    "sociale_onderneming": "SO",
    "belangenorganisatie": "BL",
    "netwerk": "N",
    "buurthuis": "BH",
    "buurtcentrum": "CT",
    "speeltuin": "ST",
    "bibliotheek": "BI",
    "overig": "P",
}

# The three pillars of sociaal makelaarschap (a, b, c), in words a resident understands.
PILLAR_LABELS = {
    "a": "Meedoen en samen leven (volwassenen)",
    "b": "Opvoeden en opgroeien (kinderen en jongeren)",
    "c": "Levendige buurthuizen en speeltuinen",
}

# The filters, as the page names them; FILTER_TERMS gives the technical term (shown as a tooltip).
FILTER_LABELS = {
    "theme": "Thema",
    "kind": "Soort",
    "pillar": "Waar het om gaat",
    "relation": "Band met SAMEN030",
    "status_filter": "Situatie in de buurt",
}
FILTER_TERMS = {
    "theme": "Thema van de Routewijzer van het Wijkinformatiepunt",
    "kind": "Soort organisatie of ontmoetingsplek",
    "pillar": "Pijler van sociaal makelaarschap (a, b of c)",
    "relation": "Relatie met de stadscoöperatie SAMEN030",
    "status_filter": "Dekking: is er een buurtorganisatie van bewoners?",
}

RELATION_LABELS = {
    "kernpartner": "Kernpartner van SAMEN030",
    "lid": "Lid van SAMEN030",
    "onbekend": "Onbekend",
    "stadscooperatie": "De stadscoöperatie zelf",
}

PRECISION_LABELS = {
    "adres": "Op adres",
    "straat": "Op straat (locatie bij benadering)",
    "postcode": "Op postcode (locatie bij benadering)",
    "buurt": "Ergens in de buurt (locatie bij benadering)",
    "wijk": "Ergens in de wijk (locatie bij benadering)",
    "onbekend": "Locatie onbekend",
}

ENTITY_LABELS = {"organisation": "Organisatie", "meeting_place": "Ontmoetingsplek"}

# Whether an organisation or place still exists, as the registry records it.
ENTRY_STATUS_LABELS = {"actief": "Actief", "te_bevestigen": "Nog te bevestigen", "gestopt": "Gestopt"}

# The roles of accounts in the workspace.
ROLE_LABELS = {"coordinator": "Coördinator", "beheerder": "Beheerder"}

# What an initiative that signs up wants from SAMEN030.
WISH_LABELS = {
    "kaart": "Alleen op de kaart staan",
    "lid": "Lid worden van SAMEN030",
    "steun": "De steunverklaring van SAMEN030 tekenen",
}

# The map's layers that a reader can switch off (legend, permalink `lagen_uit`, exports).
LAYER_LABELS = {
    "buurten": "Buurten",
    "wijken": "Wijkgrenzen en namen",
    "organisaties": "Organisaties",
    "plekken": "Ontmoetingsplekken",
    "achtergrond": "Achtergrondkaart (PDOK, als er internet is)",
}
