"""The board paper "Förslag till styrelsen" as a PDF: what the scenario changes, the budget table, the chart,
decisions on equity and the rule checks. Pure builders, no Streamlit: each takes a :class:`ReportInput` and
returns the file's bytes, with figures from the engine, the checks and the comparison, so the paper shows
exactly what the dashboard shows. The Excel workbook and CSV are in ``workbook``."""

from __future__ import annotations

import datetime as dt

from core.analysis.compare import POST_LABELS
from core.analysis.tables import budget_table
from core.model.money import format_kr, format_number
from core.papers.figures import (
    ResultEquitySeries,
    result_equity_series,
)
from core.papers.paper import ACCENT, BASELINE_LABEL, LEVEL_COLOURS, LEVEL_WORDS, MUTED, ReportInput, compared_rows
from core.papers.pdf import (
    CHART_MAX_HEIGHT,
    CHART_MIN_HEIGHT,
    FONT,
    Column,
    Paper,
    column_width,
    draw_chart,
    draw_table,
    keep_together,
    signed_number,
)
from core.papers.prose import checks_sentence, describe_scenario, summary_sentences
from core.rules.checks import LEVEL_ORDER, RULE_TITLES, equity_ceiling

_DIFFERENCE_TITLE = "Förändring mot basbudget"


def _budget_table_pdf(pdf: Paper, report: ReportInput) -> None:
    """Scenario figures for every year; with changes, the difference against the baseline per plan year.

    Number columns are as wide as their widest figure; the labels get the rest and wrap when long. A
    smaller font is used only when the labels would get less than a third of the width.
    """
    columns_text, rows = compared_rows(report)
    years = report.baseline.year_numbers
    plan = report.plan_years
    with_difference = report.has_changes
    body: list[tuple[str, list[str]]] = []
    for row in rows:
        texts = ["" if v is None else format_number(v) for v in row.scenario]
        if with_difference:
            for year in plan:
                delta = row.difference[years.index(year)]
                shown = delta is not None and (delta != 0 or row.kind in ("summa", "resultat"))
                texts.append(signed_number(delta) if shown else "")  # type: ignore[arg-type]
        body.append((row.kind, [row.label, *texts]))
    headers = [tuple(c.split(" ", 1)) for c in columns_text]
    if with_difference:
        headers += [(report.baseline.year_kind(y).capitalize(), str(y)) for y in plan]
    for size in (8.5, 8.0, 7.5, 7.0):
        widths = []
        pdf.set_font(FONT, "B", size)
        difference_minimum = (pdf.get_string_width(_DIFFERENCE_TITLE) + 4) / max(len(plan), 1)
        for i, header in enumerate(headers, start=1):
            texts = [(cells[i], kind != "rad") for kind, cells in body] + [(h, True) for h in header]
            minimum = difference_minimum if i > len(years) else 0
            widths.append(column_width(pdf, size, texts, minimum=minimum))
        label_width = pdf.content_width - sum(widths)
        if label_width >= pdf.content_width / 3:
            break
    columns = [Column(("", "Post"), label_width, "L")]
    columns += [Column(header, width) for header, width in zip(headers, widths, strict=True)]  # type: ignore[arg-type]
    groups: list[tuple[str, int, int]] = []
    if with_difference:
        groups = [
            (f"Scenario: {report.scenario_name}", 1, len(years)),
            (_DIFFERENCE_TITLE, len(years) + 1, len(years) + len(plan)),
        ]
    draw_table(pdf, columns, body, size=size, groups=groups)


def _changes_pdf(pdf: Paper, report: ReportInput) -> None:
    words = describe_scenario(report.scenario_budget, report.scenario, equity_uses=False)
    pdf.heading("Ändringar mot basbudgeten", needed=40)
    if not words and not report.deltas:
        if report.scenario.use_equity:
            pdf.paragraph("Scenariot ändrar inga belopp, bara beslut om att använda eget kapital (se nedan).")
        else:
            pdf.paragraph("Scenariot innehåller inga ändringar; siffrorna är basbudgetens.")
        return
    pdf.bullets(words, numbered=True, size=9)
    if not report.deltas:
        return
    pdf.ln(2)
    plan = report.plan_years
    last = report.baseline.year_numbers[-1]
    size = 8
    rows: list[tuple[str, list[str]]] = []
    for delta in report.deltas:
        cells = [delta.name, POST_LABELS[delta.post]]
        cells += [signed_number(delta.deltas.get(y, 0)) if delta.deltas.get(y, 0) else "" for y in plan]
        rows.append(("rad", [*cells, signed_number(delta.effect_on_equity)]))
    result_cells = [signed_number(report.result[y].result - report.base_result[y].result) for y in plan]
    equity_change = report.result[last].equity_end - report.base_result[last].equity_end
    rows.append(("summa", ["Förändring av resultat och eget kapital", "", *result_cells, signed_number(equity_change)]))
    headers = [(report.baseline.year_kind(y).capitalize(), str(y)) for y in plan]
    headers.append(("Effekt på eget", f"kapital {last}"))
    widths = [
        column_width(
            pdf, size, [(cells[i], kind != "rad") for kind, cells in rows] + [(h, True) for h in header], minimum=19
        )
        for i, header in enumerate(headers, start=2)
    ]
    post_width = column_width(pdf, size, [(w, False) for w in POST_LABELS.values()] + [("Post", True)])
    columns = [
        Column(("", "Rad"), pdf.content_width - post_width - sum(widths), "L"),
        Column(("", "Post"), post_width, "L"),
    ]
    columns += [Column(header, width) for header, width in zip(headers, widths, strict=True)]  # type: ignore[arg-type]
    pdf.ensure_space((len(rows) + 3) * (size * 0.52 + 1.1))
    draw_table(pdf, columns, rows, size=size)


def _equity_uses_pdf(pdf: Paper, report: ReportInput) -> None:
    """The decisions to use equity the budget relies on: the baseline's, and the ones the scenario proposes."""
    plan = set(report.plan_years)
    decided = [u for u in report.baseline.equity_uses if u.year in plan]
    proposed = list(report.scenario.use_equity)
    if not decided and not proposed:
        return
    items = [f"{u.year}: {format_kr(u.amount)}, beslutat i basbudgeten. {u.decision}".strip() for u in decided]
    items += [f"{u.year}: {format_kr(u.amount)}, föreslås i scenariot. {u.decision}".strip() for u in proposed]
    pdf.heading("Beslut om att använda eget kapital", needed=12 + pdf.bullets_height(items, size=9))
    pdf.bullets(items, size=9)


def _checks_pdf(pdf: Paper, report: ReportInput) -> None:
    """A matrix (rule × year) of levels, then the message of every check that is not OK."""
    checks = report.checks
    years = report.baseline.year_numbers
    rules = [r for r in RULE_TITLES if any(c.rule == r for c in checks)]
    rules += sorted({c.rule for c in checks} - set(rules))
    size = 8
    pdf.heading("Kontroller", needed=(len(rules) + 5) * 5.5)
    pdf.paragraph(checks_sentence(checks), size=9)
    pdf.ln(1.5)
    level_of = {(c.rule, c.year): c.level for c in checks}
    pdf.set_font(FONT, "B", size)
    year_width = 21.0
    columns = [Column(("", "Kontroll"), pdf.content_width - year_width * len(years), "L")]
    columns += [Column((report.baseline.year_kind(y).capitalize(), str(y)), year_width, "C") for y in years]
    rows = []
    for rule in rules:
        cells = [RULE_TITLES.get(rule, rule)]
        cells += [LEVEL_WORDS[level_of[(rule, y)]] if (rule, y) in level_of else "(gäller ej)" for y in years]
        rows.append(("rad", cells))
    draw_table(pdf, columns, rows, size=size)
    problems = sorted((c for c in checks if c.level != "ok"), key=lambda c: (-LEVEL_ORDER[c.level], c.year))
    if problems:
        pdf.ln(2)
        pdf.set_font(FONT, "", 8.5)
        for check in problems:
            pdf.ensure_space(10)
            pdf.set_font(FONT, "B", 8.5)
            pdf.set_text_color(LEVEL_COLOURS[check.level])
            pdf.cell(17, 4.4, LEVEL_WORDS[check.level])
            pdf.set_text_color(0)
            pdf.set_font(FONT, "", 8.5)
            text = keep_together(f"{check.title}. {check.message}")
            pdf.multi_cell(0, 4.4, text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.8)


def chart_series(report: ReportInput) -> ResultEquitySeries:
    """The chart's data as the dashboard draws it: baseline and scenario, the ceiling from the scenario."""
    budget = report.scenario_budget
    main_label = report.scenario_name if report.has_changes else BASELINE_LABEL
    series = [(BASELINE_LABEL, report.base_result)] if report.has_changes else []
    series.append((main_label, report.result))
    ceilings = {y: equity_ceiling(budget, figures) for y, figures in report.result.years.items()}
    return result_equity_series(series, floor=budget.settings.equity_floor, ceilings=ceilings)


def build_pdf(report: ReportInput) -> bytes:
    """The PDF "Förslag till styrelsen": summary, chart, budget table, changes and checks on 1–3 A4 pages."""
    budget = report.baseline
    pdf = Paper(footer_text=f"{budget.name} · {report.title}: {report.scenario_name} · {report.date.isoformat()}")
    pdf.set_title(f"{report.title}: {report.scenario_name}")
    pdf.set_subject(f"{budget.name}, budget {budget.plan_years[0]}–{budget.plan_years[-1]}")
    pdf.set_author(report.author or budget.name)
    pdf.set_creator("Förbundsbudget")
    pdf.set_lang("sv-SE")
    pdf.set_creation_date(dt.datetime.combine(report.date, dt.time(12), tzinfo=dt.UTC))
    pdf.add_page()

    pdf.set_font(FONT, "B", 9)
    pdf.set_text_color(MUTED)
    pdf.cell(0, 5, budget.name.upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 20)
    pdf.set_text_color(ACCENT)
    pdf.multi_cell(0, 9, report.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 13)
    pdf.set_text_color(0)
    pdf.multi_cell(0, 6.5, report.scenario_name, align="L", new_x="LMARGIN", new_y="NEXT")
    plan = budget.plan_years
    meta = [
        f"Datum {report.date.isoformat()}",
        f"Budget {plan[0]}–{plan[-1]}" if len(plan) > 1 else f"Budget {plan[0]}",
    ]
    if report.author:
        meta.append(f"Upprättad av {report.author}")
    pdf.paragraph(" · ".join(meta), size=8.5, colour=MUTED)
    pdf.set_draw_color(ACCENT)
    pdf.set_line_width(0.5)
    pdf.line(pdf.l_margin, pdf.get_y() + 1.5, pdf.w - pdf.r_margin, pdf.get_y() + 1.5)
    pdf.ln(4.5)
    if report.scenario.description:
        pdf.paragraph(report.scenario.description)
        pdf.ln(2)

    pdf.heading("Sammanfattning", needed=25)
    pdf.bullets(summary_sentences(report))
    pdf.ln(2)

    pdf.heading("Resultat och eget kapital", needed=CHART_MIN_HEIGHT + 10)
    chart_height = min(max(pdf.space_left - 4, CHART_MIN_HEIGHT), CHART_MAX_HEIGHT)
    draw_chart(pdf, chart_series(report), height=chart_height)

    first, last = budget.year_numbers[0], budget.year_numbers[-1]
    rows = len(budget_table(report.scenario_budget, report.result).kinds)
    heading = f"Budget {first}–{last} enligt scenariot" if report.has_changes else f"Basbudget {first}–{last}"
    pdf.heading(heading, needed=(rows + 4) * 5.0)
    _budget_table_pdf(pdf, report)
    pdf.set_font(FONT, "", 7.5)
    pdf.set_text_color(MUTED)
    pdf.ln(1.5)
    note = "Belopp i kronor."
    if report.has_changes:
        note += " Scenariot ändrar bara planår. Förändringen är scenario − basbudget (den sparade budgeten)."
    pdf.multi_cell(0, 3.8, note, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.ln(3)

    _changes_pdf(pdf, report)
    pdf.ln(3)
    _equity_uses_pdf(pdf, report)
    pdf.ln(2)
    _checks_pdf(pdf, report)
    return bytes(pdf.output())
