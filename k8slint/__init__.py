"""k8slint: a static analyzer for Kubernetes manifests."""

__version__ = "0.1.0"
