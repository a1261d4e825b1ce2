"""The map page at `/`."""

from __future__ import annotations

import reflex as rx

from samen030_map.components.legend import legend
from samen030_map.components.map_view import map_view
from samen030_map.components.theme import STATUS_EXPLANATIONS, STATUS_LABELS
from samen030_map.core.config import CBS_ATTRIBUTION
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t, t_var


def header() -> rx.Component:
    return rx.hstack(
        rx.heading("SAMEN030 Buurtkaart", size="5"),
        rx.text(t("Wat er is in de Utrechtse buurten, en waar nog niets is"), size="2", color="var(--gray-11)"),
        align="baseline",
        spacing="3",
        padding="8px 16px",
        wrap="wrap",
    )


def selection_panel() -> rx.Component:
    return rx.cond(
        DashboardState.selected_buurt != "",
        rx.box(
            rx.heading(DashboardState.selected_name, size="4", id="panel-buurt-name"),
            rx.text(t_var(DashboardState.selected_status_label), weight="bold", id="panel-status"),
            id="buurt-panel",
        ),
        rx.text(t("Klik op een buurt op de kaart."), size="2", color="var(--gray-11)"),
    )


def attribution() -> rx.Component:
    return rx.text(t(CBS_ATTRIBUTION), size="1", color="var(--gray-11)", id="attribution")


def index() -> rx.Component:
    return rx.box(
        header(),
        rx.flex(
            rx.box(map_view(style={"height": "100%", "width": "100%"}), flex="1", min_height="60vh"),
            rx.vstack(legend(), rx.divider(), selection_panel(), attribution(), width=["100%", "100%", "320px"], padding="12px", spacing="3"),
            direction=rx.breakpoints(initial="column", md="row"),
            height="calc(100vh - 52px)",
        ),
        lang=DashboardState.lang,
    )
