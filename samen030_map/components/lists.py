"""The list view: every buurt (sortable), organisation and place — the text alternative to the map."""

from __future__ import annotations

import reflex as rx

from samen030_map.components.panel import STATUS_SWATCH_CLASSES, entry_link
from samen030_map.labels import STATUS_LABELS
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t, t_var

SORT_COLUMNS = (("buurtnaam", "Buurt"), ("wijknaam", "Wijk"), ("status", "Situatie"), ("inwoners", "Inwoners"))


def _sort_header(key: str, label: str) -> rx.Component:
    arrow = rx.cond(DashboardState.sort_key == key, rx.cond(DashboardState.sort_descending, " ↓", " ↑"), "")
    return rx.table.column_header_cell(
        rx.el.button(t(label), arrow, on_click=DashboardState.sort_buurten(key), class_name="sort-button", data_sort=key),
        aria_sort=rx.cond(DashboardState.sort_key == key, rx.cond(DashboardState.sort_descending, "descending", "ascending"), "none"),
    )


def _buurt_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.el.button(row["name"], on_click=DashboardState.focus_buurt(row["code"].to(str)), class_name="link-button buurt-link", data_code=row["code"])
        ),
        rx.table.cell(row["wijknaam"]),
        rx.table.cell(
            rx.hstack(
                rx.el.span(class_name=rx.Var.create(STATUS_SWATCH_CLASSES)[row["status"].to(str)].to(str), aria_hidden="true"),
                t_var(rx.Var.create(STATUS_LABELS)[row["status"].to(str)].to(str)),
                align="center",
                spacing="1",
            )
        ),
        rx.table.cell(row["inwoners_text"], text_align="right", class_name="number-cell"),
        class_name=rx.cond(row["code"] == DashboardState.selected_buurt, "list-row is-selected", "list-row"),
    )


def buurt_table() -> rx.Component:
    # The table scrolls sideways inside its own box on a narrow screen; the page never does.
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*[_sort_header(key, label) for key, label in SORT_COLUMNS])),
            rx.table.body(rx.foreach(DashboardState.buurt_list, _buurt_row)),
            size="1",
            width="100%",
            id="buurt-table",
        ),
        class_name="table-scroll",
    )


def _entry_list(rows: rx.Var, element_id: str) -> rx.Component:
    return rx.cond(
        rows.length() > 0,
        rx.el.ul(rx.foreach(rows, entry_link), class_name="entry-list", id=element_id),
        rx.text(t("Geen organisaties of plekken passen bij dit filter."), size="2"),
    )


def list_view() -> rx.Component:
    return rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger(t("Buurten"), " (", DashboardState.buurt_list.length(), ")", value="buurten"),
            rx.tabs.trigger(t("Organisaties"), " (", DashboardState.organisation_list.length(), ")", value="organisaties"),
            rx.tabs.trigger(t("Plekken"), " (", DashboardState.place_list.length(), ")", value="plekken"),
            size="1",
        ),
        rx.tabs.content(buurt_table(), value="buurten"),
        rx.tabs.content(_entry_list(DashboardState.organisation_list, "organisation-list"), value="organisaties"),
        rx.tabs.content(_entry_list(DashboardState.place_list, "place-list"), value="plekken"),
        value=DashboardState.list_tab,
        on_change=DashboardState.set_list_tab,
        width="100%",
    )
