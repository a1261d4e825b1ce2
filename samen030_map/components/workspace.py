"""The workspace's parts: login, the table, the form with its map and what-if, history, accounts."""

from __future__ import annotations

import json

import reflex as rx
from reflex_components_core.el.element import Element

from samen030_map.components import leaflet as lf
from samen030_map.components.map_view import pattern_definitions
from samen030_map.components.theme import PATTERN_IDS
from samen030_map.core.schema import FIELDS, KINDS, FieldSpec
from samen030_map.db.accounts import ROLE_LABELS
from samen030_map.labels import KIND_LABELS, ENTRY_STATUS_LABELS, PILLAR_LABELS, PRECISION_LABELS, RELATION_LABELS, STATUS_LABELS
from samen030_map.picture import geography
from samen030_map.server.auth import WORKSPACE
from samen030_map.state.i18n import t, t_var
from samen030_map.state.workspace import WorkspaceState as W

# Words for the values of choice fields (the stored value is the code).
CHOICE_LABELS = {
    "status": ENTRY_STATUS_LABELS,
    "location_precision": PRECISION_LABELS,
    "samen030_relation": RELATION_LABELS,
    "area_level": {"stad": "Heel Utrecht", "wijk": "Wijken", "buurt": "Buurten"},
    "pillars": PILLAR_LABELS,
}
FORM_GROUPS = (
    ("Wat is het?", ("name", "id", "kind", "status", "description", "themes", "pillars", "themes_derived", "samen030_relation")),
    ("Waar?", ("area_level", "area_codes", "address", "postcode", "lat", "lon", "location_precision")),
    ("Sinds wanneer?", ("founded", "founded_event", "founded_is_start", "founded_derived", "founded_source")),
    ("Bronnen", ("website", "source_url", "source_read_on", "checked_on", "note")),
    ("Alleen voor coördinatoren", ("contact", "notes")),
)
FIELD = {spec.name: spec for spec in FIELDS}


class PostForm(Element):
    """A plain HTML form that the browser posts itself (Reflex's own form always stops the post)."""

    tag = "form"

    action: rx.Var[str]
    method: rx.Var[str]


def message_bar() -> rx.Component:
    return rx.cond(
        W.message != "",
        rx.callout(W.message, icon=rx.cond(W.message_ok, "circle-check", "triangle-alert"), color_scheme=rx.cond(W.message_ok, "green", "red"), size="1", id="workspace-message", role="status"),
    )


def login_form() -> rx.Component:
    """A plain HTML form posted to server/auth.py, so the session token never passes through a script."""
    return rx.box(
        rx.heading(t("Inloggen voor coördinatoren"), size="5"),
        rx.text(t("Met een account van SAMEN030 houdt u de kaart bij. Een account krijgt u van een beheerder."), size="2"),
        rx.cond(W.login_message != "", rx.callout(W.login_message, icon="info", size="1", id="login-message")),
        PostForm.create(
            rx.el.label(t("Naam"), html_for="login-naam"),
            rx.el.input(name="naam", id="login-naam", auto_complete="username", required=True, class_name="plain-input"),
            rx.el.label(t("Wachtwoord"), html_for="login-wachtwoord"),
            rx.el.input(name="wachtwoord", id="login-wachtwoord", type="password", auto_complete="current-password", required=True, class_name="plain-input"),
            rx.el.button(t("Inloggen"), type="submit", class_name="plain-button", id="login-submit"),
            action=f"{WORKSPACE}/inloggen",
            method="post",
            class_name="login-form",
        ),
        class_name="login-box",
    )


def logout_button() -> rx.Component:
    return PostForm.create(
        rx.el.button(t("Uitloggen"), type="submit", class_name="plain-button secondary", id="logout"),
        action=f"{WORKSPACE}/uitloggen",
        method="post",
    )


def _table_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.el.button(row["name"], on_click=W.open_item(row["key"].to(str)), class_name="link-button item-link", data_key=row["key"])),
        rx.table.cell(row["entity"], " · ", t_var(row["kind"].to(str))),
        rx.table.cell(t_var(rx.Var.create(ENTRY_STATUS_LABELS)[row["status"].to(str)].to(str))),
        rx.table.cell(rx.cond(row["check"].to(str) != "", rx.badge(t_var(row["check"].to(str)), color_scheme="orange"), "")),
        rx.table.cell(row["updated"], class_name="muted"),
        class_name=rx.cond(row["key"] == W.editing_key, "list-row is-selected", "list-row"),
    )


def item_table() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.input(placeholder=t("Zoek in de lijst"), value=W.table_query, on_change=W.set_table_query, id="table-search", width="220px"),
            rx.segmented_control.root(
                rx.segmented_control.item(t("Alles"), value="alles"),
                rx.segmented_control.item(t("Te controleren"), " (", W.check_count, ")", value="te_controleren"),
                rx.segmented_control.item(t("Archief"), value="gearchiveerd"),
                value=W.table_view,
                on_change=W.set_table_view,
                size="1",
                id="table-view",
            ),
            rx.button(t("Nieuwe organisatie"), on_click=W.new_item("organisation"), size="1", id="new-organisation"),
            rx.button(t("Nieuwe ontmoetingsplek"), on_click=W.new_item("meeting_place"), size="1", variant="soft", id="new-meeting-place"),
            wrap="wrap",
            spacing="2",
        ),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(*[rx.table.column_header_cell(t(text)) for text in ("Naam", "Soort", "Status", "Te controleren", "Laatst gewijzigd")])
                ),
                rx.table.body(rx.foreach(W.visible_rows, _table_row)),
                size="1",
                id="item-table",
            ),
            class_name="table-scroll workspace-table",
        ),
        width="100%",
        spacing="2",
    )


# ---- the form ---------------------------------------------------------------------------------


def _error(name: str) -> rx.Component:
    return rx.cond(W.field_errors.contains(name), rx.text(W.field_errors[name], size="1", color="var(--red-11)", class_name="field-error", data_field=name))


def _options(spec: FieldSpec, entity: str) -> list[tuple[str, str]]:
    if spec.name == "kind":
        return [(kind, KIND_LABELS[kind]) for kind in KINDS[entity]]
    labels = CHOICE_LABELS.get(spec.name, {})
    return [(value, labels.get(value, value)) for value in spec.choices]


def _select(spec: FieldSpec, entity: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id=f"field-{spec.name}-{entity}", width="100%"),
        rx.select.content(*[rx.select.item(t(label), value=value) for value, label in _options(spec, entity)]),
        value=W.form[spec.name],
        on_change=lambda value: W.set_field(spec.name, value),
        size="1",
    )


def _input(spec: FieldSpec) -> rx.Component:
    name = spec.name
    if spec.kind == "choice":
        if name == "kind":
            return rx.cond(W.editing_entity == "organisation", _select(spec, "organisation"), _select(spec, "meeting_place"))
        return _select(spec, "organisation")
    if spec.kind == "choices":
        labels = CHOICE_LABELS.get(name, {})
        return rx.flex(
            *[
                rx.el.label(
                    rx.checkbox(checked=W.form[name].to(str).split(";").contains(value), on_change=lambda _checked, value=value: W.toggle_choice(name, value), data_value=value),
                    rx.text(t(labels.get(value, value)), size="1"),
                    class_name="choice",
                )
                for value in spec.choices
            ],
            wrap="wrap",
            spacing="2",
            id=f"field-{name}",
        )
    if spec.kind == "bool":
        return rx.switch(checked=W.form[name] == "ja", on_change=lambda on: W.set_field(name, rx.cond(on, "ja", "nee")), id=f"field-{name}")
    if spec.kind == "longtext":
        return rx.text_area(value=W.form[name], on_change=lambda value: W.set_field(name, value), id=f"field-{name}", rows="3", max_length=spec.max_length, width="100%")
    kind = "date" if spec.kind == "date" else "text"
    return rx.input(
        value=W.form[name],
        on_change=lambda value: W.set_field(name, value),
        id=f"field-{name}",
        type=kind,
        max_length=spec.max_length,
        read_only=(name == "id") & ~W.editing_is_new,
        width="100%",
    )


def _field(name: str) -> rx.Component:
    spec = FIELD[name]
    return rx.box(
        rx.text(t(spec.label), size="1", weight="medium", as_="label", html_for=f"field-{name}"),
        _input(spec),
        rx.cond(spec.help != "", rx.text(t(spec.help), size="1", color="var(--gray-11)")) if spec.help else rx.fragment(),
        _error(name),
        class_name=rx.cond(W.field_errors.contains(name), "form-field has-error", "form-field"),
    )


def form_map() -> rx.Component:
    """Click buurten (or, with level 'wijken', their wijk) to add or remove them, or click the place."""
    geo = geography()
    style = lf.js(
        f"""((feature) => {{
  const code = feature.properties.code;
  const chosen = ({W.form_area_codes}).includes(code);
  const status = ({W.preview_status})[code];
  return {{
    color: chosen ? '#000000' : '#6b6b6b',
    weight: chosen ? 3 : 0.6,
    fillColor: status ? `url(#${{({json.dumps(PATTERN_IDS)})[status]}})` : (chosen ? '#0d7d74' : '#ffffff'),
    fillOpacity: status ? 0.75 : (chosen ? 0.5 : 0.15),
  }};
}})""",
        W.form_area_codes,
        W.preview_status,
    )
    click = lf.event_chain(W.map_click, lf.feature_click_with_point_args)
    point = rx.cond(
        (W.form["lat"] != "") & (W.form["lon"] != ""),
        lf.circle_marker(center=[W.form["lat"].to(float), W.form["lon"].to(float)], radius=8, path_options={"color": "#000", "fillColor": "#D55E00", "fillOpacity": 0.9}),
    )
    return rx.box(
        rx.segmented_control.root(
            rx.segmented_control.item(t("Werkgebied kiezen"), value="werkgebied"),
            rx.segmented_control.item(t("Plek kiezen"), value="plek"),
            value=W.map_mode,
            on_change=W.set_map_mode,
            size="1",
            id="map-mode",
        ),
        rx.button(t("Heel Utrecht"), on_click=W.set_whole_city, size="1", variant="soft", id="whole-city", margin_left="8px"),
        rx.text(
            rx.cond(W.map_mode == "werkgebied", t("Klik op buurten om ze toe te voegen of weg te halen. Kies bij 'Werkgebied' eerst 'Wijken' om hele wijken te kiezen."), t("Klik op de plek op de kaart. Een punt buiten Utrecht kan niet.")),
            size="1",
        ),
        lf.map_container(
            lf.geo_json(
                data=geo.buurten_geojson,
                path_style=style,
                on_each_feature=lf.js("((feature, layer) => window.buurtkaart.buurtFeature(feature, layer))"),
                event_handlers=lf.js(f"({{click: {click}}})", click),
            ),
            point,
            bounds=geo.city_bounds,
            zoom_snap=0.25,
            scroll_wheel_zoom=True,
            when_ready=lf.js("((event) => { window.werkruimteMap = event.target; })"),
            style={"height": "360px", "width": "100%"},
            id="form-map",
        ),
        class_name="form-map",
    )


def what_if_box() -> rx.Component:
    p = W.preview
    return rx.cond(
        p.contains("open_before"),
        rx.box(
            rx.text(t("Als u opslaat"), weight="bold", size="2"),
            rx.text(t("Buurten zonder buurtorganisatie"), ": ", rx.el.strong(p["open_before"].to(str), " → ", p["open_after"].to(str), id="whatif-open"), size="2"),
            rx.text(t("Buurten met een buurtorganisatie"), ": ", rx.el.strong(p["gedekt_before"].to(str), " → ", p["gedekt_after"].to(str), id="whatif-gedekt"), size="2"),
            rx.text(t("Inwoners in buurten zonder buurtorganisatie"), ": ", rx.el.strong(p["inwoners_open_before"].to(str), " → ", p["inwoners_open_after"].to(str), id="whatif-inwoners"), size="2"),
            rx.el.ul(
                rx.foreach(
                    p["changed"].to(list[dict]),
                    lambda row: rx.el.li(row["name"], ": ", t_var(rx.Var.create(STATUS_LABELS)[row["before"].to(str)].to(str)), " → ", t_var(rx.Var.create(STATUS_LABELS)[row["after"].to(str)].to(str))),
                ),
                class_name="whatif-changes",
            ),
            rx.text(t("Nog niets opgeslagen. De kaart hiernaast laat de nieuwe situatie zien."), size="1", color="var(--gray-11)"),
            class_name="whatif-box",
            id="whatif",
        ),
    )


def conflict_box() -> rx.Component:
    return rx.cond(
        W.conflict_rows.length() > 0,
        rx.box(
            rx.text(t("Iemand anders heeft dit item intussen opgeslagen. Vergelijk:"), weight="bold", size="2"),
            rx.table.root(
                rx.table.header(rx.table.row(rx.table.column_header_cell(t("Veld")), rx.table.column_header_cell(t("Uw versie")), rx.table.column_header_cell(t("Opgeslagen versie")))),
                rx.table.body(rx.foreach(W.conflict_rows, lambda row: rx.table.row(rx.table.cell(row["field"]), rx.table.cell(row["mine"]), rx.table.cell(row["theirs"])))),
                size="1",
            ),
            rx.hstack(
                rx.button(t("Neem de opgeslagen versie"), on_click=W.take_theirs, size="1", variant="soft", id="take-theirs"),
                rx.button(t("Sla mijn versie toch op"), on_click=W.save_anyway, size="1", color_scheme="red", id="save-anyway"),
            ),
            class_name="conflict-box",
            id="conflict",
        ),
    )


def history_list() -> rx.Component:
    def version(row: rx.Var) -> rx.Component:
        return rx.el.li(
            rx.text(t("Versie"), " ", row["version"], " · ", t_var(row["action"].to(str)), " · ", row["who"], " · ", row["when"], size="1", weight="medium"),
            rx.el.ul(rx.foreach(row["changes"].to(list[dict]), lambda c: rx.el.li(rx.text(t_var(c["field"].to(str)), ": ", rx.el.s(c["old"]), " → ", c["new"], size="1")))),
            rx.button(t("Zet deze versie terug"), on_click=W.restore_version(row["version"].to(int)), size="1", variant="ghost", class_name="restore-version", data_version=row["version"]),
            class_name="history-item",
        )

    return rx.box(
        rx.text(t("Geschiedenis"), weight="bold", size="2"),
        rx.el.ol(rx.foreach(W.history_rows, version), class_name="history-list", id="history"),
    )


def item_form() -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.heading(rx.cond(W.editing_is_new, t("Nieuw item"), W.form["name"].to(str)), size="4", id="form-title"),
            rx.cond(W.editing_archived, rx.badge(t("Gearchiveerd"), color_scheme="gray")),
            rx.icon_button(rx.icon("x", size=14), on_click=W.close_item, variant="ghost", size="1", aria_label=t("Sluiten")),
            justify="between",
            width="100%",
        ),
        conflict_box(),
        rx.grid(
            rx.box(
                *[
                    rx.el.fieldset(rx.el.legend(t(title)), *[_field(name) for name in names], class_name="form-group")
                    for title, names in FORM_GROUPS
                ],
            ),
            rx.box(form_map(), what_if_box(), rx.button(t("Zoek de postcode op"), on_click=W.find_postcode, size="1", variant="soft", id="find-postcode")),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        submission_box(),
        rx.hstack(
            rx.cond(
                (W.editing_submission != 0) & W.editing_is_new,
                rx.button(t("Goedkeuren: op de kaart zetten"), on_click=W.approve_submission, id="approve"),
                rx.button(t("Opslaan"), on_click=W.save, id="save"),
            ),
            rx.cond(
                ~W.editing_is_new,
                rx.fragment(
                    rx.button(t("Gecontroleerd: klopt nog"), on_click=W.mark_checked, variant="soft", id="mark-checked"),
                    rx.cond(
                        W.editing_archived,
                        rx.button(t("Uit het archief halen"), on_click=W.set_archived(False), variant="soft", id="unarchive"),
                        rx.button(t("Archiveren"), on_click=W.set_archived(True), variant="soft", color_scheme="gray", id="archive"),
                    ),
                ),
            ),
            spacing="2",
            wrap="wrap",
        ),
        rx.cond(~W.editing_is_new, history_list()),
        class_name="item-form",
        id="item-form",
    )


# ---- the review queue -------------------------------------------------------------------------------


def submission_box() -> rx.Component:
    """What the resident sent, possible duplicates, and the decisions other than approving."""
    info = W.submission_info
    return rx.cond(
        W.editing_submission != 0,
        rx.box(
            rx.cond(
                info["kind"].to(str) == "correctie",
                rx.box(
                    rx.text(t("Correctie van een bewoner"), " · ", info["when"], weight="bold", size="2"),
                    rx.text(info["message"], size="2", id="submission-message", white_space="pre-wrap"),
                ),
                rx.box(
                    rx.text(t("Aanmelding van een bewoner"), " · ", info["when"], " · ", t_var(info["wish"].to(str)), weight="bold", size="2"),
                    rx.text(t("Controleer en verbeter de velden hieronder; de kaart laat zien wat goedkeuren verandert."), size="1"),
                ),
            ),
            rx.cond(info["contact"].to(str) != "", rx.text(t("Contact (alleen voor coördinatoren)"), ": ", info["contact"], size="1", id="submission-contact")),
            rx.cond(
                info["duplicates"].to(list).length() > 0,
                rx.box(
                    rx.text(t("Misschien bestaat dit al:"), weight="bold", size="2"),
                    rx.foreach(
                        info["duplicates"].to(list[dict]),
                        lambda d: rx.hstack(
                            rx.text(d["name"], " (", t_var(d["why"].to(str)), ")", size="2"),
                            rx.button(t("Samenvoegen"), on_click=W.merge_submission(d["key"].to(str)), size="1", variant="soft", class_name="merge-button"),
                            align="center",
                        ),
                    ),
                    id="submission-duplicates",
                ),
            ),
            rx.hstack(
                rx.input(value=W.reject_reason, on_change=W.set_reject_reason, placeholder=t("Reden (bij afwijzen verplicht)"), size="1", id="reject-reason", width="320px"),
                rx.cond(
                    info["kind"].to(str) == "correctie",
                    rx.button(t("Afgehandeld"), on_click=W.resolve_correction, size="1", variant="soft", id="resolve-correction"),
                    rx.button(t("Afwijzen"), on_click=W.reject_submission, size="1", color_scheme="red", variant="soft", id="reject"),
                ),
                wrap="wrap",
                spacing="2",
            ),
            class_name="submission-box",
            id="submission-box",
        ),
    )


def queue_panel() -> rx.Component:
    def row(item: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(rx.el.button(item["name"], on_click=W.open_submission(item["id"].to(int)), class_name="link-button queue-link", data_id=item["id"])),
            rx.table.cell(t_var(item["kind"].to(str))),
            rx.table.cell(item["area"]),
            rx.table.cell(item["when"], class_name="muted"),
        )

    def decided(item: rx.Var) -> rx.Component:
        return rx.el.li(rx.text(item["name"], " — ", t_var(item["status"].to(str)), " · ", item["decided_by"], rx.cond(item["reason"].to(str) != "", rx.fragment(" · ", item["reason"])), size="1"))

    return rx.vstack(
        rx.cond(
            W.queue.length() > 0,
            rx.box(
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(h)) for h in ("Naam", "Soort", "Waar", "Binnengekomen")])),
                    rx.table.body(rx.foreach(W.queue, row)),
                    size="1",
                    id="queue",
                ),
                class_name="table-scroll workspace-table",
            ),
            rx.text(t("Er wacht niets. Nieuwe aanmeldingen en correcties van bewoners komen hier."), size="2", id="queue-empty"),
        ),
        rx.text(t("Laatst afgehandeld"), weight="bold", size="2"),
        rx.el.ul(rx.foreach(W.decided_rows, decided), class_name="entry-list", id="queue-decided"),
        width="100%",
    )


# ---- a bulk import ------------------------------------------------------------------------------------


def import_panel() -> rx.Component:
    report = W.import_report
    problem_row = lambda p: rx.table.row(rx.table.cell(p["row"]), rx.table.cell(p["column"]), rx.table.cell(p["value"]), rx.table.cell(p["reason"]))  # noqa: E731
    return rx.vstack(
        rx.text(t("Een lijst van organisaties of plekken in één keer toevoegen of bijwerken: CSV (komma's of puntkomma's) of GeoJSON. U ziet eerst wat er zou veranderen; er wordt pas iets opgeslagen als u daarvoor kiest."), size="2"),
        rx.hstack(
            rx.segmented_control.root(
                rx.segmented_control.item(t("Organisaties"), value="organisation"),
                rx.segmented_control.item(t("Ontmoetingsplekken"), value="meeting_place"),
                value=W.import_entity,
                on_change=W.set_import_entity,
                size="1",
                id="import-entity",
            ),
            rx.input(value=W.import_column_map, on_change=W.set_import_column_map, placeholder=t("Andere kolomnamen? Bijv. Naam=name; Soort=kind"), size="1", width="340px", id="import-column-map"),
            wrap="wrap",
        ),
        rx.upload(
            rx.text(t("Sleep een bestand hierheen, of klik om er een te kiezen (hoogstens 5 MB)."), size="2"),
            id="import-upload",
            accept={"text/csv": [".csv", ".txt"], "application/geo+json": [".geojson", ".json"]},
            max_files=1,
            max_size=5_000_000,
            class_name="upload-box",
        ),
        rx.text(rx.foreach(rx.selected_files("import-upload"), lambda name: rx.el.span(name)), size="1", id="import-selected"),
        rx.button(t("Controleer het bestand"), on_click=W.check_import(rx.upload_files(upload_id="import-upload")), id="import-check"),
        rx.cond(report.contains("file_problem"), rx.callout(report["file_problem"], icon="triangle-alert", color_scheme="red", size="1", id="import-file-problem")),
        rx.cond(
            report.contains("rows"),
            rx.box(
                rx.text(report["file"], ": ", report["rows"], " ", t("rijen"), " · ", report["good"], " ", t("goed"), " · ", report["problem_count"], " ", t("problemen"), weight="bold", size="2", id="import-counts"),
                rx.text(t("Nieuw"), ": ", report["new"].to(list).length(), " · ", t("Gewijzigd"), ": ", report["changed"].to(list).length(), " · ", t("Ongewijzigd"), ": ", report["unchanged"], size="2"),
                rx.cond(
                    report["problem_count"].to(int) > 0,
                    rx.box(
                        rx.table.root(
                            rx.table.header(rx.table.row(*[rx.table.column_header_cell(t(h)) for h in ("Rij", "Kolom", "Waarde", "Probleem")])),
                            rx.table.body(rx.foreach(report["problems"].to(list[dict]), problem_row)),
                            size="1",
                            id="import-problems",
                        ),
                        class_name="table-scroll",
                    ),
                ),
                rx.cond(report["new"].to(list).length() > 0, rx.text(t("Nieuw"), ": ", report["new"].to(list[str]).join(", "), size="1", id="import-new")),
                rx.cond(
                    report["changed"].to(list).length() > 0,
                    rx.el.ul(rx.foreach(report["changed"].to(list[dict]), lambda c: rx.el.li(rx.text(c["name"], ": ", c["fields"], size="1"))), id="import-changed"),
                ),
                rx.cond(
                    report["duplicates"].to(list).length() > 0,
                    rx.el.ul(rx.foreach(report["duplicates"].to(list[dict]), lambda d: rx.el.li(rx.text(d["name"], " ~ ", d["other"], " (", t_var(d["why"].to(str)), ")", size="1"))), id="import-duplicates"),
                ),
                rx.cond(
                    report.contains("done"),
                    rx.hstack(
                        rx.text(t("Klaar"), ": ", report["done"], size="2", id="import-done"),
                        rx.cond(W.import_batch != "", rx.button(t("Maak deze import ongedaan"), on_click=W.undo_import, size="1", variant="soft", id="import-undo")),
                    ),
                    rx.hstack(
                        rx.button(t("Importeer alleen de goede rijen"), " (", report["writes"], ")", on_click=W.apply_import_rows, id="import-apply", disabled=report["writes"].to(int) == 0),
                        rx.button(t("Niets importeren"), on_click=W.cancel_import, variant="soft", id="import-cancel"),
                    ),
                ),
                class_name="import-report",
                id="import-report",
            ),
        ),
        rx.cond(
            (W.import_batch != "") & ~report.contains("done"),
            rx.button(t("Maak de laatste import ongedaan"), on_click=W.undo_import, size="1", variant="soft"),
        ),
        width="100%",
        spacing="3",
    )


# ---- accounts -----------------------------------------------------------------------------------


def accounts_panel() -> rx.Component:
    def user_row(user: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(user["name"]),
            rx.table.cell(t_var(rx.Var.create(ROLE_LABELS)[user["role"].to(str)].to(str))),
            rx.table.cell(rx.cond(user["wijken"].to(list).length() > 0, user["wijken"].to(list[str]).join(", "), t("heel Utrecht"))),
            rx.table.cell(
                rx.cond(
                    user["active"].to(bool),
                    rx.button(t("Uitzetten"), on_click=W.set_account_active(user["id"].to(int), False), size="1", variant="ghost"),
                    rx.button(t("Aanzetten"), on_click=W.set_account_active(user["id"].to(int), True), size="1", variant="ghost"),
                )
            ),
        )

    return rx.cond(
        W.user_role == "beheerder",
        rx.box(
            rx.heading(t("Accounts"), size="3"),
            rx.table.root(rx.table.body(rx.foreach(W.users, user_row)), size="1", id="accounts"),
            rx.form(
                rx.hstack(
                    rx.input(name="naam", placeholder=t("Naam"), size="1", id="account-name"),
                    rx.input(name="wachtwoord", type="password", placeholder=t("Eerste wachtwoord (minstens 10 tekens)"), size="1", id="account-password"),
                    rx.el.select(*[rx.el.option(t(label), value=role) for role, label in ROLE_LABELS.items()], name="rol", id="account-role"),
                    rx.input(name="wijken", placeholder=t("Wijkcodes, bijv. WK034402 (leeg: heel Utrecht)"), size="1", id="account-wijken"),
                    rx.button(t("Account maken"), type="submit", size="1", id="account-add"),
                    wrap="wrap",
                    spacing="2",
                ),
                on_submit=W.add_account,
                reset_on_submit=True,
            ),
            class_name="accounts-panel",
        ),
    )


def workspace_body() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(t("Ingelogd als"), " ", rx.el.strong(W.user_name, id="user-name"), " (", t_var(rx.Var.create(ROLE_LABELS)[W.user_role].to(str)), ")", size="2"),
            logout_button(),
            align="center",
            spacing="3",
        ),
        message_bar(),
        rx.segmented_control.root(
            rx.segmented_control.item(t("Alle items"), value="items"),
            rx.segmented_control.item(t("Aanmeldingen"), " (", W.queue_count, ")", value="aanmeldingen"),
            rx.segmented_control.item(t("Importeren"), value="import"),
            value=W.tab,
            on_change=W.set_tab,
            id="workspace-tab",
        ),
        rx.box(
            rx.box(
                rx.match(W.tab, ("aanmeldingen", queue_panel()), ("import", import_panel()), item_table()),
                class_name="workspace-list",
            ),
            rx.box(
                rx.cond(W.editing_entity != "", item_form(), rx.text(t("Kies links een item om het te bekijken of te wijzigen, of maak een nieuw item."), size="2", color="var(--gray-11)")),
                class_name="workspace-detail",
            ),
            class_name="workspace-grid",
        ),
        accounts_panel(),
        pattern_definitions(),
        width="100%",
        spacing="4",
    )
