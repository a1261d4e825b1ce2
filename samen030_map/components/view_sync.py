"""Keeps the browser in step with the state: the address bar holds the view, the map goes where asked.

One mechanism instead of a script per event handler: whenever ``DashboardState.permalink`` changes, the
address bar is replaced (no reload, no history entry per click); whenever ``map_target_seq`` grows, the
map flies to ``map_target``; ``<html lang>`` follows the page's language. The address is only written once the page's on_load has read it
(``is_hydrated``), so a shared link is never overwritten by the state of an earlier visit.
"""

from __future__ import annotations

import reflex as rx
from reflex.utils.imports import ImportVar
from reflex.vars.base import Var, VarData

from samen030_map.state.dashboard import DashboardState


def _hook(code: str, *depends_on: Var) -> Var:
    var_data = VarData.merge(
        VarData(imports={"react": [ImportVar(tag="useEffect")]}),
        *[var._get_all_var_data() for var in depends_on],
    )
    return Var(_js_expr=code, _var_data=var_data)


class ViewSync(rx.Fragment):
    def add_hooks(self) -> list[str | Var]:
        link, hydrated = DashboardState.permalink, rx.State.is_hydrated
        target, seq = DashboardState.map_target, DashboardState.map_target_seq
        lang = DashboardState.lang
        return [
            _hook(
                f"useEffect(() => {{ const link = {link}; "
                f"if ({hydrated} && window.location.pathname + window.location.search !== link) "
                f"window.history.replaceState(window.history.state, '', link); }}, [{link}, {hydrated}]);",
                link,
                hydrated,
            ),
            _hook(
                f"useEffect(() => {{ if ({seq} > 0) window.buurtkaart.flyTo({target}); }}, [{seq}]);",
                seq,
                target,
            ),
            # The page's own language on <html> too (screen readers, the browser's translate offer).
            _hook(f"useEffect(() => {{ document.documentElement.lang = {lang}; }}, [{lang}]);", lang),
        ]


view_sync = ViewSync.create
