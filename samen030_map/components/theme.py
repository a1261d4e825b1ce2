"""Colours, patterns and words for the coverage statuses and registry kinds: one place to change them.

Palette: Okabe–Ito, safe for the common forms of colour blindness. Status never relies on colour alone:
every status also has its own fill pattern (SVG) and a text label.
"""

STATUS_ORDER = ("open", "wijkniveau", "gedekt", "weinig bewoners")

STATUS_COLOURS = {
    "open": "#D55E00",  # vermillion: the gaps must stand out
    "wijkniveau": "#56B4E9",  # sky blue
    "gedekt": "#009E73",  # bluish green
    "weinig bewoners": "#BBBBBB",  # grey: not counted as a gap
}

# Short Dutch labels (B1); English comes from the catalogue.
STATUS_LABELS = {
    "open": "Nog geen buurtorganisatie",
    "wijkniveau": "Alleen op wijkniveau",
    "gedekt": "Buurtorganisatie actief",
    "weinig bewoners": "Weinig bewoners",
}

# One sentence per status for the buurt panel.
STATUS_EXPLANATIONS = {
    "open": "Hier is nog geen buurtorganisatie van bewoners. De stadscoöperatie SAMEN030 springt bij tot bewoners er zelf een oprichten.",
    "wijkniveau": "Er is alleen een organisatie die in de hele wijk werkt, nog geen organisatie voor deze buurt.",
    "gedekt": "Er is een organisatie van bewoners actief in deze buurt.",
    "weinig bewoners": "Hier wonen (bijna) geen mensen, zoals op een bedrijventerrein of in een polder. Dit telt niet als gat.",
}

PATTERN_IDS = {
    "open": "pattern-open",
    "wijkniveau": "pattern-wijkniveau",
    "gedekt": "pattern-gedekt",
    "weinig bewoners": "pattern-weinig",
}

ORGANISATION_COLOUR = "#0072B2"  # blue
MEETING_PLACE_COLOUR = "#CC79A7"  # reddish purple
SELECTED_OUTLINE = "#000000"
WIJK_OUTLINE = "#333333"
