"""The command line, ``python -m core …``: one parser (``main``), the budget source options defined once
(``sources``), and one module per group of commands."""
