"""The growth view: a year slider and a play button that put the coverage of that year on the map,
and a small chart of buurten covered and inhabitants of covered buurten per year (core/growth.py)."""

from __future__ import annotations

import reflex as rx

from samen030_map.palette import STATUS_COLOURS
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t, tn


def growth_chart() -> rx.Component:
    return rx.recharts.composed_chart(
        rx.recharts.bar(data_key="gedekt", y_axis_id="buurten", fill=STATUS_COLOURS["gedekt"], name=t("Buurten gedekt"), is_animation_active=False),
        rx.recharts.line(
            data_key="inwoners_k", y_axis_id="inwoners", stroke="#1a1a1a", stroke_width=2, dot=False, name=t("Inwoners in gedekte buurten (× 1000)"),
            is_animation_active=False,
        ),
        rx.recharts.x_axis(data_key="year", tick={"fontSize": 11}),
        rx.recharts.y_axis(y_axis_id="buurten", allow_decimals=False, width=32, tick={"fontSize": 11}),
        rx.recharts.y_axis(y_axis_id="inwoners", orientation="right", width=36, tick={"fontSize": 11}),
        rx.recharts.legend(),
        rx.recharts.graphing_tooltip(),
        rx.recharts.reference_line(x=DashboardState.growth_year, y_axis_id="buurten", stroke="#D55E00", stroke_width=2),
        data=DashboardState.growth_rows,
        width="100%",
        height=220,
        margin={"left": 0, "right": 0, "top": 8},
    )


def growth_section() -> rx.Component:
    first, last = DashboardState.growth_span[0], DashboardState.growth_span[1]
    shown = rx.cond(DashboardState.growth_year != 0, DashboardState.growth_year, last)
    return rx.vstack(
        rx.text(t("Groei door de jaren"), weight="bold", size="2"),
        rx.text(t("Schuif naar een jaar: de kaart toont dan welke buurten eind dat jaar een buurtorganisatie hadden."), size="1"),
        rx.flex(
            rx.button(
                rx.cond(DashboardState.growth_playing, rx.icon("pause", size=14), rx.icon("play", size=14)),
                rx.cond(DashboardState.growth_playing, t("Pauze"), t("Afspelen")),
                on_click=DashboardState.play_growth,
                size="1",
                id="growth-play",
            ),
            rx.slider(
                value=[shown],
                min=first,
                max=last,
                step=1,
                on_value_commit=DashboardState.set_growth_year,
                aria_label=t("Jaar"),
                id="growth-slider",
                flex="1",
            ),
            rx.text(shown, weight="bold", size="2", id="growth-year"),
            align="center",
            spacing="3",
            width="100%",
        ),
        rx.cond(
            DashboardState.growth_year != 0,
            rx.button(t("Terug naar nu"), on_click=DashboardState.stop_growth, size="1", variant="soft", id="growth-today"),
        ),
        rx.box(growth_chart(), width="100%", class_name="chart-box"),
        rx.text(
            t("Jaar onbekend"), ": ",
            tn(DashboardState.growth_unknown[0], "{n} organisatie", "{n} organisaties"), ", ",
            tn(DashboardState.growth_unknown[1], "{n} ontmoetingsplek", "{n} ontmoetingsplekken"), ". ",
            t("Zij tellen in geen enkel jaar mee; we raden geen jaartal."),
            size="1",
            id="growth-unknown",
        ),
        width="100%",
        spacing="2",
        id="growth",
    )


def growth_banner() -> rx.Component:
    """On the map while it shows a past year: which year, and the way back to today."""
    return rx.cond(
        DashboardState.growth_year != 0,
        rx.box(
            rx.text(DashboardState.growth_year_text, size="2", weight="bold", id="growth-banner-text"),
            rx.text(t("Alleen organisaties en plekken met een bekend startjaar tellen mee."), size="1"),
            rx.button(t("Terug naar nu"), on_click=DashboardState.stop_growth, size="1", variant="soft", class_name="no-print"),
            class_name="map-banner growth-banner",
            id="growth-banner",
        ),
    )
