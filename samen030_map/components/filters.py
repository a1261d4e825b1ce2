"""Filters on the registry and the situation per buurt. They choose which organisations, places and
buurten are shown; the colours of the buurten always stay the real situation."""

from __future__ import annotations

import reflex as rx

from samen030_map.components.theme import STATUS_ORDER
from samen030_map.core.registry import ORG_KINDS, PILLARS, PLACE_KINDS, RELATIONS, THEMES
from samen030_map.labels import FILTER_LABELS, FILTER_TERMS, KIND_LABELS, PILLAR_LABELS, RELATION_LABELS, STATUS_LABELS
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t

ALL = "__alle__"  # Radix select items cannot have an empty value


def _select(field: str, options: list[tuple[str, str]]) -> rx.Component:
    value = getattr(DashboardState, field)
    label = FILTER_LABELS[field]
    return rx.box(
        rx.el.label(t(label), html_for=f"filter-{field}", title=t(FILTER_TERMS[field]), class_name="filter-label"),
        rx.select.root(
            rx.select.trigger(width="100%", aria_label=t(label), id=f"filter-{field}", title=t(FILTER_TERMS[field])),
            rx.select.content(
                rx.select.item(t("Alle"), value=ALL),
                *[rx.select.item(t(text), value=code) for code, text in options],
            ),
            value=rx.cond(value == "", ALL, value),
            on_change=lambda choice: DashboardState.set_filter(field, rx.cond(choice == ALL, "", choice)),
            size="1",
        ),
        min_width="0",
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
        rx.text(t("Een filter kiest welke organisaties, plekken en buurten u ziet. De kleuren van de buurten veranderen er niet door."), size="1", color="var(--gray-11)"),
        rx.grid(
            _select("theme", [(theme, theme) for theme in THEMES]),
            _select("kind", [(kind, KIND_LABELS[kind]) for kind in (*ORG_KINDS, *PLACE_KINDS)]),
            _select("pillar", [(p, PILLAR_LABELS[p]) for p in PILLARS]),
            _select("relation", [(r, RELATION_LABELS[r]) for r in RELATIONS]),
            _select("status_filter", [(s, STATUS_LABELS[s]) for s in STATUS_ORDER]),
            columns="2",
            spacing="2",
            width="100%",
        ),
        rx.cond(
            DashboardState.nothing_passes_filters,
            rx.callout(t("Geen organisaties of plekken passen bij dit filter."), icon="info", size="1", id="filters-empty"),
        ),
        spacing="2",
        width="100%",
        id="filters",
    )
