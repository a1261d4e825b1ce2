"""The dashboard at `/`: the map with a side panel (wide screens) or a sheet under the map (phones)."""

from __future__ import annotations

import reflex as rx

from samen030_map.components.figures import figures, ranked_gaps
from samen030_map.components.filters import filters
from samen030_map.components.growth import growth_banner, growth_section
from samen030_map.components.legend import legend, print_legend
from samen030_map.components.lists import list_view
from samen030_map.components.map_view import filter_banner, loading_sign, map_view
from samen030_map.components.panel import selection_panel
from samen030_map.components.presentation import map_tools, presentation
from samen030_map.components.search import search_box
from samen030_map.components.static_map import static_map
from samen030_map.components.view_sync import view_sync
from samen030_map.core.config import CBS_ATTRIBUTION
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t

# Tab value -> (name on the tab, the technical term as its tooltip).
TABS = {
    "legenda": ("Legenda", "Uitleg van de kleuren en tekens, en de filters"),
    "lijst": ("Lijsten", "Alle buurten, organisaties en ontmoetingsplekken"),
    "gaten": ("Waar nog niets is", "Gaten in de dekking: buurten zonder buurtorganisatie"),
    "cijfers": ("Cijfers", "Cijfers per wijk en voor heel Utrecht"),
    "groei": ("Groei", "Hoe de dekking door de jaren groeide"),
}


def language_switch() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item("NL", value="nl"),
        rx.segmented_control.item("EN", value="en"),
        value=DashboardState.lang,
        on_change=DashboardState.set_language,
        size="1",
        id="language-switch",
        aria_label="Taal / Language",
        class_name="no-print",
    )


def header() -> rx.Component:
    return rx.flex(
        rx.box(
            rx.heading("SAMEN030 Buurtkaart", size="5"),
            rx.text(t("Wat er is in de Utrechtse buurten, en waar nog niets is"), size="1", color="var(--gray-11)", id="tagline"),
        ),
        rx.box(search_box(), flex="1", min_width="0", max_width="520px", class_name="no-print header-search"),
        rx.link(t("Meld je initiatief aan"), href=rx.cond(DashboardState.is_english, "/meld-aan?lang=en", "/meld-aan"), size="2", class_name="no-print", id="link-meld-aan"),
        language_switch(),
        align="center",
        spacing="3",
        padding="8px 12px",
        wrap="wrap",
        border_bottom="1px solid var(--gray-5)",
        class_name="app-header",
    )


def side_panel() -> rx.Component:
    return rx.vstack(
        selection_panel(),
        rx.tabs.root(
            rx.tabs.list(
                *[rx.tabs.trigger(t(name), value=key, title=t(term)) for key, (name, term) in TABS.items()],
                size="1",
            ),
            rx.tabs.content(rx.vstack(legend(), filters(), spacing="4", padding_top="8px"), value="legenda"),
            rx.tabs.content(list_view(), value="lijst", padding_top="8px"),
            rx.tabs.content(ranked_gaps(), value="gaten", padding_top="8px"),
            rx.tabs.content(figures(), value="cijfers", padding_top="8px"),
            rx.tabs.content(growth_section(), value="groei", padding_top="8px"),
            default_value="legenda",
            width="100%",
            id="panel-tabs",
            class_name="no-print",
        ),
        print_legend(),
        rx.text(t(CBS_ATTRIBUTION), size="1", color="var(--gray-11)", id="attribution"),
        spacing="3",
        padding="12px",
        class_name="side-panel",
    )


def index() -> rx.Component:
    return rx.box(
        view_sync(),
        header(),
        rx.box(
            rx.box(
                # Drawn at first paint, before JavaScript; Leaflet takes over in the same place.
                static_map(),
                map_view(style={"height": "100%", "width": "100%"}),
                loading_sign(),
                rx.box(filter_banner(), growth_banner(), class_name="map-banners"),
                map_tools(),
                class_name="map-area",
                id="map",
            ),
            presentation(),
            side_panel(),
            class_name="dashboard-body",
        ),
        lang=DashboardState.lang,
        class_name=rx.cond(DashboardState.presenting, "dashboard presenting", "dashboard"),
        # Set once the page has loaded its state (0 before): tests and the print layout wait for it.
        data_revision=DashboardState.revision,
    )
