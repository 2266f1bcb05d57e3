"""Rules about container and pod lifecycle: images, termination, graceful shutdown."""
