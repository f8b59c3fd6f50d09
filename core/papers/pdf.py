"""A small PDF layout engine on fpdf2 for the papers: the page with its header and footer, fitted text,
tables with Swedish figures, and the result/equity chart drawn as vectors from the same series as the
plotly chart."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF

from core import resources
from core.model.money import format_number
from core.papers.figures import (
    CEILING_COLOUR,
    CEILING_NAME,
    FLOOR_COLOUR,
    FLOOR_NAME,
    ResultEquitySeries,
)
from core.papers.paper import ACCENT, HEADING_FILL, MUTED, RULE

_GLUED_SPACE = re.compile(r"(?<=\d) (?=\d|kr\b|%|§)")


def keep_together(text: str) -> str:
    """No line break inside ``1 362 650 kr``, ``55,2 %`` or ``5 §``: those spaces become non-breaking."""
    return _GLUED_SPACE.sub("\u00a0", text)


FONT = "DejaVu"


_PAGE_MARGIN = 17.0


CHART_MIN_HEIGHT = 78.0


_DASH = {"dash": 1.6, "gap": 1.0}  # the ceiling, as plotly's "dash"


_DOT = {"dash": 0.5, "gap": 0.8}  # the floor, as plotly's "dot"


CHART_MAX_HEIGHT = 110.0


_BOTTOM_MARGIN = 16.0


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _blend(colour: str, opacity: float) -> tuple[int, int, int]:
    """``colour`` at ``opacity`` over white, as the plotly bars look (and as printers print them)."""
    return tuple(round(c * opacity + 255 * (1 - opacity)) for c in _rgb(colour))  # type: ignore[return-value]


class Paper(FPDF):
    """A4 portrait with the bundled DejaVu Sans (the core fonts cannot show U+2212) and a page footer."""

    def __init__(self, footer_text: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", str(resources.font_path("DejaVuSans.ttf")))
        self.add_font(FONT, "B", str(resources.font_path("DejaVuSans-Bold.ttf")))
        self.set_margins(_PAGE_MARGIN, 16, _PAGE_MARGIN)
        self.set_auto_page_break(True, margin=_BOTTOM_MARGIN + 4)
        self.alias_nb_pages()
        self.c_margin = 1.2

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    @property
    def space_left(self) -> float:
        return self.page_break_trigger - self.get_y()

    def footer(self) -> None:
        self.set_y(-_BOTTOM_MARGIN + 2)
        self.set_draw_color(RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font(FONT, "", 7.5)
        self.set_text_color(MUTED)
        self.set_y(self.get_y() + 1)
        page = f"Sida {self.page_no()} av {{nb}}"
        page_width = self.get_string_width(f"Sida {self.page_no()} av 99") + 4
        self.cell(self.content_width - page_width, 4, fit_text(self, self.footer_text, self.content_width - page_width))
        self.cell(page_width, 4, page, align="R")

    def ensure_space(self, needed: float) -> None:
        """A new page unless ``needed`` mm fit on this one (a block that fits a page is never split)."""
        if needed > self.space_left and needed < self.page_break_trigger - self.t_margin:
            self.add_page()

    def heading(self, text: str, *, needed: float = 30) -> None:
        self.ensure_space(needed)
        self.set_font(FONT, "B", 12)
        self.set_text_color(ACCENT)
        self.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)
        self.set_text_color(0)

    def paragraph(self, text: str, *, size: float = 9.5, colour: str = "#000000", style: str = "") -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(colour)
        self.multi_cell(0, size * 0.5, keep_together(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)

    def bullets_height(self, items: Sequence[str], *, size: float = 9.5, numbered: bool = False) -> float:
        self.set_font(FONT, "", size)
        width = self.content_width - (6 if numbered else 4.5)
        heights = [
            self.multi_cell(width, size * 0.5, keep_together(item), align="L", dry_run=True, output="HEIGHT") + 0.8
            for item in items
        ]
        return sum(heights)

    def bullets(self, items: Sequence[str], *, size: float = 9.5, numbered: bool = False) -> None:
        self.set_font(FONT, "", size)
        indent = 6 if numbered else 4.5
        for number, item in enumerate(items, start=1):
            self.ensure_space(size * 0.5 * 2)
            y = self.get_y()
            self.cell(indent, size * 0.5, f"{number}." if numbered else "•")
            self.set_xy(self.l_margin + indent, y)
            width = self.content_width - indent
            self.multi_cell(width, size * 0.5, keep_together(item), align="L", new_x="LMARGIN", new_y="NEXT")
            self.ln(0.8)


def fit_text(pdf: FPDF, text: str, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` mm in the current font (cell padding included)."""
    room = width - 2 * pdf.c_margin
    if pdf.get_string_width(text) <= room:
        return text
    while text and pdf.get_string_width(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _nice_step(span: float, ticks: int = 5) -> int:
    raw = max(span / ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return max(int(factor * power), 1)
    return int(10 * power)  # pragma: no cover


@dataclass(frozen=True)
class _Plot:
    """The chart's plotting area: value → y, year → x."""

    left: float
    right: float
    top: float
    bottom: float
    low: int
    high: int
    years: list[int]

    @property
    def band(self) -> float:
        return (self.right - self.left) / max(len(self.years), 1)

    def y(self, value: float) -> float:
        return self.bottom - (value - self.low) / (self.high - self.low) * (self.bottom - self.top)

    def centre(self, year: int) -> float:
        return self.left + (self.years.index(year) + 0.5) * self.band


def draw_chart(pdf: Paper, data: ResultEquitySeries, *, height: float, show_results: bool = True) -> None:
    """The result/equity chart as vectors: bars per scenario, equity lines, the ceiling and the floor."""
    x0, y0 = pdf.l_margin, pdf.get_y()
    legend_bottom = _chart_legend(pdf, data, show_results=show_results)
    plot = _chart_axes(pdf, data, top=legend_bottom + 11, bottom=y0 + height - 6, show_results=show_results)
    if show_results and data.scenarios:
        _chart_bars(pdf, data, plot)
    _chart_lines(pdf, data, plot)
    pdf.set_text_color(0)
    pdf.set_draw_color(0)
    pdf.set_line_width(0.2)
    pdf.set_xy(x0, y0 + height)


def _chart_legend(pdf: Paper, data: ResultEquitySeries, *, show_results: bool) -> float:
    """The legend, in the plotly figure's trace order; returns the y of its last row."""
    x0, width = pdf.l_margin, pdf.content_width
    items: list[tuple[str, str, str]] = []  # (kind, colour, name)
    for line in data.scenarios:
        if show_results:
            items.append(("bar", line.colour, line.result_name))
        items.append(("line", line.colour, line.equity_name))
    if data.ceilings:
        items.append(("dash", CEILING_COLOUR, CEILING_NAME))
    if data.floor is not None:
        items.append(("dot", FLOOR_COLOUR, FLOOR_NAME))
    pdf.set_font(FONT, "", 7.5)
    x, y = x0, pdf.get_y()
    for kind, colour, name in items:
        item_width = 8 + pdf.get_string_width(name) + 5
        if x + item_width > x0 + width:
            x, y = x0, y + 4.5
        _legend_mark(pdf, kind, colour, x, y + 2)
        pdf.set_text_color(0)
        pdf.set_xy(x + 7, y)
        pdf.cell(item_width - 7, 4, name)
        x += item_width
    return y


def _chart_axes(pdf: Paper, data: ResultEquitySeries, *, top: float, bottom: float, show_results: bool) -> _Plot:
    """Grid lines with kronor labels and the years under the plot (room above for a value label)."""
    x0 = pdf.l_margin
    values = [*data.values(show_results=show_results), 0]
    step = _nice_step(max(values) - min(values))
    low = math.floor(min(values) / step) * step
    high = math.ceil(max(values) / step) * step
    if high == low:
        high = low + step
    ticks = list(range(low, high + 1, step))
    pdf.set_font(FONT, "", 7)
    axis_width = max(pdf.get_string_width(f"{format_number(t)} kr") for t in ticks) + 2
    plot = _Plot(x0 + axis_width, x0 + pdf.content_width, top, bottom, low, high, list(data.years))
    pdf.set_line_width(0.15)
    for tick in ticks:
        pdf.set_draw_color("#7f7f7f" if tick == 0 else "#e5e5e5")
        pdf.line(plot.left, plot.y(tick), plot.right, plot.y(tick))
        pdf.set_text_color(MUTED)
        pdf.set_xy(x0, plot.y(tick) - 2)
        pdf.cell(axis_width - 1.5, 4, f"{format_number(tick)} kr", align="R")
    for year in plot.years:
        pdf.set_xy(plot.centre(year) - plot.band / 2, bottom + 1)
        pdf.set_text_color(0)
        pdf.cell(plot.band, 4, str(year), align="C")
    return plot


def _chart_bars(pdf: Paper, data: ResultEquitySeries, plot: _Plot) -> None:
    group = plot.band * 0.62
    bar = group / len(data.scenarios)
    for i, line in enumerate(data.scenarios):
        pdf.set_fill_color(_blend(line.colour, 0.55))
        for year, value in zip(line.years, line.results, strict=True):
            if year not in plot.years or value == 0:
                continue
            bx = plot.centre(year) - group / 2 + i * bar
            top_y, bottom_y = sorted((plot.y(value), plot.y(0)))
            pdf.rect(bx + 0.3, top_y, bar - 0.6, bottom_y - top_y, style="F")


def _chart_lines(pdf: Paper, data: ResultEquitySeries, plot: _Plot) -> None:
    """Equity lines with their points, the ceiling (dashed), the floor (dotted), the main scenario's values."""
    years = plot.years
    for line in data.scenarios:
        points = [(plot.centre(y), plot.y(v)) for y, v in zip(line.years, line.equity, strict=True) if y in years]
        pdf.set_draw_color(line.colour)
        pdf.set_fill_color(line.colour)
        pdf.set_line_width(0.7)
        if len(points) > 1:
            pdf.polyline(points)
        for px, py in points:
            pdf.circle(px, py, 0.9, style="F")
    pdf.set_line_width(0.45)
    if data.ceilings:
        pdf.set_draw_color(CEILING_COLOUR)
        pdf.set_dash_pattern(**_DASH)
        ceiling = [(plot.centre(y), plot.y(v)) for y, v in data.ceilings.items() if y in years]
        if len(ceiling) > 1:
            pdf.polyline(ceiling)
    if data.floor is not None and years:
        pdf.set_draw_color(FLOOR_COLOUR)
        pdf.set_dash_pattern(**_DOT)
        pdf.line(plot.centre(years[0]), plot.y(data.floor), plot.centre(years[-1]), plot.y(data.floor))
    pdf.set_dash_pattern()
    if data.scenarios:  # the main scenario's equity, written at each point
        main = data.scenarios[-1]
        pdf.set_font(FONT, "B", 6.5)
        pdf.set_text_color(main.colour)
        pdf.set_fill_color(255)
        for year, value in zip(main.years, main.equity, strict=True):
            if year in years:
                text = format_number(value)
                text_width = pdf.get_string_width(text) + 1.6
                pdf.set_xy(plot.centre(year) - text_width / 2, plot.y(value) - 5.4)
                pdf.cell(text_width, 3.4, text, align="C", fill=True)


def _legend_mark(pdf: FPDF, kind: str, colour: str, x: float, y: float) -> None:
    if kind == "bar":
        pdf.set_fill_color(_blend(colour, 0.55))
        pdf.rect(x, y - 1.5, 5.5, 3, style="F")
        return
    pdf.set_draw_color(colour)
    pdf.set_fill_color(colour)
    if kind == "line":
        pdf.set_line_width(0.7)
        pdf.line(x, y, x + 5.5, y)
        pdf.circle(x + 2.75, y, 0.9, style="F")
    else:
        pdf.set_line_width(0.45)
        pdf.set_dash_pattern(**(_DASH if kind == "dash" else _DOT))
        pdf.line(x, y, x + 5.5, y)
        pdf.set_dash_pattern()
    pdf.set_line_width(0.2)


@dataclass(frozen=True, slots=True)
class Column:
    header: tuple[str, str]  # two header lines
    width: float
    align: str = "R"


def draw_table(
    pdf: Paper,
    columns: list[Column],
    rows: list[tuple[str, list[str]]],  # (kind, cells)
    *,
    size: float,
    groups: Sequence[tuple[str, int, int]] = (),  # (title, first column, last column) over the headers
) -> None:
    """A ruled table: bold header with a rule under it, heading rows shaded, sums bold with a rule above.

    The first column wraps (numbers then stand on its last line, as in printed accounts); the others
    are single lines. A page break repeats the header.
    """
    line_h = size * 0.46
    pad = 0.65
    total = sum(c.width for c in columns)

    def header() -> None:
        pdf.set_font(FONT, "B", size)
        pdf.set_text_color(ACCENT)
        pdf.set_draw_color(ACCENT)
        if groups:
            y = pdf.get_y()
            for title, first, last in groups:
                gx = pdf.l_margin + sum(c.width for c in columns[:first])
                gw = sum(c.width for c in columns[first : last + 1])
                pdf.set_xy(gx, y)
                pdf.cell(gw, line_h + 0.4, fit_text(pdf, title, gw), align="C")
                pdf.set_line_width(0.2)
                pdf.line(gx + 1, y + line_h + 0.8, gx + gw - 1, y + line_h + 0.8)
            pdf.set_xy(pdf.l_margin, y + line_h + 1.6)
        for line in range(2):
            y = pdf.get_y()
            for column in columns:
                pdf.cell(
                    column.width, line_h + 0.3, fit_text(pdf, column.header[line], column.width), align=column.align
                )
            pdf.set_xy(pdf.l_margin, y + line_h + 0.3)
        pdf.set_line_width(0.4)
        pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.l_margin + total, pdf.get_y() + 0.5)
        pdf.set_xy(pdf.l_margin, pdf.get_y() + 0.9)
        pdf.set_text_color(0)

    header()
    for kind, cells in rows:
        bold = kind in ("rubrik", "summa", "resultat")
        pdf.set_font(FONT, "B" if bold else "", size)
        label_lines = pdf.multi_cell(columns[0].width, line_h, cells[0], dry_run=True, output="LINES") or [""]
        row_h = len(label_lines) * line_h + 2 * pad
        if row_h > pdf.space_left:
            pdf.add_page()
            header()
            pdf.set_font(FONT, "B" if bold else "", size)
        y = pdf.get_y()
        if kind == "rubrik":
            pdf.set_fill_color(HEADING_FILL)
            pdf.rect(pdf.l_margin, y, total, row_h, style="F")
        if kind in ("summa", "resultat"):
            pdf.set_draw_color(RULE)
            pdf.set_line_width(0.2)
            pdf.line(pdf.l_margin, y, pdf.l_margin + total, y)
        pdf.set_text_color(0)
        for i, text in enumerate(label_lines):
            pdf.set_xy(pdf.l_margin, y + pad + i * line_h)
            pdf.cell(columns[0].width, line_h, text, align=columns[0].align)
        x = pdf.l_margin + columns[0].width
        for column, text in zip(columns[1:], cells[1:], strict=True):
            muted = text.startswith("(") and text.endswith(")")
            pdf.set_text_color(MUTED if muted else 0)
            pdf.set_xy(x, y + pad + (len(label_lines) - 1) * line_h)
            pdf.cell(column.width, line_h, fit_text(pdf, text, column.width), align=column.align)
            x += column.width
        pdf.set_xy(pdf.l_margin, y + row_h)
    pdf.set_text_color(0)
    pdf.set_draw_color(0)


def column_width(pdf: FPDF, size: float, texts: Sequence[tuple[str, bool]], minimum: float = 0) -> float:
    """The width that holds every (text, bold) in the column, with the cell padding and a little air."""
    widest = minimum - 2 * pdf.c_margin - 1.5
    for text, bold in texts:
        pdf.set_font(FONT, "B" if bold else "", size)
        widest = max(widest, pdf.get_string_width(text))
    return widest + 2 * pdf.c_margin + 1.5


def signed_number(value: int) -> str:
    return "+" + format_number(value) if value > 0 else format_number(value)


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_page_count(data: bytes) -> int:
    """Pages in a PDF this module wrote (fpdf2 writes uncompressed page objects)."""
    return len(_PAGE_OBJECT.findall(data))
