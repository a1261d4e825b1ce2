"""Filters on the registry and the coverage status. Map, lists, legend counts and figures all follow them."""

from __future__ import annotations

import reflex as rx

from samen030_map.components.theme import STATUS_ORDER
from samen030_map.core.registry import ORG_KINDS, PILLARS, PLACE_KINDS, RELATIONS, THEMES
from samen030_map.labels import KIND_LABELS, PILLAR_LABELS, RELATION_LABELS, STATUS_LABELS
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t

ALL = "__alle__"  # Radix select items cannot have an empty value


def _select(field: str, label: str, options: list[tuple[str, str]]) -> rx.Component:
    value = getattr(DashboardState, field)
    return rx.box(
        rx.text(t(label), size="1", weight="medium", as_="label"),
        rx.select.root(
            rx.select.trigger(width="100%", aria_label=t(label), id=f"filter-{field}"),
            rx.select.content(
                rx.select.item(t("Alle"), value=ALL),
                *[rx.select.item(t(text), value=code) for code, text in options],
            ),
            value=rx.cond(value == "", ALL, value),
            on_change=lambda choice: DashboardState.set_filter(field, rx.cond(choice == ALL, "", choice)),
            size="1",
        ),
        width="100%",
    )


def filters() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(t("Filters"), weight="bold", size="2"),
            rx.cond(
                DashboardState.filters_active,
                rx.button(t("Wis filters"), on_click=DashboardState.clear_filters, size="1", variant="ghost", id="clear-filters"),
            ),
            justify="between",
            width="100%",
        ),
        rx.grid(
            _select("theme", "Thema (Routewijzer)", [(theme, theme) for theme in THEMES]),
            _select("kind", "Soort", [(kind, KIND_LABELS[kind]) for kind in (*ORG_KINDS, *PLACE_KINDS)]),
            _select("pillar", "Pijler sociaal makelaarschap", [(p, PILLAR_LABELS[p]) for p in PILLARS]),
            _select("relation", "Relatie met SAMEN030", [(r, RELATION_LABELS[r]) for r in RELATIONS]),
            _select("status_filter", "Dekking", [(s, STATUS_LABELS[s]) for s in STATUS_ORDER]),
            columns="2",
            spacing="2",
            width="100%",
        ),
        spacing="2",
        width="100%",
        id="filters",
    )
