"""Search over buurten, wijken, organisations and meeting places (plain Python, no Reflex).

The index is built once from the boundaries and the two registry frames (registry.entries_frame
output); every string is normalised then, so a search is a few substring tests per item.

Matching is case- and accent-insensitive and ignores punctuation: "maximapark" finds Máximapark,
"cooperatie" finds Wijkcoöperatie. Every word of the query must occur in an item's searchable
text. A four-digit postcode ("3552", "3552AB", "3552 ab") first lists the buurten whose most
common postcode (CBS) it is.

Ranking, best first: the name is the query; the name starts with the query; a word of the name
starts with the query; an older name (alias) matches; the words occur elsewhere (e.g. the wijk).
Ties: wijken, buurten, organisations, meeting places; then alphabetical.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

import pandas as pd

from samen030_map.core.boundaries import Boundaries
from samen030_map.i18n import translate
from samen030_map.labels import KIND_LABELS

# Older or well-known names residents still use, only where a source states them
# (/work/shared/geodata/README.md); "Uithof" is the short form of "De Uithof".
BUURT_ALIASES: dict[str, tuple[str, ...]] = {
    "BU03440533": ("De Uithof", "Uithof"),  # now Utrecht Science Park
    "BU03441014": ("Leidsche Rijn Park",),  # now Máximapark
}

MAX_QUERY_LENGTH = 100
DEFAULT_LIMIT = 12

# Tie order between kinds of result: the larger area first, then organisations, then places.
KIND_ORDER = {"wijk": 0, "buurt": 1, "organisation": 2, "meeting_place": 3}

TIER_EXACT, TIER_PREFIX, TIER_WORD_PREFIX, TIER_ALIAS, TIER_ELSEWHERE = range(5)

_POSTCODE_QUERY = re.compile(r"(\d{4})\s*(?:[A-Za-z]{2})?")
_APOSTROPHES = re.compile(r"['’‘`´]")
_WORD = re.compile(r"[^\W_]+")  # letters and digits; "_" and punctuation separate words
_FIELD_SEPARATOR = " | "  # keeps a query word from matching across two fields


@dataclass(frozen=True)
class SearchResult:
    """One hit, as facts; the view turns them into words in the reader's language.

    kind: "buurt" | "wijk" | "organisation" | "meeting_place"; key: buurtcode, wijkcode or registry
    id; label: the display name; buurtcode: the buurt to select on the map ("" when none or several);
    wijkcode: "" when not one known wijk.
    Context: entry_kind (registry kind of an organisation or place); wijknaam (the wijk of a buurt);
    buurt_count (buurten of a wijk); area: where an entry works or lies, see ``_Places._area``;
    address; alias (the older name that matched, as written); postcode (the postcode searched for,
    when the buurt was found by its postcode).
    """

    kind: str
    key: str
    label: str
    buurtcode: str
    wijkcode: str
    entry_kind: str = ""
    wijknaam: str = ""
    buurt_count: int = 0
    area: tuple = ()
    address: str = ""
    alias: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class _Item:
    """A result with its precomputed, normalised search strings."""

    result: SearchResult
    order: int  # KIND_ORDER of the result
    names: tuple[str, ...]  # normalised names ranked as "the name": the label, for a wijk also "wijk <label>"
    names_compact: tuple[str, ...]  # the same without spaces ("maxima park" ~ "maximapark")
    aliases: tuple[str, ...]  # normalised aliases (buurten only)
    alias_labels: tuple[str, ...]  # the aliases as written, same order
    haystack: str  # all searchable fields, normalised, joined by _FIELD_SEPARATOR
    haystack_compact: str  # the same with the spaces inside each field removed
    sort_label: str
    postcode: str = ""  # buurten only: the CBS most common postcode


def normalise(text: object) -> str:
    """Lower-case words without accents or punctuation, separated by single spaces.

    NFKD splits "ö" into "o" + a combining mark, which is dropped; apostrophes are dropped so that
    "Elinkwijk's" reads "elinkwijks"; any other non-letter, non-digit separates words.
    """
    if text is None or (isinstance(text, float) and text != text):  # None or NaN
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return " ".join(_WORD.findall(_APOSTROPHES.sub("", bare)))


def _compact(normalised: str) -> str:
    return normalised.replace(" ", "")


def _haystacks(fields: Iterable[object]) -> tuple[str, str]:
    """(haystack, compact haystack) of the non-empty normalised fields."""
    parts = [part for part in (normalise(field) for field in fields) if part]
    return _FIELD_SEPARATOR.join(parts), "|".join(_compact(part) for part in parts)


def _make_item(result: SearchResult, fields: Iterable[object], aliases: tuple[str, ...] = (), postcode: str = "") -> _Item:
    name = normalise(result.label)
    names = (name, f"wijk {name}") if result.kind == "wijk" else (name,)
    haystack, haystack_compact = _haystacks([result.label, *aliases, *fields])
    return _Item(
        result=result,
        order=KIND_ORDER[result.kind],
        names=names,
        names_compact=tuple(_compact(each) for each in names),
        aliases=tuple(normalise(alias) for alias in aliases),
        alias_labels=tuple(aliases),
        haystack=haystack,
        haystack_compact=haystack_compact,
        sort_label=name,
        postcode=postcode,
    )


def kind_words(kind: str) -> tuple[str, ...]:
    """The words a reader may type for a registry kind: the Dutch label and its English translation."""
    label = KIND_LABELS.get(kind, kind.replace("_", " "))
    return (label, translate(label, "en"))


class SearchIndex:
    """All searchable items, normalised once. Build with build_search_index()."""

    def __init__(self, items: Iterable[_Item]):
        self._items = tuple(items)
        self._buurten_by_postcode: dict[str, list[_Item]] = {}
        for item in self._items:
            if item.postcode:
                self._buurten_by_postcode.setdefault(item.postcode, []).append(item)
        for items_here in self._buurten_by_postcode.values():
            items_here.sort(key=lambda item: (item.sort_label, item.result.key))

    def __len__(self) -> int:
        return len(self._items)

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> list[SearchResult]:
        """The best ``limit`` results for ``query`` (see the module docstring); [] for an empty query.

        The query is plain text (HTML is not interpreted); only its first MAX_QUERY_LENGTH
        characters are used.
        """
        if not isinstance(query, str) or not isinstance(limit, int) or limit <= 0:
            return []
        query = query[:MAX_QUERY_LENGTH]
        results: list[SearchResult] = []
        taken: set[tuple[str, str]] = set()

        postcode = _POSTCODE_QUERY.fullmatch(query.strip())
        if postcode:
            digits = postcode.group(1)
            for item in self._buurten_by_postcode.get(digits, ()):
                results.append(replace(item.result, postcode=digits))
                taken.add((item.result.kind, item.result.key))

        normalised_query = normalise(query)
        words = normalised_query.split()
        if words:
            compact_query = _compact(normalised_query)
            ranked = []
            for item in self._items:
                if (item.result.kind, item.result.key) in taken:
                    continue
                if not all(word in item.haystack or word in item.haystack_compact for word in words):
                    continue
                tier, alias = _tier(item, normalised_query, compact_query, words)
                ranked.append(((tier, item.order, item.sort_label, item.result.key), item, alias))
            ranked.sort(key=lambda entry: entry[0])
            for _, item, alias in ranked[: max(0, limit - len(results))]:
                result = item.result
                if alias:
                    result = replace(result, alias=alias)
                results.append(result)
        return results[:limit]


def _tier(item: _Item, query: str, compact_query: str, words: list[str]) -> tuple[int, str]:
    """(rank tier, the alias as written when an alias is why it matched, else "")."""
    if query in item.names or compact_query in item.names_compact:
        return TIER_EXACT, ""
    if any(name.startswith(compact_query) for name in item.names_compact) or any(
        name.startswith(query) for name in item.names
    ):
        return TIER_PREFIX, ""
    if any(f" {query}" in f" {name}" for name in item.names):
        return TIER_WORD_PREFIX, ""
    for alias, written in zip(item.aliases, item.alias_labels):
        alias_compact = _compact(alias)
        if all(word in alias or word in alias_compact for word in words):
            return TIER_ALIAS, written
    return TIER_ELSEWHERE, ""


# --- building the index ---------------------------------------------------------------------------


def build_search_index(
    boundaries: Boundaries,
    organisations: pd.DataFrame | None,
    meeting_places: pd.DataFrame | None,
) -> SearchIndex:
    """The search index over all wijken, buurten and the two registry frames.

    In: boundaries; organisations and meeting_places shaped like registry.entries_frame output
    (id, name, kind, area_level, area_codes, point_is_approximate, buurtcode; an ``address``
    column is searched when a frame has one). Either frame may be None or empty.
    """
    buurten = boundaries.buurten
    buurt_names = dict(zip(buurten["buurtcode"], buurten["buurtnaam"]))
    buurt_wijk = dict(zip(buurten["buurtcode"], buurten["wijkcode"]))
    wijk_names = dict(zip(boundaries.wijken["wijkcode"], boundaries.wijken["wijknaam"]))
    buurt_counts = buurten["wijkcode"].value_counts().to_dict()

    items: list[_Item] = []
    for wijkcode, wijknaam in wijk_names.items():
        count = int(buurt_counts.get(wijkcode, 0))
        result = SearchResult("wijk", wijkcode, str(wijknaam), "", wijkcode, buurt_count=count)
        # "wijk" is searchable (and "wijk Oost" ranks as its name) so that "wijk oost" finds wijk Oost
        items.append(_make_item(result, ["wijk"]))

    for buurtcode, buurtnaam, wijkcode, postcode in zip(
        buurten["buurtcode"], buurten["buurtnaam"], buurten["wijkcode"], buurten["postcode"]
    ):
        wijknaam = wijk_names.get(wijkcode, "")
        result = SearchResult("buurt", buurtcode, str(buurtnaam), buurtcode, wijkcode, wijknaam=str(wijknaam))
        aliases = BUURT_ALIASES.get(buurtcode, ())
        items.append(_make_item(result, [wijknaam], aliases, postcode if isinstance(postcode, str) else ""))

    places = _Places(buurt_names, buurt_wijk, wijk_names)
    for frame, entity in ((organisations, "organisation"), (meeting_places, "meeting_place")):
        if frame is not None and len(frame):
            items.extend(places.items(frame, entity))
    return SearchIndex(items)


class _Places:
    """Turns registry frame rows into items; holds the code -> name lookups."""

    def __init__(self, buurt_names: dict, buurt_wijk: dict, wijk_names: dict):
        self.buurt_names = buurt_names
        self.buurt_wijk = buurt_wijk
        self.wijk_names = wijk_names

    def items(self, frame: pd.DataFrame, entity: str) -> list[_Item]:
        rows = zip(
            _column(frame, "id", ""),
            _column(frame, "name", ""),
            _column(frame, "kind", ""),
            _column(frame, "area_level", "stad"),
            _column(frame, "area_codes", ()),
            _column(frame, "point_is_approximate", True),
            _column(frame, "buurtcode", None),
            _column(frame, "address", ""),  # not in entries_frame today; searched when present
        )
        items = []
        for entry_id, name, kind, level, codes, approximate, point_buurt, address in rows:
            codes = tuple(codes) if isinstance(codes, (tuple, list)) else ()
            address = address if isinstance(address, str) else ""
            buurt_codes = sorted({code for code in codes if code in self.buurt_names})
            wijk_codes = sorted({code for code in codes if code in self.wijk_names})

            buurtcode = buurt_codes[0] if len(buurt_codes) == 1 else ""
            # An approximate point standing in for a wijk says nothing about the buurt.
            point_trusted = not _truthy(approximate) or level == "buurt"
            if not buurtcode and not buurt_codes and point_trusted and isinstance(point_buurt, str):
                buurtcode = point_buurt if point_buurt in self.buurt_names else ""
            wijken = set(wijk_codes) | {self.buurt_wijk[code] for code in buurt_codes}
            if buurtcode:
                wijken.add(self.buurt_wijk[buurtcode])
            wijkcode = next(iter(wijken)) if len(wijken) == 1 else ""

            area = self._area(entity, buurt_codes, wijk_codes, buurtcode)
            result = SearchResult(
                entity, str(entry_id), str(name), buurtcode, wijkcode, entry_kind=str(kind), area=area, address=address
            )
            items.append(_make_item(result, [kind, *kind_words(str(kind)), address]))
        return items

    def _area(self, entity: str, buurt_codes: list, wijk_codes: list, buurtcode: str) -> tuple:
        """Where it works or lies, as a small tuple of facts:
        ("buurten", names) for up to three buurten; ("buurten_in_wijk", count, wijknaam);
        ("buurten_count", count); ("wijken", names); ("stad",) for city-wide organisations;
        ("onbekend",) for a place without a known buurt or wijk."""
        if buurt_codes:
            names = tuple(sorted(str(self.buurt_names[code]) for code in buurt_codes))
            if len(names) <= 3:
                return ("buurten", names)
            wijken = {self.buurt_wijk[code] for code in buurt_codes}
            if len(wijken) == 1:
                return ("buurten_in_wijk", len(names), str(self.wijk_names[wijken.pop()]))
            return ("buurten_count", len(names))
        if wijk_codes:
            return ("wijken", tuple(str(self.wijk_names[code]) for code in wijk_codes))
        if buurtcode:  # only a real point tells us the buurt
            return ("buurten", (str(self.buurt_names[buurtcode]),))
        return ("stad",) if entity == "organisation" else ("onbekend",)


def _column(frame: pd.DataFrame, name: str, default: object) -> list:
    """A frame column as a list, or ``default`` for every row when the frame lacks it."""
    return frame[name].tolist() if name in frame.columns else [default] * len(frame)


def _truthy(value: object) -> bool:
    """bool() that reads a missing value (None/NaN) as True: unknown precision is approximate."""
    if value is None or (isinstance(value, float) and value != value):
        return True
    return bool(value)
