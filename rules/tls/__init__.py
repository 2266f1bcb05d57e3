"""Rules about TLS certificates in Secrets and Ingresses."""
