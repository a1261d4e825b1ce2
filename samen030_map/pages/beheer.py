"""The workspace at /beheer: coordinators log in and keep the map true."""

from __future__ import annotations

import reflex as rx

from samen030_map.components.map_view import MapScript
from samen030_map.components.workspace import login_form, workspace_body
from samen030_map.state.i18n import I18nState, t
from samen030_map.state.workspace import WorkspaceState


def header() -> rx.Component:
    return rx.flex(
        rx.box(
            rx.heading(t("Werkruimte"), " — SAMEN030 Buurtkaart", size="5"),
            rx.link(t("Naar de kaart"), href="/", size="1"),
        ),
        rx.segmented_control.root(
            rx.segmented_control.item("NL", value="nl"),
            rx.segmented_control.item("EN", value="en"),
            value=I18nState.lang,
            on_change=I18nState.set_lang,
            size="1",
            aria_label="Taal / Language",
        ),
        justify="between",
        align="center",
        padding="8px 12px",
        border_bottom="1px solid var(--gray-5)",
        wrap="wrap",
        spacing="3",
    )


def beheer() -> rx.Component:
    return rx.box(
        MapScript.create(),
        header(),
        # Only once the page has checked the login (on_load): a reloaded tab never flashes what it held before.
        rx.box(
            rx.cond(
                rx.State.is_hydrated,
                rx.cond(WorkspaceState.user_name != "", workspace_body(), login_form()),
                rx.text(t("Even geduld…"), size="2", color="var(--gray-11)"),
            ),
            padding="12px",
            class_name="workspace-body",
        ),
        lang=I18nState.lang,
        class_name="workspace",
    )
