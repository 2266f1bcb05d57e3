"""JSON Schemas owned by k8slint, shipped as package data (``k8slint.schemas``)."""
