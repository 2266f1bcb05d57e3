"""Rules about resource requests and limits."""
