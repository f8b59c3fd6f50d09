"""The engine: ``compute`` runs a budget (revenue − costs = result, equity carried year to year);
``scenario`` is the what-if format and ``apply_scenario``; ``whatif`` the edits the pages make to a
scenario. Imports only ``core.model``."""
