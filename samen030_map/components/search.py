"""One search box over buurten (also older names), wijken, organisations, places, kinds and postcodes.

A combobox: arrows move through the results, Enter picks, Escape or a click elsewhere closes the list.
"""

from __future__ import annotations

import reflex as rx

from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t

LISTBOX_ID = "search-results"


def _option_id(index: rx.Var) -> rx.Var:
    return "search-option-" + index.to_string()


def _result(result: rx.Var, index: rx.Var) -> rx.Component:
    active = DashboardState.search_active == index
    return rx.el.li(
        rx.text(result["label"], weight="medium", size="2", class_name="search-label"),
        rx.text(result["detail"], size="1", color="var(--gray-11)"),
        # Keep the focus in the box while clicking, so the list does not close before the click lands.
        on_mouse_down=rx.prevent_default,
        on_click=DashboardState.pick_search_result(result["kind"].to(str), result["key"].to(str)),
        role="option",
        aria_selected=active,
        id=_option_id(index),
        class_name=rx.cond(active, "search-result is-active", "search-result"),
        data_kind=result["kind"],
        data_key=result["key"],
    )


def search_box() -> rx.Component:
    expanded = DashboardState.search_open & (DashboardState.search_results.length() > 0)
    return rx.box(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder=t("Zoek buurt, postcode, organisatie of plek"),
            value=DashboardState.search_query,
            on_change=DashboardState.set_search_query,
            on_key_down=DashboardState.search_key,
            on_focus=DashboardState.open_search,
            on_blur=DashboardState.close_search,
            aria_label=t("Zoeken"),
            role="combobox",
            aria_expanded=expanded,
            aria_controls=LISTBOX_ID,
            aria_autocomplete="list",
            aria_activedescendant=rx.cond(DashboardState.search_active >= 0, _option_id(DashboardState.search_active), ""),
            auto_complete="off",
            id="search-input",
            type="search",
            width="100%",
        ),
        rx.cond(
            expanded,
            rx.el.ul(rx.foreach(DashboardState.search_results, _result), id=LISTBOX_ID, role="listbox", class_name="search-results", aria_label=t("Zoekresultaten")),
            rx.cond(
                DashboardState.search_open & (DashboardState.search_query.strip() != ""),
                rx.text(t("Niets gevonden. Probeer een andere naam of een postcode van 4 cijfers."), size="1", id="search-empty", class_name="search-empty"),
            ),
        ),
        rx.el.div(DashboardState.search_status, aria_live="polite", class_name="visually-hidden"),
        position="relative",
        width="100%",
        class_name="search-box",
    )
