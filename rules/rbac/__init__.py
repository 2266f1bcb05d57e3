"""Rules about RBAC: Roles, ClusterRoles and their bindings."""
