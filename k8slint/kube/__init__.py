"""Kubernetes knowledge shared by the model and the rules (kinds, selectors, versions, cron, sysctls)."""
