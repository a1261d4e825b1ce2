"""Find every Dutch text the page can show, so the English catalogue can be checked for gaps.

Plain Python: reads the components, pages, state and view with `ast` (nothing is rendered). Texts are
t("…") and translate("…", lang) literals, label constants, and plural pairs from tn(n, "…", "…") and
ngettext("…", "…", n, lang). Run `python -m samen030_map.i18n.extract` to list what has no English
translation yet.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from samen030_map import labels
from samen030_map.core.schema import FIELDS, THEMES
from samen030_map.i18n import catalogue, plural_catalogue

PACKAGE_DIR = Path(__file__).resolve().parents[1]
SOURCE_GLOBS = ("components/*.py", "pages/*.py", "state/*.py", "view.py", "export/*.py")
LABEL_SUFFIXES = ("_LABELS", "_EXPLANATIONS", "_TERMS")
LABEL_CONSTANTS = ("SORT_COLUMNS", "TABS", "FORM_GROUPS")


def _source_trees() -> Iterator[ast.Module]:
    for path in sorted(p for pattern in SOURCE_GLOBS for p in PACKAGE_DIR.glob(pattern)):
        yield ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def dutch_source_texts() -> set[str]:
    """Every Dutch (singular) text that reaches the page through t(), t_var() or translate()."""
    texts: set[str] = set(THEMES)
    texts |= {text for spec in FIELDS for text in (spec.label, spec.help) if text}  # the workspace form
    for name in dir(labels):
        if name.endswith(LABEL_SUFFIXES):
            texts |= set(_texts_of(getattr(labels, name)))
    for tree in _source_trees():
        texts |= _module_texts(tree)
    return texts


def dutch_plural_texts() -> set[tuple[str, str]]:
    """Every (singular, plural) pair given to tn(n, singular, plural) or ngettext(singular, plural, n, lang)."""
    pairs: set[tuple[str, str]] = set()
    for tree in _source_trees():
        for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            first = {"tn": 1, "ngettext": 0}.get(call.func.id)
            if first is None or len(call.args) < first + 2:
                continue
            singular, plural = call.args[first : first + 2]
            if all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in (singular, plural)):
                pairs.add((singular.value, plural.value))
    return pairs


def _module_texts(tree: ast.Module) -> set[str]:
    """t("...") literals, *_LABELS / SORT_COLUMNS constants, and literal labels given to helpers that call t(label)."""
    constants = _module_constants(tree)
    helpers = _translating_helpers(tree)
    texts: set[str] = set()
    for name, value in constants.items():
        if name.endswith(LABEL_SUFFIXES) or name in LABEL_CONSTANTS:
            texts |= set(_texts_of(value))
    for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        if call.func.id in ("t", "translate") and call.args:
            texts |= set(_resolve(call.args[0], constants, tree))
        elif call.func.id in helpers:
            for index, parameter in helpers[call.func.id]:
                arguments = call.args[index : index + 1] + [k.value for k in call.keywords if k.arg == parameter]
                texts |= {a.value for a in arguments if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return texts


def _module_constants(tree: ast.Module) -> dict[str, object]:
    """Module-level NAME = <literal> assignments (strings, dicts, tuples)."""
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                constants[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return constants


def _translating_helpers(tree: ast.Module) -> dict[str, list[tuple[int, str]]]:
    """Functions that call t(<a parameter>): name -> (position, name) of every such parameter."""
    helpers: dict[str, list[tuple[int, str]]] = {}
    for function in (node for node in tree.body if isinstance(node, ast.FunctionDef)):
        parameters = [a.arg for a in function.args.posonlyargs + function.args.args]
        for call in ast.walk(function):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == "t"
                and call.args
                and isinstance(call.args[0], ast.Name)
                and call.args[0].id in parameters
            ):
                helpers.setdefault(function.name, []).append((parameters.index(call.args[0].id), call.args[0].id))
    return helpers


def _resolve(node: ast.expr, constants: dict[str, object], tree: ast.Module) -> Iterator[str]:
    """The text of t()'s argument: a literal, a constant of this module, or a constant imported from another."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.Name) and isinstance(constants.get(node.id), str):
        yield constants[node.id]
    elif isinstance(node, ast.Name):
        for imported in (n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module):
            for alias in imported.names:
                if (alias.asname or alias.name) == node.id:
                    value = getattr(importlib.import_module(imported.module), alias.name, None)
                    if isinstance(value, str):
                        yield value


def _texts_of(value: object) -> Iterable[str]:
    """The Dutch words in a label constant: dict values, plain strings, or the label of (code, label) pairs."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        values = [v for v in value.values() if isinstance(v, str)]
        return values + [text for v in value.values() if isinstance(v, tuple) for text in v if isinstance(text, str)]
    if isinstance(value, tuple | list):
        pairs = [item for item in value if isinstance(item, tuple | list) and len(item) == 2]
        # (code, label) pairs, and (title, members) pairs such as the form's groups.
        texts = [label for _, label in pairs if isinstance(label, str)] + [title for title, members in pairs if isinstance(members, tuple | list)]
        return [item for item in value if isinstance(item, str)] + texts
    return []


def missing_translations(lang: str = "en") -> list[str]:
    """Dutch texts (and plural pairs, as "singular | plural") without a translation in `lang`, sorted."""
    translated = catalogue(lang)
    plurals = plural_catalogue(lang)
    missing = [text for text in dutch_source_texts() if not translated.get(text, "").strip()]
    missing += [f"{one} | {many}" for one, many in dutch_plural_texts() if (one, many) not in plurals]
    return sorted(missing)


def main() -> None:
    texts = dutch_source_texts()
    missing = missing_translations("en")
    print(f"{len(texts)} Dutch texts, {len(dutch_plural_texts())} plural pairs, {len(missing)} without English translation")
    for text in missing:
        print(text)


if __name__ == "__main__":
    main()
