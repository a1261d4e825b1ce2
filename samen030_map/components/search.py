"""One search box over buurten (also older names), wijken, organisations, places, kinds and postcodes."""

from __future__ import annotations

import reflex as rx

from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t

def _result(result: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.button(
            rx.text(result["label"], weight="medium", size="2"),
            rx.text(result["detail"], size="1", color="var(--gray-11)"),
            on_click=DashboardState.pick_search_result(result["kind"], result["key"], result["buurtcode"], result["wijkcode"]),
            class_name="search-result",
            data_kind=result["kind"],
            data_key=result["key"],
        )
    )


def search_box() -> rx.Component:
    return rx.box(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder=t("Zoek buurt, postcode, organisatie of plek"),
            value=DashboardState.search_query,
            on_change=DashboardState.set_search_query,
            aria_label=t("Zoeken"),
            id="search-input",
            type="search",
            width="100%",
        ),
        rx.cond(
            DashboardState.search_results.length() > 0,
            rx.el.ul(rx.foreach(DashboardState.search_results, _result), id="search-results", class_name="search-results", aria_label=t("Zoekresultaten")),
            rx.cond(
                DashboardState.search_query.strip() != "",
                rx.text(t("Niets gevonden. Probeer een andere naam of een postcode van 4 cijfers."), size="1", id="search-empty", padding="4px"),
            ),
        ),
        position="relative",
        width="100%",
    )
