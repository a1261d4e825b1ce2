"""Per-user state of the dashboard: which statuses are shown and which buurt is selected.

Only codes and small lists live here; the geometry is compiled into the page once, and the analysis is
module-level in `samen030_map.picture`.
"""

from __future__ import annotations

import reflex as rx

from samen030_map.components.theme import STATUS_LABELS, STATUS_ORDER
from samen030_map.picture import current_picture, plain
from samen030_map.state.i18n import I18nState


def _status_by_code() -> dict[str, str]:
    buurten = current_picture().coverage.buurten
    return {code: str(status) for code, status in buurten["status"].items()}


class DashboardState(I18nState):
    status_by_code: dict[str, str] = {}
    hidden_statuses: list[str] = []
    selected_buurt: str = ""

    @rx.event
    def load(self):
        """On page load: the statuses from the shared analysis (cheap: a dict of 111 codes)."""
        self.status_by_code = _status_by_code()

    @rx.event
    def select_buurt(self, code: str):
        if code in self.status_by_code:
            self.selected_buurt = code

    @rx.event
    def toggle_status(self, status: str):
        if status in self.hidden_statuses:
            self.hidden_statuses = [s for s in self.hidden_statuses if s != status]
        elif status in STATUS_ORDER:
            self.hidden_statuses = [*self.hidden_statuses, status]

    @rx.var
    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for status in self.status_by_code.values():
            counts[status] = counts.get(status, 0) + 1
        return counts

    @rx.var
    def selected_name(self) -> str:
        if not self.selected_buurt:
            return ""
        return str(plain(current_picture().coverage.buurten.loc[self.selected_buurt, "buurtnaam"]))

    @rx.var
    def selected_status(self) -> str:
        return self.status_by_code.get(self.selected_buurt, "")

    @rx.var
    def selected_status_label(self) -> str:
        return STATUS_LABELS.get(self.selected_status, "")
