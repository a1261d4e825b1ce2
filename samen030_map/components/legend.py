"""The legend: one row per coverage status with its pattern, label and live count; a click hides or shows it."""

from __future__ import annotations

import reflex as rx

from samen030_map.components.theme import PATTERN_IDS, STATUS_LABELS, STATUS_ORDER
from samen030_map.state.dashboard import DashboardState
from samen030_map.state.i18n import t


def swatch(status: str) -> rx.Component:
    return rx.html(
        f'<svg width="22" height="16" aria-hidden="true"><rect width="22" height="16" rx="2" '
        f'fill="url(#{PATTERN_IDS[status]})" stroke="#4d4d4d" stroke-width="1"/></svg>',
        display="flex",
    )


def legend_row(status: str) -> rx.Component:
    hidden = DashboardState.hidden_statuses.contains(status)
    return rx.el.button(
        rx.hstack(
            swatch(status),
            rx.text(t(STATUS_LABELS[status]), size="2", flex="1", text_align="left"),
            rx.text(DashboardState.status_counts[status], size="2", weight="bold", class_name="legend-count"),
            align="center",
            spacing="2",
            width="100%",
        ),
        on_click=DashboardState.toggle_status(status),
        aria_pressed=~hidden,
        data_status=status,
        class_name="legend-row",
        opacity=rx.cond(hidden, "0.45", "1"),
        text_decoration=rx.cond(hidden, "line-through", "none"),
        width="100%",
        padding="4px 6px",
        border_radius="6px",
        cursor="pointer",
        background="transparent",
        border="none",
        _hover={"background": "var(--gray-3)"},
    )


def legend() -> rx.Component:
    return rx.box(
        rx.text(t("Buurten"), weight="bold", size="2", margin_bottom="4px"),
        *[legend_row(status) for status in STATUS_ORDER],
        rx.text(t("Klik om te tonen of te verbergen"), size="1", color="var(--gray-11)", margin_top="4px"),
        id="legend",
        role="group",
        aria_label="Legenda",
    )
