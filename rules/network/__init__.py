"""Rules about network isolation (NetworkPolicy)."""
