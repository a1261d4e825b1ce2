"""Buurten without an organisation (ranked), city and wijk cards, and a chart of the situation per wijk."""

from __future__ import annotations

import reflex as rx

from samen030_map.components.panel import summary_counts
from samen030_map.components.theme import STATUS_COLOURS, STATUS_ORDER
from samen030_map.labels import STATUS_LABELS
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t, tn

GAP_RANKING_LABELS = {
    "inwoners": "Meeste inwoners",
    "ouderen": "Meeste 65-plussers",
    "kinderen": "Meeste kinderen (0 tot 15 jaar)",
}


def _gap_row(row: rx.Var, index: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.button(
            rx.text(index + 1, ". ", row["name"], weight="medium", size="2"),
            rx.text(row["wijknaam"], " · ", row["value"], size="1", color="var(--gray-11)"),
            on_click=DashboardState.focus_buurt(row["code"].to(str)),
            class_name="search-result gap-link",
            data_code=row["code"],
        )
    )


def ranked_gaps() -> rx.Component:
    return rx.vstack(
        rx.text(t("Buurten zonder buurtorganisatie"), weight="bold", size="2"),
        rx.text(t("Hier wonen mensen, maar is nog geen buurtorganisatie van bewoners. Kies waarop u ze wilt ordenen."), size="1"),
        rx.select.root(
            rx.select.trigger(aria_label=t("Ordenen op"), id="gap-ranking", width="100%"),
            rx.select.content(*[rx.select.item(t(label), value=key) for key, label in GAP_RANKING_LABELS.items()]),
            value=DashboardState.gap_ranking,
            on_change=DashboardState.set_gap_ranking,
            size="2",
        ),
        rx.el.ol(rx.foreach(DashboardState.gaps, _gap_row), class_name="entry-list", id="gap-list"),
        width="100%",
        spacing="2",
    )


def status_chart() -> rx.Component:
    return rx.recharts.bar_chart(
        *[
            rx.recharts.bar(data_key=status, stack_id="status", fill=STATUS_COLOURS[status], name=t(STATUS_LABELS[status]), is_animation_active=False)
            for status in STATUS_ORDER
        ],
        rx.recharts.x_axis(type_="number", allow_decimals=False),
        # Wide enough for "Vleuten-De Meern" at this size, so no two names touch.
        rx.recharts.y_axis(data_key="wijk", type_="category", width=118, interval=0, tick={"fontSize": 11}),
        rx.recharts.legend(),
        rx.recharts.graphing_tooltip(),
        data=DashboardState.chart_rows,
        layout="vertical",
        width="100%",
        height=380,
        margin={"left": 0, "right": 8},
    )


def _wijk_card(card: rx.Var) -> rx.Component:
    return rx.box(
        rx.el.button(card["name"], on_click=DashboardState.select_wijk(card["code"].to(str)), class_name="link-button wijk-link", data_code=card["code"]),
        rx.text(
            card["counts"].to(dict)["open"], " ", t("van"), " ", tn(card["buurten"].to(int), "{n} buurt", "{n} buurten"), " ",
            t("zonder buurtorganisatie"),
            size="1",
        ),
        rx.text(tn(card["organisaties"].to(int), "{n} organisatie", "{n} organisaties"), size="1"),
        class_name="figure",
    )


def _kind_table(title: rx.Var, rows: rx.Var, element_id: str) -> rx.Component:
    return rx.box(
        rx.text(title, size="1", weight="bold"),
        rx.el.ul(
            rx.foreach(rows, lambda row: rx.el.li(rx.text(row["label"], ": ", rx.el.strong(row["count"]), size="1"))),
            class_name="entry-list",
            id=element_id,
        ),
    )


def figures() -> rx.Component:
    city = DashboardState.city
    return rx.vstack(
        rx.text(t("Heel Utrecht"), weight="bold", size="2"),
        summary_counts(city),
        rx.text(
            t("Inwoners in buurten zonder buurtorganisatie"), ": ", rx.el.strong(city["inwoners_open"].to(str), id="city-inwoners-open"),
            " ", t("van"), " ", city["inwoners"].to(str),
            size="2",
        ),
        rx.grid(
            _kind_table(t("Organisaties per soort"), DashboardState.organisation_kind_rows, "organisation-kinds"),
            _kind_table(t("Ontmoetingsplekken per soort"), DashboardState.place_kind_rows, "place-kinds"),
            columns="2",
            spacing="3",
            width="100%",
        ),
        rx.text(t("Situatie per wijk"), weight="bold", size="2"),
        rx.box(status_chart(), width="100%", class_name="chart-box"),
        rx.grid(rx.foreach(DashboardState.wijk_cards, _wijk_card), columns="2", spacing="2", width="100%", id="wijk-cards"),
        width="100%",
        spacing="2",
        id="figures",
    )
