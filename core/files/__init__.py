"""Files in and out: whole budgets as CSV or xlsx (``budget_file``, with the shared cell helpers in
``cells``), scenario files (``scenario_file``) and the scenario in a share link (``sharelink``). Every
reader validates and names row and column as Excel shows them."""
