"""Rapport: the board papers for a chosen scenario, as PDF, Excel workbook and import-layout CSV."""

import datetime as dt

import streamlit as st

from core import resources
from core.engine.scenario import Scenario, load_scenario_file
from core.model.errors import BudgetError
from core.papers.board import build_pdf
from core.papers.paper import BASELINE_LABEL, ReportInput, file_names
from core.papers.pdf import keep_together
from core.papers.prose import describe_scenario, summary_sentences
from core.papers.workbook import build_csv, build_workbook
from ui import components, state
from ui.navigation import require_navigation

require_navigation()

BASELINE = Scenario(name=BASELINE_LABEL)
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


def report_choices(current: Scenario) -> tuple[list[tuple[str, Scenario]], list[str]]:
    """What can be exported, as (label, scenario), the scenario in progress first; and files that could not be read.

    Add further sources here (saved scenarios in the database): the rest of the page only sees the list.
    """
    if current.is_empty and current.name == state.DEFAULT_SCENARIO_NAME:
        choices: list[tuple[str, Scenario]] = [("Pågående scenario: inga ändringar (basbudgeten)", BASELINE)]
    else:
        choices = [(f"Pågående scenario: {current.name}", current)]
    problems: list[str] = []
    for path in resources.scenario_paths():
        try:
            scenario = load_scenario_file(path)
        except BudgetError as exc:
            problems.append(str(exc))
            continue
        choices.append((f"{scenario.name} (exempelfil {path.name})", scenario))
    labels: dict[str, int] = {}
    unique = []
    for text, scenario in choices:  # a selectbox needs distinct labels
        labels[text] = labels.get(text, 0) + 1
        unique.append((text if labels[text] == 1 else f"{text} ({labels[text]})", scenario))
    return unique, problems


def _markdown_text(text: str) -> str:
    """Plain text safe inside Markdown (names may contain *, _, [ or #), amounts kept on one line."""
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|~$" else c for c in keep_together(text))


# Get state
base, _ = state.baseline()
current = state.scenario()
choices, unreadable = report_choices(current)

# Show: what to export
components.scenario_status(current)
st.title("Rapport")
st.caption(
    "Underlag till styrelsen: förslaget som PDF, hela budgeten som Excel-arbetsbok och budgeten i importformat (CSV)."
)
labels = [label for label, _ in choices]
with st.container(horizontal=True, vertical_alignment="bottom"):
    chosen_label = st.selectbox("Scenario", labels, key="rapport_val", width=420)
    report_date = st.date_input("Datum i rapporten", value="today", format="YYYY-MM-DD", key="rapport_datum")
    author = st.text_input("Upprättad av", key="rapport_upprattad", placeholder="t.ex. förbundschef", max_chars=120)
for problem in unreadable:
    st.warning(problem, title="En scenariofil kunde inte läsas", icon=":material/warning:")
scenario = dict(choices).get(chosen_label, current)

# Compute
report = ReportInput(baseline=base, scenario=scenario, date=report_date or dt.date.today(), author=author.strip())
try:
    budget = report.scenario_budget  # applies the scenario: a file may not fit the stored baseline
except BudgetError as exc:
    st.error(str(exc), title="Scenariot passar inte basbudgeten", icon=":material/error:")
    st.stop()
names = file_names(report)
files = {"pdf": build_pdf(report), "xlsx": build_workbook(report), "csv": build_csv(report)}

# Show: the files, then a preview of what they say
with st.container(horizontal=True):
    st.download_button(
        "Förslag till styrelsen (PDF)",
        files["pdf"],
        file_name=names.pdf,
        mime=MIME["pdf"],
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        type="primary",
        key="rapport_pdf",
    )
    st.download_button(
        "Budget och jämförelse (Excel)",
        files["xlsx"],
        file_name=names.xlsx,
        mime=MIME["xlsx"],
        on_click="ignore",
        icon=":material/table_view:",
        key="rapport_xlsx",
    )
    st.download_button(
        "Budget i importformat (CSV)",
        files["csv"],
        file_name=names.csv,
        mime=MIME["csv"],
        on_click="ignore",
        icon=":material/download:",
        key="rapport_csv",
    )

st.subheader(f"Förhandsvisning: {report.scenario_name}")
if report.scenario.description:
    st.caption(report.scenario.description)
components.kpi_tiles(budget, report.base_result, report.result, active=report.has_changes, large=False)
summary_column, changes_column = st.columns(2)
with summary_column:
    st.markdown("**Sammanfattning**")
    st.markdown("\n".join(f"- {_markdown_text(s)}" for s in summary_sentences(report)))
with changes_column:
    st.markdown("**Ändringar mot basbudgeten**")
    words = describe_scenario(budget, report.scenario)
    if words:
        st.markdown("\n".join(f"{i}. {_markdown_text(w)}" for i, w in enumerate(words, start=1)))
    else:
        st.markdown("Scenariot innehåller inga ändringar; rapporten visar basbudgeten.")
