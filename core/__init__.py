"""Förbundsbudget's domain package: pure Python, never imports streamlit.

The house, from the bottom up (a module imports only from folders above it in this list):

- ``model``: the budget as data (pydantic models), whole-krona money and the Swedish formatter, errors, and
  the rule set of each kind of federation as data (``kinds``: the 50/25/25 split lives there, once).
- ``engine``: revenue − costs = result, equity carried year to year; scenarios and how they apply.
- ``rules``: the rule checks, registered by name; a kind of federation lists the names it follows.
- ``analysis``: what-if analysis on top of the engine: room, targets, sensitivity, comparisons, history.
- ``files``: files in and out: budget files (CSV, xlsx), the share link.
- ``store``: the DuckDB store, the one place that talks SQL (schema in ``schema.sql``).
- ``papers``: the board papers and the charts: PDF, Excel, CSV.
- ``cli``: ``python -m core …``.
- ``resources``: files shipped with the package (seed, examples, scenarios, fonts).
"""
