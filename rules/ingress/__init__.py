"""Rules about Ingress objects and the ingress-nginx controller."""
