"""The framework's floor plus, layer by layer, what the Kostnader page adds (``bench_ui.py --layers``).

``FORBUNDSBUDGET_LAYER`` picks how much is on the page; each layer keeps everything below it:

1. the floor (one slider, one ``Eget kapital 2026`` metric) inside the app's navigation and sidebar;
2. six KPI tiles with deltas, in two columns, instead of one metric;
3. the page's fragments: the slider in one, the tiles in a keyed fragment its callback reruns;
4. the two Plotly charts beside the tiles (result/equity and the waterfall), from ``core.papers.figures``; here in
   the tiles' fragment (the page gives them a fragment of their own, which measured the same).

The figures are the engine's, on the seed budget, with SE-Höglandet moved by the slider's percent.
"""

from __future__ import annotations

import os
from decimal import Decimal

import streamlit as st

from core import resources
from core.analysis.compare import waterfall_steps
from core.engine.compute import compute
from core.engine.scenario import Scenario, apply_scenario
from core.engine.whatif import set_line_percent
from core.files.budget_file import read_budget_file
from core.model.money import format_kr
from core.papers.figures import result_equity_figure, waterfall_figure

LAYER = int(os.environ.get("FORBUNDSBUDGET_LAYER", "1"))
SEED = resources.seed_path()
LIVE = "live"


@st.cache_resource
def baseline():
    budget = read_budget_file(SEED)
    return budget, compute(budget)


def moved(percent: int):
    base, base_result = baseline()
    if percent == 0:
        return base_result
    scenario = set_line_percent(base, Scenario(name="Lager"), "SE-Höglandet", Decimal(percent), base.plan_years)
    return compute(apply_scenario(base, scenario))


def figures(percent: int) -> None:
    base, base_result = baseline()
    result = moved(percent)
    if LAYER == 1:
        st.metric("Eget kapital 2026", format_kr(result[2026].equity_end))
        return
    left, right = st.columns(2)
    for year in base.plan_years:
        for column, label, now, then in (
            (left, "Resultat", result[year].result, base_result[year].result),
            (right, "Eget kapital", result[year].equity_end, base_result[year].equity_end),
        ):
            column.metric(f"{label} {year}", format_kr(now), format_kr(now - then, signed=True), border=True)
    if LAYER >= 4:
        series = [("Basbudget", base_result), ("Scenario", result)]
        st.plotly_chart(result_equity_figure(series, floor=0), key="chart", config={"displayModeBar": False})
        steps = waterfall_steps(base_result, result) or [("Ingen ändring", 0)]
        end = result[2026].equity_end
        waterfall = waterfall_figure("Basbudget 2026", base_result[2026].equity_end, steps, "Scenario 2026", end)
        st.plotly_chart(waterfall, key="waterfall", config={"displayModeBar": False})


def on_slide() -> None:
    st.session_state.percent = st.session_state.slider
    st.rerun(LIVE)


@st.fragment(key=LIVE)
def live() -> None:
    figures(st.session_state.get("percent", 0))


@st.fragment
def controls() -> None:
    st.slider("Förändring", -100, 100, 0, key="slider", on_change=on_slide)


def page() -> None:
    if LAYER < 3:
        figures(st.slider("Förändring", -100, 100, 0))
        return
    control_column, live_column = st.columns([5, 4], gap="large")
    with control_column:
        controls()
    with live_column:
        live()


def other() -> None:
    st.write("Annan sida")


st.set_page_config(layout="wide")
current = st.navigation(
    {
        "Budget": [
            st.Page(page, title="Kostnader", url_path="kostnader", default=True),
            st.Page(other, title="Översikt", url_path="oversikt"),
            st.Page(other, title="Intäkter", url_path="intakter"),
        ],
        "Scenarier": [st.Page(other, title=t, url_path=t.lower()) for t in ("Spara", "Jamfor", "Analys", "Rapport")],
        "Förvaltning": [st.Page(other, title=t, url_path=t.lower()) for t in ("Basbudget", "Historik")],
    }
)
with st.sidebar:
    st.markdown("**Höglandets samordningsförbund**")
    st.caption("Planår 2024–2026")
    st.toggle("Presentationsläge", key="presentation")
    with st.expander("Redaktör", icon=":material/lock:"):
        st.caption("Redigering av basbudgeten är avstängd.")
current.run()
