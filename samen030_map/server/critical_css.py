"""The CSS the first view needs, picked out of the page's whole stylesheet.

The global stylesheet (Radix Themes, Reflex's base, assets/styles.css) is about 700 kB. Before the
first paint the page needs only the rules for the elements it has: those are inlined into the page
(server/first_paint.py) and the whole file loads without blocking. A rule is kept when every class
its selector names is on the page and it does not wait for an interaction (:hover, :focus, ...);
custom properties are kept only when a kept rule uses them (directly or through another property).
At-rules keep their structure (@layer order, @media conditions); animations, print and wide-gamut
colours are left to the full file.
"""

from __future__ import annotations

import re

import tinycss2

_CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')
_CLASS = re.compile(r"\.((?:[\w-]|\\.)+)")
_NEGATION = re.compile(r":not\([^()]*(?:\([^()]*\)[^()]*)*\)")
# States that only an interaction (or a later render) brings; the full stylesheet has them in time.
_LATER_STATES = re.compile(r":(?:hover|focus|focus-visible|focus-within|active|visited|autofill|-webkit-autofill|placeholder-shown)\b")
_VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")
_GROUPING = {"media", "supports", "layer", "container"}
_KEPT_AS_IS = {"property"}
# Refinements the full stylesheet brings soon enough: wide-gamut colours, print (the page is loaded
# by the time anyone prints), font aliases (the system font stack paints the same).
_LATER_CONDITIONS = re.compile(r"display-p3|color-gamut|\bprint\b")


def page_classes(html: str) -> set[str]:
    return {name for value in _CLASS_ATTRIBUTE.findall(html) for name in value.split()}


def _selector_applies(selector: str, classes: set[str]) -> bool:
    if _LATER_STATES.search(selector):
        return False
    needed = _CLASS.findall(_NEGATION.sub("", selector))
    return all(re.sub(r"\\(.)", r"\1", name) in classes for name in needed)


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside :is(), :where(), ...)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [part.strip() for part in parts if part.strip()]


class _Rule:
    """A kept style rule: its selectors and declarations (name, value, !important)."""

    def __init__(self, selectors: list[str], declarations: list[tuple[str, str, bool]]):
        self.selectors, self.declarations = selectors, declarations

    def uses(self) -> set[str]:
        return {name for prop, value, _ in self.declarations if not prop.startswith("--") for name in _VAR_USE.findall(value)}

    def text(self, needed_properties: set[str]) -> str:
        kept = [(p, v, i) for p, v, i in self.declarations if not p.startswith("--") or p in needed_properties]
        if not kept:
            return ""
        body = ";".join(f"{p}:{v}{'!important' if i else ''}" for p, v, i in kept)
        return f"{','.join(self.selectors)}{{{body}}}"


def _declarations(rule) -> list[tuple[str, str, bool]]:
    out = []
    for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            out.append((item.lower_name if not item.name.startswith("--") else item.name, tinycss2.serialize(item.value).strip(), item.important))
    return out


def _pick(nodes, classes: set[str]) -> list:
    """The kept tree: _Rule objects, (at-rule head, [children]) groups and plain at-rule texts."""
    kept: list = []
    for node in nodes:
        if node.type == "qualified-rule":
            selectors = [s for s in _split_selectors(tinycss2.serialize(node.prelude)) if _selector_applies(s, classes)]
            if selectors:
                kept.append(_Rule(selectors, _declarations(node)))
        elif node.type == "at-rule":
            head = f"@{node.at_keyword}{tinycss2.serialize(node.prelude)}".strip()
            if _LATER_CONDITIONS.search(head):
                continue
            if node.lower_at_keyword in _GROUPING and node.content is not None:
                children = _pick(tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True), classes)
                if children:
                    kept.append((head, children))
            elif node.lower_at_keyword == "layer" or node.lower_at_keyword in _KEPT_AS_IS:
                kept.append(tinycss2.serialize([node]))  # "@layer a, b;" fixes the layers' order
    return kept


def _rules(tree) -> list[_Rule]:
    for item in tree:
        if isinstance(item, _Rule):
            yield item
        elif isinstance(item, tuple):
            yield from _rules(item[1])


def _needed_properties(tree) -> set[str]:
    """Custom properties a kept rule reads, and those they read in turn."""
    definitions: dict[str, set[str]] = {}
    for rule in _rules(tree):
        for prop, value, _ in rule.declarations:
            if prop.startswith("--"):
                definitions.setdefault(prop, set()).update(_VAR_USE.findall(value))
    needed = set().union(*(rule.uses() for rule in _rules(tree)))
    frontier = list(needed)
    while frontier:
        for used in definitions.get(frontier.pop(), ()):
            if used not in needed:
                needed.add(used)
                frontier.append(used)
    return needed


def _text(tree, needed: set[str]) -> str:
    parts = []
    for item in tree:
        if isinstance(item, _Rule):
            parts.append(item.text(needed))
        elif isinstance(item, tuple):
            inner = _text(item[1], needed)
            if inner:
                parts.append(f"{item[0]}{{{inner}}}")
        else:
            parts.append(item)
    return "".join(parts)


def critical_css(stylesheet: str, html: str, added_classes: tuple[str, ...] = ()) -> str:
    """The rules of `stylesheet` that style the elements of `html` at first paint; `added_classes`
    are those the page's inline scripts set before it paints."""
    nodes = tinycss2.parse_stylesheet(stylesheet, skip_comments=True, skip_whitespace=True)
    tree = _pick(nodes, page_classes(html) | set(added_classes))
    return _text(tree, _needed_properties(tree))
