"""The Pulumi program: typed config, component resources and the three phases.

``stacks/__main__.py`` is the entry point Pulumi runs (``main: stacks/`` in Pulumi.yaml); it calls
:func:`supportops.stacks.program.main`.
"""
