"""Rules about liveness, readiness and startup probes."""
