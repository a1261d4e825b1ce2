"""The buurt panel and the wijk summary: what exists in a buurt, in plain words."""

from __future__ import annotations

import reflex as rx

from samen030_map.components.theme import STATUS_ORDER
from samen030_map.labels import STATUS_EXPLANATIONS, STATUS_LABELS
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t, t_var


STATUS_SWATCH_CLASSES = {status: f"status-swatch status-{status.replace(' ', '-')}" for status in STATUS_ORDER}


def status_badge(status: rx.Var) -> rx.Component:
    """Status as pattern swatch + words, so it never relies on colour alone."""
    return rx.hstack(
        rx.el.span(class_name=rx.Var.create(STATUS_SWATCH_CLASSES)[status].to(str), aria_hidden="true"),
        rx.text(t_var(rx.Var.create(STATUS_LABELS)[status].to(str)), weight="bold", size="2", id="panel-status"),
        align="center",
        spacing="2",
    )


def _figure(label: str, value: rx.Var, element_id: str) -> rx.Component:
    return rx.box(
        rx.text(t(label), size="1", color="var(--gray-11)"),
        rx.text(t_var(value), size="3", weight="bold", id=element_id),
        class_name="figure",
    )


def entry_card(entry: rx.Var) -> rx.Component:
    """An organisation or meeting place: kind, themes, relation, website, source, location precision."""
    return rx.box(
        rx.text(entry["name"], weight="bold", size="2", class_name="entry-name"),
        rx.text(t_var(entry["kind_label"].to(str)), " · ", entry["area"], size="1", color="var(--gray-11)"),
        rx.cond(entry["themes"].to(list).length() > 0, rx.text(rx.foreach(entry["themes"].to(list[str]), lambda theme: rx.el.span(t_var(theme), class_name="theme-tag")), size="1")),
        rx.cond(entry["address"].to(str) != "", rx.text(entry["address"], size="1")),
        rx.text(t_var(entry["precision_label"].to(str)), size="1", font_style="italic"),
        rx.text(t_var(entry["relation_label"].to(str)), size="1"),
        rx.hstack(
            rx.cond(entry["website"].to(str) != "", rx.link(t("Website"), href=entry["website"].to(str), is_external=True, size="1")),
            rx.foreach(entry["sources"].to(list[str]), lambda url, i: rx.link(t("Bron"), " ", i + 1, href=url, is_external=True, size="1")),
            spacing="2",
            wrap="wrap",
        ),
        class_name="entry-card",
    )


def panel_heading(heading: rx.Component) -> rx.Component:
    """A panel title with a button that closes the selection."""
    return rx.hstack(
        heading,
        rx.icon_button(rx.icon("x", size=14), on_click=DashboardState.clear_selection, variant="ghost", size="1", aria_label=t("Sluiten")),
        justify="between",
        width="100%",
    )


def buurt_panel() -> rx.Component:
    buurt = DashboardState.buurt
    return rx.box(
        panel_heading(rx.heading(buurt["name"].to(str), size="4", id="panel-buurt-name")),
        rx.link(
            t("Wijk"), " ", buurt["wijknaam"].to(str),
            on_click=DashboardState.select_wijk(buurt["wijkcode"].to(str)),
            size="2",
            href="#",
            id="panel-buurt-wijk",
        ),
        status_badge(buurt["status"].to(str)),
        rx.text(t_var(rx.Var.create(STATUS_EXPLANATIONS)[buurt["status"].to(str)].to(str)), size="2", id="panel-explanation"),
        rx.grid(
            _figure("Inwoners", buurt["inwoners"].to(str), "fig-inwoners"),
            _figure("0 tot 15 jaar", buurt["pct_0_15"].to(str), "fig-0-15"),
            _figure("65 jaar en ouder", buurt["pct_65_plus"].to(str), "fig-65"),
            _figure("Alleenwonenden (huishoudens)", buurt["pct_eenpersoons"].to(str), "fig-eenpersoons"),
            columns="2",
            spacing="2",
            width="100%",
        ),
        rx.text(t("Organisaties die hier actief zijn"), weight="bold", size="2"),
        rx.cond(
            buurt["organisations"].to(list).length() > 0,
            rx.vstack(rx.foreach(buurt["organisations"].to(list[dict]), entry_card), spacing="2", width="100%"),
            rx.text(t("Geen bekende organisatie."), size="2"),
        ),
        rx.text(t("Ontmoetingsplekken"), weight="bold", size="2"),
        rx.cond(
            buurt["meeting_places"].to(list).length() > 0,
            rx.vstack(rx.foreach(buurt["meeting_places"].to(list[dict]), entry_card), spacing="2", width="100%"),
            rx.text(t("Geen bekende ontmoetingsplek in deze buurt."), size="2"),
        ),
        rx.cond(
            buurt["nearest_name"].to(str) != "",
            rx.text(
                t("Dichtstbijzijnde ontmoetingsplek"), ": ", buurt["nearest_name"].to(str), " (", t_var(buurt["nearest_distance"].to(str)), ")",
                rx.cond(buurt["nearest_approximate"].to(bool), rx.fragment(" — ", t("locatie bij benadering"))),
                size="2",
                id="panel-nearest",
            ),
        ),
        id="buurt-panel",
        class_name="panel-section",
    )


def summary_counts(summary: rx.Var) -> rx.Component:
    return rx.grid(
        *[
            rx.box(
                rx.text(t(STATUS_LABELS[status]), size="1", color="var(--gray-11)"),
                rx.text(summary["counts"].to(dict)[status], size="4", weight="bold"),
                class_name=f"figure status-figure status-{status.replace(' ', '-')}",
            )
            for status in STATUS_ORDER
        ],
        columns="2",
        spacing="2",
        width="100%",
    )


def wijk_panel() -> rx.Component:
    wijk = DashboardState.wijk
    return rx.box(
        panel_heading(rx.heading(t("Wijk"), " ", wijk["name"].to(str), size="4", id="panel-wijk-name")),
        rx.text(wijk["buurten"], " ", t("buurten"), " · ", wijk["inwoners"].to(str), " ", t("inwoners"), size="2"),
        summary_counts(wijk),
        rx.text(
            t("Inwoners in buurten zonder buurtorganisatie"), ": ", rx.el.strong(wijk["inwoners_open"].to(str), id="wijk-inwoners-open"),
            size="2",
        ),
        id="wijk-panel",
        class_name="panel-section",
    )


def selection_panel() -> rx.Component:
    return rx.cond(
        DashboardState.selected_buurt != "",
        buurt_panel(),
        rx.cond(
            DashboardState.selected_wijk != "",
            wijk_panel(),
            rx.cond(
                DashboardState.selected_entry != "",
                rx.box(panel_heading(rx.heading(t("Gevonden"), size="4")), entry_card(DashboardState.entry), id="entry-panel", class_name="panel-section"),
                rx.text(t("Klik op een buurt op de kaart, of zoek een buurt, postcode of organisatie."), size="2", color="var(--gray-11)"),
            ),
        ),
    )
