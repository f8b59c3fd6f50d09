"""Board papers and charts: every chart (``figures``), the PDF layout (``pdf``), the words (``prose``),
the Excel workbook (``workbook``) and the paper as a whole (``board``)."""
