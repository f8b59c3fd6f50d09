"""Analysis on top of the engine: room for new activity, what it would take, sensitivity, rolling the plan
forward (``plan``); differences between results (``compare``); the baseline's history (``history``); the
budget table in the verksamhetsplan layout (``tables``)."""
