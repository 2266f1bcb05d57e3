"""The built-in rule pack, shipped as ``k8slint.rules``.

One module per rule, grouped by area. A module's docstring is the rule's
documentation; its ``@rule``-decorated function is the check. Modules whose
name starts with ``_`` hold helpers shared within an area and are not rules.
"""
