"""/meld-aan: residents tell SAMEN030 about an initiative (works on a phone; Dutch B1, English too)."""

from __future__ import annotations

import reflex as rx

from samen030_map.components import leaflet as lf
from samen030_map.components.map_view import MapScript
from samen030_map.core.schema import KINDS, THEMES
from samen030_map.labels import KIND_LABELS, WISH_LABELS
from samen030_map.picture import geography
from samen030_map.state.i18n import t
from samen030_map.state.submit import SubmitState as S


def _error(name: str) -> rx.Component:
    return rx.cond(S.errors.contains(name), rx.text(S.errors[name], size="1", color="var(--red-11)", class_name="field-error", data_field=name))


def _text_field(name: str, label: str, help_text: str = "", area: bool = False, **props) -> rx.Component:
    value = S.fields[name].to(str)
    control = (
        rx.text_area(value=value, on_change=lambda v: S.set_field(name, v), id=f"meld-{name}", rows="3", width="100%", **props)
        if area
        else rx.input(value=value, on_change=lambda v: S.set_field(name, v), id=f"meld-{name}", width="100%", **props)
    )
    return rx.box(
        rx.el.label(t(label), html_for=f"meld-{name}", class_name="form-label"),
        control,
        rx.text(t(help_text), size="1", color="var(--gray-11)") if help_text else rx.fragment(),
        _error(name),
        class_name="form-field",
    )


def _kind_select(entity: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder=t("Kies een soort"), id=f"meld-kind-{entity}", width="100%"),
        rx.select.content(*[rx.select.item(t(KIND_LABELS[kind]), value=kind) for kind in KINDS[entity]]),
        value=S.fields["kind"].to(str),
        on_change=lambda value: S.set_field("kind", value),
    )


def _map() -> rx.Component:
    geo = geography()
    style = lf.js(
        f"((feature) => {{ const chosen = ({S.area_codes}).includes(feature.properties.code); "
        "return {color: chosen ? '#000' : '#777', weight: chosen ? 3 : 0.6, fillColor: chosen ? '#0d7d74' : '#fff', fillOpacity: chosen ? 0.55 : 0.2}; })",
        S.area_codes,
    )
    click = lf.event_chain(S.toggle_buurt, lf.feature_click_args)
    return lf.map_container(
        lf.geo_json(
            data=geo.buurten_geojson,
            path_style=style,
            on_each_feature=lf.js("((feature, layer) => window.buurtkaart.buurtFeature(feature, layer))"),
            event_handlers=lf.js(f"({{click: {click}}})", click),
        ),
        bounds=geo.city_bounds,
        zoom_snap=0.25,
        when_ready=lf.js("((event) => { window.meldMap = event.target; })"),
        style={"height": "320px", "width": "100%"},
        id="meld-map",
    )


def the_form() -> rx.Component:
    return rx.vstack(
        rx.heading(t("Meld je initiatief aan"), size="6"),
        rx.text(
            t("Is er in uw buurt een initiatief van bewoners, een buurthuis of een andere plek om elkaar te ontmoeten die nog niet op de kaart staat? Vertel het ons. Een coördinator van SAMEN030 kijkt ernaar; daarna komt het op de kaart."),
            size="2",
        ),
        rx.box(
            rx.el.label(t("Wat is het?"), class_name="form-label"),
            rx.radio_group.root(
                rx.radio_group.item(t("Een organisatie of groep"), value="organisation"),
                rx.radio_group.item(t("Een plek om elkaar te ontmoeten"), value="meeting_place"),
                value=S.entity,
                on_change=S.set_entity,
                direction="column",
                id="meld-entity",
            ),
            class_name="form-field",
        ),
        _text_field("name", "Naam", "Zoals het initiatief zichzelf noemt."),
        rx.box(
            rx.el.label(t("Soort"), class_name="form-label"),
            rx.cond(S.entity == "organisation", _kind_select("organisation"), _kind_select("meeting_place")),
            _error("kind"),
            class_name="form-field",
        ),
        _text_field("description", "Wat doet het initiatief?", "Een paar zinnen. Dit komt op de kaart.", area=True, max_length=600),
        rx.box(
            rx.el.label(t("Thema's (als ze passen)"), class_name="form-label"),
            rx.flex(
                *[
                    rx.el.label(rx.checkbox(checked=S.themes.contains(theme), on_change=lambda _c, theme=theme: S.toggle_theme(theme)), rx.text(t(theme), size="2"), class_name="choice")
                    for theme in THEMES
                ],
                wrap="wrap",
                spacing="3",
            ),
            class_name="form-field",
        ),
        rx.box(
            rx.el.label(t("Waar is het actief?"), class_name="form-label"),
            rx.text(t("Klik op de kaart op de buurt of buurten. U kunt ook namen van buurten of postcodes typen."), size="1"),
            _map(),
            rx.hstack(
                rx.input(value=S.area_text, on_change=S.set_area_text, placeholder=t("Bijvoorbeeld: Ondiep, 3552"), id="meld-area-text", width="100%"),
                rx.button(t("Toevoegen"), on_click=S.add_typed_areas, id="meld-area-add", type="button"),
                width="100%",
            ),
            rx.el.label(rx.checkbox(checked=S.whole_city, on_change=S.set_whole_city, id="meld-whole-city"), rx.text(t("In heel Utrecht"), size="2"), class_name="choice"),
            rx.cond(
                S.chosen_buurten.length() > 0,
                rx.text(t("Gekozen"), ": ", rx.foreach(S.chosen_buurten, lambda b: rx.el.span(b["name"], class_name="theme-tag")), size="2", id="meld-chosen"),
            ),
            _error("area_codes"),
            class_name="form-field",
        ),
        _text_field("address", "Adres (als het een vaste plek heeft)"),
        _text_field("postcode", "Postcode"),
        _text_field("website", "Website", "Begint met https://"),
        _text_field("founded", "Sinds wanneer? (jaar)", "Bijvoorbeeld 2019. Laat leeg als u het niet weet."),
        rx.box(
            rx.el.label(t("Wat wil het initiatief?"), class_name="form-label"),
            rx.radio_group.root(
                *[rx.radio_group.item(t(label), value=value) for value, label in WISH_LABELS.items()],
                value=S.wish,
                on_change=S.set_wish,
                direction="column",
                id="meld-wish",
            ),
            _error("wish"),
            class_name="form-field",
        ),
        rx.box(
            rx.el.label(t("Hoe kan een coördinator u bereiken? (niet verplicht)"), html_for="meld-contact", class_name="form-label"),
            rx.text_area(value=S.contact, on_change=S.set_contact, id="meld-contact", rows="2", width="100%", max_length=500),
            rx.text(t("Dit ziet alleen SAMEN030. Het komt nooit op de kaart."), size="1", color="var(--gray-11)"),
            _error("contact"),
            class_name="form-field",
        ),
        # People never see this field; a program that fills in every field does, and is ignored.
        rx.box(
            rx.el.label(t("Laat dit veld leeg"), html_for="meld-extra"),
            rx.el.input(id="meld-extra", name="extra", value=S.honeypot, on_change=S.set_honeypot, tab_index=-1, auto_complete="off"),
            class_name="honeypot",
            aria_hidden="true",
        ),
        rx.box(
            rx.el.label(
                rx.checkbox(checked=S.consent, on_change=S.set_consent, id="meld-consent"),
                rx.text(t("Ik ga akkoord: de naam, de soort, de beschrijving, de thema's, waar het actief is, het adres, de website en het jaar komen na controle op de openbare kaart. Mijn contactgegevens niet."), size="2"),
                class_name="choice consent",
            ),
            _error("consent"),
            class_name="form-field",
        ),
        rx.cond(S.message != "", rx.callout(S.message, icon="triangle-alert", color_scheme="red", size="1", id="meld-message")),
        rx.button(t("Versturen"), on_click=S.send, size="3", id="meld-send"),
        spacing="4",
        width="100%",
        max_width="720px",
    )


def confirmation() -> rx.Component:
    return rx.vstack(
        rx.heading(t("Bedankt, uw aanmelding is binnen"), size="6", id="meld-thanks"),
        rx.text(t("Wat gebeurt er nu? Een coördinator van SAMEN030 kijkt naar uw aanmelding. Klopt het, dan komt het initiatief op de kaart. Dat kan een paar weken duren. Tot die tijd ziet niemand anders uw aanmelding."), size="3"),
        rx.text(t("Heeft u gevraagd om lid te worden of de steunverklaring te tekenen, of heeft u uw contactgegevens gegeven? Dan neemt SAMEN030 contact met u op."), size="3"),
        rx.hstack(
            rx.link(t("Terug naar de kaart"), href="/", size="3"),
            rx.button(t("Nog iets aanmelden"), on_click=S.another, variant="soft"),
            spacing="4",
        ),
        spacing="4",
        max_width="720px",
    )


def submit_page() -> rx.Component:
    return rx.box(
        MapScript.create(),
        rx.flex(
            rx.link(rx.heading("SAMEN030 Buurtkaart", size="5"), href="/", underline="none", color="inherit"),
            justify="between",
            align="center",
            padding="8px 12px",
            border_bottom="1px solid var(--gray-5)",
        ),
        rx.box(rx.cond(S.sent, confirmation(), the_form()), padding="12px", class_name="submit-body"),
        lang=S.lang,
        class_name="submit-page",
    )
