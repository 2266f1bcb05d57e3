"""## What it does
Flags each subject of a ClusterRoleBinding or RoleBinding whose `roleRef` is
the ClusterRole `cluster-admin`, unless the subject is a system component.

A *system component* here is a subject Kubernetes or its installer binds to
`cluster-admin` by itself, or a control-plane identity:

- the group `system:masters` (the API server's own bootstrap binding) and the
  group `kubeadm:cluster-admins` (kubeadm's binding for `admin.conf`);
- any other User or Group named `system:...` (the prefix is reserved for
  control-plane identities such as `system:kube-controller-manager`),
  **except** the names that stand for many identities at once:
  `system:authenticated`, `system:unauthenticated`, `system:anonymous`,
  `system:serviceaccounts`, `system:serviceaccounts:<namespace>`, and the
  user form of a ServiceAccount, `system:serviceaccount:<namespace>:<name>`.
  Those are flagged, with a message saying how many identities they cover.

ServiceAccounts are always flagged, in `kube-system` too: Kubernetes binds no
ServiceAccount to `cluster-admin`. Subjects that your organisation grants
`cluster-admin` on purpose (a platform team's group) go in the
`allowed-subjects` option, written `Kind:name` (`Group:platform-admins`,
`User:alice@example.com`) or `ServiceAccount:namespace/name`.

A RoleBinding to `cluster-admin` is flagged too: it gives full control of the
binding's namespace, including its Secrets, Roles and RoleBindings.

## Why is this bad?
`cluster-admin` is every verb on every resource in every namespace: read all
Secrets, create privileged pods on any node, change any RBAC binding. A
ServiceAccount holding it turns any compromise of the pods that run as it
(a dependency with a remote-code-execution bug, a leaked token) into control
of the whole cluster. Binding it to a broad group such as
`system:authenticated` hands the cluster to every identity that can log in.

## How to fix
Bind a role that lists what the subject needs; if it needs a namespace,
bind it there with a RoleBinding:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ci-deployer
  namespace: shop
subjects:
  - kind: ServiceAccount
    name: ci-deployer
    namespace: ci
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit            # or a Role listing the exact resources and verbs
```

If a subject must be a cluster administrator, grant it to a group of people
and list it in the rule's settings:

```yaml
# k8slint.yaml
rules:
  rbac-cluster-admin-binding:
    allowed-subjects: ["Group:platform-admins"]
```

## References
- User-facing roles (`cluster-admin`): https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
- Default roles and role bindings (`system:masters`, the `system:` prefix): https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings
- RBAC good practices, avoid `cluster-admin` and `system:masters`: https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
- kubeadm implementation details (`kubeadm:cluster-admins`): https://kubernetes.io/docs/reference/setup-tools/kubeadm/implementation-details/
"""

from k8slint.engine import Finding, Option, rule
from k8slint.model import mapping

from ._common import subject_label, subjects

#: groups bound to cluster-admin by the API server and by kubeadm
BOOTSTRAP_GROUPS = frozenset({"system:masters", "kubeadm:cluster-admins"})

BROAD = {
    "system:authenticated": "every authenticated user and every ServiceAccount",
    "system:unauthenticated": "every anonymous request",
    "system:anonymous": "every anonymous request",
    "system:serviceaccounts": "every ServiceAccount in every namespace",
}


def _broad(kind, name: str) -> str | None:
    """What a `system:` subject name covers when it is not one component."""
    if name in BROAD:
        return BROAD[name]
    if kind == "Group" and name.startswith("system:serviceaccounts:"):
        return f"every ServiceAccount in namespace {name.split(':', 2)[2]!r}"
    if name.startswith("system:serviceaccount:"):
        return "the user name of ServiceAccount '" + name.split(":", 2)[2].replace(":", "/", 1) + "'"
    return None


def _allowed_key(subject: dict, binding) -> str:
    kind, name = subject.get("kind"), subject.get("name")
    if kind == "ServiceAccount":
        ns = subject.get("namespace")
        ns = ns if isinstance(ns, str) and ns else binding.namespace or ""
        return f"ServiceAccount:{ns}/{name}"
    return f"{kind}:{name}"


@rule(scope="object", id="rbac-cluster-admin-binding", severity="warning", category="security", security_severity=9.1,
      applies_to={"ClusterRoleBinding", "RoleBinding"},
      summary="A binding grants cluster-admin to a subject that is not a system component",
      options={"allowed-subjects": Option(
          (), "subjects allowed to hold cluster-admin: Kind:name, or ServiceAccount:namespace/name", "str-list")})
def check(obj, ctx):
    ref = mapping(obj.raw.get("roleRef"))
    if ref.get("kind") != "ClusterRole" or ref.get("name") != "cluster-admin":
        return
    allowed = set(ctx.options["allowed-subjects"])
    if obj.kind == "ClusterRoleBinding":
        scope = "full control of the whole cluster"
    else:
        scope = (f"full control of namespace {obj.namespace!r}, including its Secrets, Roles and RoleBindings")
    for i, subject in subjects(obj):
        kind, name = subject.get("kind"), subject.get("name")
        if not isinstance(name, str) or not name or kind not in ("User", "Group", "ServiceAccount"):
            continue
        if _allowed_key(subject, obj) in allowed:
            continue
        who = subject_label(subject, obj)
        if kind in ("User", "Group") and name.startswith("system:"):
            broad = _broad(kind, name)
            if broad is None:
                continue  # a control-plane identity
            who_gets = "every pod running as it gets" if broad.startswith("the user name") else "all of them get"
            yield Finding(("subjects", i),
                          f"{obj.kind} {obj.name!r} grants cluster-admin to {who}, which is {broad}: "
                          f"{who_gets} {scope}")
            continue
        if kind == "Group" and name in BOOTSTRAP_GROUPS:
            continue
        if kind == "ServiceAccount":
            why = "every pod running as it, and whoever obtains its token, gets"
        else:
            why = "it gets"
        yield Finding(("subjects", i),
                      f"{obj.kind} {obj.name!r} grants cluster-admin to {who}: {why} {scope}; "
                      "bind a role with only the permissions it needs")
