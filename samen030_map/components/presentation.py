"""For the person in front of a room: the map's tools (present, download) and the tour's card.

The presentation mode hides the header and the side panel (the `.presenting` class on the page, see
styles.css) and shows one large card beside the map per tour step. The keys (arrows, PageUp/PageDown
of a presenter's clicker, Escape) and the fullscreen request live in buurtkaart.js: it presses the
card's buttons, so the keys and the buttons run the same event handlers.
"""

from __future__ import annotations

import reflex as rx

from samen030_map.components.legend import status_swatch
from samen030_map.components.theme import STATUS_ORDER
from samen030_map.labels import STATUS_LABELS
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t, tn

# Download kind (state/dashboard.py DOWNLOADS) -> what the menu calls it. Pictures first, then files.
DOWNLOAD_LABELS = {
    "png": "Afbeelding (PNG)",
    "svg": "Afbeelding (SVG)",
    "pdf": "Afbeelding (PDF, A4)",
    "handout": "Hand-out: stad en elke wijk (PDF)",
    "html": "Kaart zonder internet (HTML)",
    "buurten-csv": "Buurten (CSV)",
    "organisaties-csv": "Organisaties (CSV)",
    "plekken-csv": "Ontmoetingsplekken (CSV)",
    "buurten-geojson": "Buurten (GeoJSON)",
    "punten-geojson": "Organisaties en plekken (GeoJSON)",
    "hsds": "Open Referral HSDS (zip)",
}
PICTURE_DOWNLOADS = ("png", "svg", "pdf", "handout", "html")


def _download_item(kind: str) -> rx.Component:
    return rx.menu.item(t(DOWNLOAD_LABELS[kind]), on_select=DashboardState.download(kind), data_download=kind)


def download_menu() -> rx.Component:
    """Pictures and files of what the map shows now (filters, selection, the growth view's year)."""
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.cond(DashboardState.preparing != "", rx.spinner(size="1"), rx.icon("download", size=16)),
                rx.cond(DashboardState.preparing != "", t("Wordt gemaakt…"), t("Downloaden")),
                variant="surface",
                size="2",
                id="download-button",
            )
        ),
        rx.menu.content(
            rx.text(t("Plaatjes en kaarten van deze kaart"), size="1", weight="bold", class_name="menu-heading"),
            *[_download_item(kind) for kind in PICTURE_DOWNLOADS],
            rx.menu.separator(),
            rx.text(t("Bestanden met wat dit filter toont"), size="1", weight="bold", class_name="menu-heading"),
            *[_download_item(kind) for kind in DOWNLOAD_LABELS if kind not in PICTURE_DOWNLOADS],
            id="download-menu",
        ),
    )


def map_tools() -> rx.Component:
    """Buttons on the map (top right): start the presentation, download this view."""
    return rx.flex(
        rx.button(
            rx.icon("presentation", size=16),
            t("Presenteren"),
            on_click=DashboardState.start_presentation,
            size="2",
            id="present-button",
            # buurtkaart.js asks for fullscreen on this click (a browser only allows it on a click).
            data_fullscreen="start",
        ),
        download_menu(),
        spacing="2",
        class_name="map-tools no-print",
    )


def _count_row(status: str) -> rx.Component:
    return rx.el.li(
        status_swatch(status, 44, 30),
        rx.el.span(t(STATUS_LABELS[status]), class_name="tour-count-label"),
        rx.el.strong(DashboardState.tour["counts"].to(dict)[status].to(str)),
        class_name="tour-count",
    )


def tour_card() -> rx.Component:
    tour = DashboardState.tour
    return rx.el.aside(
        rx.el.p(t("Stap"), " ", tour["number"].to(str), " ", t("van"), " ", tour["of"].to(str), class_name="tour-step-number", id="tour-step-number"),
        rx.el.h2(tour["title"].to(str), id="tour-title"),
        rx.cond(
            DashboardState.filter_summary != "",
            rx.el.p(t("Filter"), ": ", DashboardState.filter_summary, class_name="tour-filter", id="tour-filter"),
        ),
        rx.cond(DashboardState.growth_year != 0, rx.el.p(DashboardState.growth_year_text, class_name="tour-filter")),
        rx.el.ul(*[_count_row(status) for status in STATUS_ORDER], class_name="tour-counts"),
        rx.el.ul(rx.foreach(tour["facts"].to(list[str]), lambda fact: rx.el.li(fact)), class_name="tour-facts", id="tour-facts"),
        rx.cond(
            tour["list_title"].to(str) != "",
            rx.box(
                rx.el.h3(tour["list_title"].to(str)),
                rx.el.ol(rx.foreach(tour["items"].to(list[str]), lambda item: rx.el.li(item)), class_name="tour-items", id="tour-items"),
            ),
        ),
        rx.cond(
            tour["names"].to(list[str]).length() > 0,
            rx.box(
                rx.el.h3(t("Organisaties en ontmoetingsplekken")),
                rx.el.ul(rx.foreach(tour["names"].to(list[str]), lambda name: rx.el.li(name)), class_name="tour-names", id="tour-names"),
                rx.cond(tour["more"].to(int) > 0, rx.el.p(tn(tour["more"].to(int), "en nog {n} andere", "en nog {n} andere"), class_name="tour-more")),
            ),
        ),
        rx.el.nav(
            rx.el.button("← ", t("Vorige"), on_click=DashboardState.tour_previous, disabled=tour["first"].to(bool), id="tour-prev", class_name="tour-button"),
            rx.el.button(t("Volgende"), " →", on_click=DashboardState.tour_next, disabled=tour["last"].to(bool), id="tour-next", class_name="tour-button primary"),
            rx.el.button(t("Stoppen"), " (Esc)", on_click=DashboardState.stop_presentation, id="tour-exit", class_name="tour-button"),
            rx.el.button(t("Volledig scherm"), data_fullscreen="enter", id="tour-fullscreen", class_name="tour-button tour-fullscreen"),
            class_name="tour-nav",
            aria_label=t("Presentatie"),
        ),
        rx.el.p(t("Toetsen: pijltjes of PageUp/PageDown voor vorige en volgende, Esc om te stoppen."), class_name="tour-keys"),
        class_name="tour-card",
        id="tour-card",
        aria_live="polite",
    )


def presentation() -> rx.Component:
    return rx.cond(DashboardState.presenting, tour_card())
