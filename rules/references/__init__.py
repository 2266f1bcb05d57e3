"""Rules about references between objects (selectors, names)."""
