"""Board papers and charts: every chart (``figures``); what a paper is about and its tables as rows
(``paper``); its words (``prose``); the PDF layout engine (``pdf``); the board paper as PDF (``board``) and as
Excel workbook and CSV (``workbook``)."""
