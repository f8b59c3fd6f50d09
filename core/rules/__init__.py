"""Rule checks (``checks``): each gives ok, varning or fel with a Swedish message naming year and amount.
Which checks apply to which kind of federation is data in ``core.model.kinds``."""
