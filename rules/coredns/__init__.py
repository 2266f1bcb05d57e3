"""Rules about CoreDNS's configuration: the Corefile in its ConfigMap."""
