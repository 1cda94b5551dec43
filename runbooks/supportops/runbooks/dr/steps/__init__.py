"""Step types, one module each (``base.StepType``); ``registry.STEP_TYPES`` is the closed set."""
