"""Rules about scheduling and disruption: tolerations, spreading, PodDisruptionBudgets, priority."""
