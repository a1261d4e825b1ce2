"""The legend is also a control: a click on a status, kind or layer hides or shows it; counts are live."""

from __future__ import annotations

import reflex as rx

from samen030_map.components.theme import STATUS_ORDER
from samen030_map.core.registry import ORG_KINDS, PLACE_KINDS
from samen030_map.labels import KIND_LABELS, KIND_SYMBOLS, LAYER_LABELS, STATUS_LABELS
from samen030_map.palette import svg_swatch
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t



def status_swatch(status: str, width: int = 22, height: int = 16) -> rx.Component:
    return rx.html(svg_swatch(status, width, height), display="flex")


def kind_swatch(kind: str) -> rx.Component:
    shape = "place" if kind in PLACE_KINDS else "org"
    return rx.el.span(rx.el.span(KIND_SYMBOLS[kind]), class_name=f"kind-marker {shape} legend-symbol", aria_hidden="true")


def _toggle_row(swatch: rx.Component, label: str, count: rx.Var, hidden: rx.Var, on_click, **data) -> rx.Component:
    return rx.el.button(
        swatch,
        rx.text(t(label), size="2", flex="1", text_align="left"),
        rx.text(count, size="2", weight="bold", class_name="legend-count"),
        on_click=on_click,
        aria_pressed=~hidden,
        class_name=rx.cond(hidden, "legend-row is-hidden", "legend-row"),
        **data,
    )


def status_rows() -> rx.Component:
    return rx.box(
        *[
            _toggle_row(
                status_swatch(status),
                STATUS_LABELS[status],
                DashboardState.status_counts[status],
                DashboardState.hidden_statuses.contains(status),
                DashboardState.toggle_status(status),
                data_status=status,
            )
            for status in STATUS_ORDER
        ],
        role="group",
        aria_label=t("Is er een buurtorganisatie?"),
    )


def kind_rows(kinds: tuple[str, ...]) -> rx.Component:
    return rx.box(
        *[
            rx.cond(
                DashboardState.kind_counts[kind].to(int) > 0,
                _toggle_row(
                    kind_swatch(kind),
                    KIND_LABELS[kind],
                    DashboardState.kind_counts[kind],
                    DashboardState.hidden_kinds.contains(kind),
                    DashboardState.toggle_kind(kind),
                    data_kind=kind,
                ),
            )
            for kind in kinds
        ]
    )


def layer_switches() -> rx.Component:
    return rx.vstack(
        *[
            rx.el.label(
                rx.checkbox(
                    checked=~DashboardState.hidden_layers.contains(layer),
                    on_change=lambda _checked, layer=layer: DashboardState.toggle_layer(layer),
                    data_layer=layer,
                ),
                rx.text(t(label), size="2"),
                class_name="layer-switch",
            )
            for layer, label in LAYER_LABELS.items()
        ],
        spacing="1",
    )


def legend() -> rx.Component:
    return rx.box(
        rx.text(t("Is er een buurtorganisatie?"), weight="bold", size="2"),
        status_rows(),
        rx.text(t("Organisaties"), weight="bold", size="2", margin_top="8px"),
        kind_rows(ORG_KINDS),
        rx.text(t("Ontmoetingsplekken"), weight="bold", size="2", margin_top="8px"),
        kind_rows(PLACE_KINDS),
        rx.text(t("Klik op een regel om die te tonen of te verbergen. Gestippelde rand: locatie bij benadering."), size="1", color="var(--gray-11)", margin_top="4px"),
        rx.text(t("Kaartlagen"), weight="bold", size="2", margin_top="8px"),
        layer_switches(),
        id="legend",
    )


def print_legend() -> rx.Component:
    """The legend as printed: the year of a growth view, the statuses with their patterns and counts,
    and the filters in force."""
    return rx.box(
        # A past year on paper says so first: it is not today's picture.
        rx.cond(DashboardState.growth_year != 0, rx.text(DashboardState.growth_year_text, weight="bold", size="3", id="print-year")),
        rx.text(t("Is er een buurtorganisatie?"), weight="bold", size="2"),
        *[
            rx.hstack(
                status_swatch(status),
                rx.text(t(STATUS_LABELS[status]), size="2"),
                rx.text(DashboardState.status_counts[status], size="2", weight="bold", class_name="legend-count"),
                align="center",
                spacing="2",
            )
            for status in STATUS_ORDER
        ],
        rx.cond(
            DashboardState.filter_summary != "",
            rx.text(t("Filter"), ": ", DashboardState.filter_summary, size="1"),
        ),
        rx.text(t("Rond: organisatie. Vierkant: ontmoetingsplek. Gestippelde rand: locatie bij benadering."), size="1"),
        class_name="print-only print-legend",
        id="print-legend",
    )
