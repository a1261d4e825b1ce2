"""The selection panel: a buurt, a wijk, or one organisation or meeting place, in plain words."""

from __future__ import annotations

import reflex as rx

from samen030_map.components.theme import STATUS_ORDER
from samen030_map.labels import STATUS_EXPLANATIONS, STATUS_LABELS
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t, t_var, tn

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
        rx.text(value, size="3", weight="bold", id=element_id),
        class_name="figure",
    )


def entry_link(entry: rx.Var) -> rx.Component:
    """An organisation or place in a list: its name opens its own card."""
    return rx.el.li(
        rx.el.button(
            rx.text(entry["name"], weight="medium", size="2", class_name="entry-name"),
            rx.text(entry["kind_label"], " · ", entry["area"], size="1", color="var(--gray-11)"),
            on_click=DashboardState.open_entry(entry["key"].to(str)),
            class_name="entry-link",
            data_key=entry["key"],
        ),
        class_name="entry-list-item",
    )


def entry_links(entries: rx.Var, element_id: str, empty: str) -> rx.Component:
    return rx.cond(
        entries.to(list).length() > 0,
        rx.el.ul(rx.foreach(entries.to(list[dict]), entry_link), class_name="entry-list", id=element_id),
        rx.text(t(empty), size="2"),
    )


def _fact(label: str, value: rx.Component | rx.Var, condition: rx.Var) -> rx.Component:
    """A labelled line of the card, shown only when there is something to say."""
    return rx.cond(condition, rx.box(rx.text(t(label), size="1", color="var(--gray-11)"), rx.text(value, size="2"), class_name="fact"))


def entry_card() -> rx.Component:
    """Everything known about one organisation or place, and where it comes from; its werkgebied is
    outlined on the map."""
    entry = DashboardState.entry
    sources = entry["sources"].to(list[dict])
    return rx.box(
        panel_heading(rx.heading(entry["name"].to(str), size="4", class_name="entry-name", id="entry-name")),
        rx.text(entry["entity_label"], " · ", entry["kind_label"], size="2", color="var(--gray-11)", id="entry-kind"),
        rx.cond(entry["status"].to(str) != "actief", rx.badge(entry["status_label"], color_scheme="orange", id="entry-status")),
        rx.cond(entry["description"].to(str) != "", rx.text(entry["description"], size="2", id="entry-description")),
        rx.text(entry["area_heading"], ": ", entry["area"], size="2", id="entry-area"),
        _fact(
            "Thema's",
            rx.fragment(entry["themes"].to(list[str]).join(", "), rx.cond(entry["themes_derived"].to(bool), rx.fragment(" ", t("(afgeleid uit de soort, niet uit een bron)")))),
            entry["themes"].to(list).length() > 0,
        ),
        _fact("Waar het om gaat", entry["pillars"].to(list[str]).join("; "), entry["pillars"].to(list).length() > 0),
        _fact("Adres", entry["address"], entry["address"].to(str) != ""),
        _fact("Begonnen", entry["founded"], entry["founded"].to(str) != ""),
        _fact("SAMEN030", entry["relation_label"], entry["relation_label"].to(str) != ""),
        _fact("Toelichting", entry["note"], entry["note"].to(str) != ""),
        rx.cond(
            entry["website"].to(str) != "",
            rx.link(t("Website"), ": ", entry["website_text"], href=entry["website"].to(str), is_external=True, size="2", id="entry-website"),
        ),
        rx.box(
            rx.text(t("Waar komt dit vandaan?"), size="2", weight="bold"),
            rx.cond(
                entry["no_source"].to(bool),
                rx.text(t("Nog geen bron bekend."), size="2", id="entry-no-source"),
                rx.el.ul(
                    rx.foreach(sources, lambda source: rx.el.li(rx.link(source["text"], href=source["url"].to(str), is_external=True, size="2"))),
                    rx.cond(entry["source_text"].to(str) != "", rx.el.li(rx.text(entry["source_text"], size="2"))),
                    class_name="source-list",
                    aria_label=t("Bronnen"),
                ),
            ),
            rx.text(
                rx.cond(
                    entry["checked"].to(str) != "",
                    rx.fragment(t("Gecontroleerd door een coördinator op"), " ", entry["checked"]),
                    t("Nog niet gecontroleerd door een coördinator."),
                ),
                size="1",
                id="entry-checked",
            ),
            rx.cond(entry["source_read"].to(str) != "", rx.text(t("Overgenomen uit de bron op"), " ", entry["source_read"], size="1")),
            rx.cond(entry["changed"].to(str) != "", rx.text(t("Laatst gewijzigd op"), " ", entry["changed"], size="1", id="entry-changed")),
            rx.text(t("Plek op de kaart"), ": ", entry["precision_label"], size="1"),
            class_name="provenance",
            id="entry-provenance",
        ),
        correction_form(),
        id="entry-panel",
        class_name="panel-section",
    )


def correction_form() -> rx.Component:
    """"Klopt er iets niet?": a short message to the coordinators (it lands in their queue)."""
    s = DashboardState
    return rx.cond(
        s.correction_sent,
        rx.text(t("Bedankt. Een coördinator kijkt ernaar."), size="2", id="correction-thanks"),
        rx.cond(
            s.correction_open,
            rx.box(
                rx.el.label(t("Wat klopt er niet?"), html_for="correction-text", class_name="form-label"),
                rx.text_area(value=s.correction_text, on_change=s.set_correction_text, id="correction-text", rows="3", max_length=2000),
                rx.el.label(t("Hoe kunnen we u bereiken? (niet verplicht, wordt nooit gepubliceerd)"), html_for="correction-contact", class_name="form-label"),
                rx.input(value=s.correction_contact, on_change=s.set_correction_contact, id="correction-contact", max_length=500),
                rx.cond(s.correction_error != "", rx.text(s.correction_error, size="1", color="var(--red-11)", id="correction-error")),
                rx.button(t("Versturen"), on_click=s.send_correction, size="1", id="correction-send"),
                class_name="correction-box no-print",
            ),
            rx.el.button(t("Klopt er iets niet?"), on_click=s.open_correction, class_name="link-button no-print", id="correction-open"),
        ),
    )


def panel_heading(heading: rx.Component) -> rx.Component:
    """A panel title with a button that closes the selection."""
    return rx.hstack(
        heading,
        rx.icon_button(rx.icon("x", size=14), on_click=DashboardState.clear_selection, variant="ghost", size="1", aria_label=t("Sluiten"), class_name="no-print"),
        justify="between",
        width="100%",
    )


def buurt_panel() -> rx.Component:
    buurt = DashboardState.buurt
    return rx.box(
        panel_heading(rx.heading(buurt["name"].to(str), size="4", id="panel-buurt-name")),
        rx.el.button(
            t("Wijk"), " ", buurt["wijknaam"].to(str),
            on_click=DashboardState.select_wijk(buurt["wijkcode"].to(str)),
            class_name="link-button",
            id="panel-buurt-wijk",
        ),
        status_badge(buurt["status"].to(str)),
        rx.text(t_var(rx.Var.create(STATUS_EXPLANATIONS)[buurt["status"].to(str)].to(str)), size="2", id="panel-explanation"),
        rx.cond(
            buurt["status"].to(str) == "open",
            rx.link(t("Is hier wel iets? Meld het aan"), href="/meld-aan?buurt=" + buurt["code"].to(str), size="2", id="panel-meld-aan", class_name="no-print"),
        ),
        rx.grid(
            _figure("Inwoners", buurt["inwoners"], "fig-inwoners"),
            _figure("0 tot 15 jaar", buurt["pct_0_15"], "fig-0-15"),
            _figure("65 jaar en ouder", buurt["pct_65_plus"], "fig-65"),
            _figure("Alleenwonenden (huishoudens)", buurt["pct_eenpersoons"], "fig-eenpersoons"),
            columns="2",
            spacing="2",
            width="100%",
        ),
        rx.text(t("Organisaties die hier actief zijn"), weight="bold", size="2"),
        entry_links(buurt["organisations"], "buurt-organisations", "Geen bekende organisatie."),
        rx.text(t("Ontmoetingsplekken"), weight="bold", size="2"),
        entry_links(buurt["meeting_places"], "buurt-places", "Geen bekende ontmoetingsplek in deze buurt."),
        rx.cond(
            buurt["nearest_name"].to(str) != "",
            rx.text(
                t("Dichtstbijzijnde ontmoetingsplek"), ": ",
                rx.el.button(buurt["nearest_name"].to(str), on_click=DashboardState.open_entry(buurt["nearest_key"].to(str)), class_name="link-button"),
                " (", buurt["nearest_distance"].to(str), ")",
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
        rx.text(tn(wijk["buurten"].to(int), "{n} buurt", "{n} buurten"), " · ", wijk["inwoners"].to(str), " ", t("inwoners"), size="2"),
        summary_counts(wijk),
        rx.text(
            t("Inwoners in buurten zonder buurtorganisatie"), ": ", rx.el.strong(wijk["inwoners_open"].to(str), id="wijk-inwoners-open"),
            size="2",
        ),
        rx.text(t("Organisaties in deze wijk"), weight="bold", size="2"),
        entry_links(wijk["organisation_rows"], "wijk-organisations", "Geen bekende organisatie."),
        rx.text(t("Ontmoetingsplekken in deze wijk"), weight="bold", size="2"),
        entry_links(wijk["meeting_place_rows"], "wijk-places", "Geen bekende ontmoetingsplek in deze wijk."),
        id="wijk-panel",
        class_name="panel-section",
    )


def selection_panel() -> rx.Component:
    return rx.cond(
        DashboardState.selected_entry != "",
        entry_card(),
        rx.cond(
            DashboardState.selected_buurt != "",
            buurt_panel(),
            rx.cond(
                DashboardState.selected_wijk != "",
                wijk_panel(),
                rx.text(t("Klik op een buurt op de kaart, of zoek een buurt, postcode of organisatie."), size="2", color="var(--gray-11)", id="panel-hint"),
            ),
        ),
    )
