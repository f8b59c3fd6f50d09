"""The model: the budget as data (``budget``), whole-krona money and the one Swedish formatter (``money``),
the federation kinds as data (``kinds``) and the errors a user can cause (``errors``). Imports nothing else
from ``core``."""
