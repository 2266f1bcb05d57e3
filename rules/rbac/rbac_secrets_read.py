"""## What it does
Flags a rule of a Role or ClusterRole that can read Secrets, when a binding
in the linted files (in any file of the run) makes that broad:

- a **ClusterRole** bound by a **ClusterRoleBinding** (with at least one
  subject): its subjects read Secrets in every namespace;
- a **Role or ClusterRole** bound by a RoleBinding or ClusterRoleBinding to
  a namespace's **`default` ServiceAccount**, which every pod that sets no
  `serviceAccountName` runs as. Subjects that include it count too: the
  groups `system:serviceaccounts`, `system:serviceaccounts:<namespace>` and
  `system:authenticated`, and the user `system:serviceaccount:<namespace>:default`.

A ClusterRole whose labels an aggregated ClusterRole in the run selects
(`aggregationRule`) is checked with that role's bindings as well, since its
rules become part of it.

A rule can read Secrets when its `apiGroups` holds `""` (the core group) or
`*`, its `resources` holds `secrets` or `*`, and its `verbs` hold `get`,
`list`, `watch` or `*`. `list` and `watch` return the Secrets' data, not only
their names.

Stays silent for a rule with `resourceNames`: it reaches only the Secrets
it names (a controller reading its own TLS Secret), which is a deliberate,
reviewable grant. Also silent when no such binding is in the linted files,
for a Role or ClusterRole bound only to other ServiceAccounts with
RoleBindings (reading Secrets in one namespace is often what an operator
needs), and for Kubernetes' own roles (names starting with `system:`,
`cluster-admin`, `admin`, `edit`, and roles labelled
`kubernetes.io/bootstrapping: rbac-defaults`).

## Why is this bad?
Secrets hold database passwords, API keys, TLS private keys and
ServiceAccount tokens. Read access to all of them in every namespace is a
path to everything those credentials open, often including more privileged
ServiceAccounts, so it is close to cluster-admin. A grant to the `default`
ServiceAccount reaches every pod in the namespace that was not given its own
ServiceAccount, including third-party images nobody reviewed for this.

## How to fix
Give the workload its own ServiceAccount, bind it in its namespace only,
and name the Secrets it may read:

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: read-tls
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: ["shop-tls"]
    verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-tls
  namespace: shop
subjects:
  - kind: ServiceAccount
    name: storefront
    namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: read-tls
```

## References
- RBAC good practices, listing Secrets: https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets
- Good practices for Kubernetes Secrets, least-privilege access: https://kubernetes.io/docs/concepts/security/secrets-good-practices/#configure-least-privilege-access-to-secrets
- Using RBAC authorization, RoleBinding and ClusterRoleBinding: https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding
- Aggregated ClusterRoles: https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles
"""

from k8slint.engine import Finding, rule

from ._common import (READ_VERBS, aggregating_roles, covers_default_service_account, is_kubernetes_role,
                      policy_rules, subject_label, subjects, values)

#: user-facing default roles, whose rules Kubernetes aggregates and reconciles
DEFAULT_USER_ROLES = frozenset({"cluster-admin", "admin", "edit", "view"})


def reads_secrets(r: dict) -> list:
    """The read verbs a rule grants on Secrets (empty when it grants none)."""
    if values(r, "resourceNames"):
        return []
    groups, resources, verbs = values(r, "apiGroups"), values(r, "resources"), values(r, "verbs")
    if not ({"", "*"} & set(groups)) or not ({"secrets", "*"} & set(resources)):
        return []
    if "*" in verbs:
        return ["*"]
    return [v for v in READ_VERBS if v in verbs]


def _broad_grants(ctx, role) -> list:
    """(binding, how) for each binding in the run that makes the role's Secret access broad."""
    targets = [role] + aggregating_roles(ctx.graph, role)
    found = []
    seen = set()
    for target in targets:
        via = "" if target is role else f" (through aggregated ClusterRole {target.name!r})"
        for edge in ctx.graph.in_edges(target, "grants"):
            binding = edge.source
            if binding.key in seen:  # the same binding written twice in the run counts once
                continue
            subs = subjects(binding)
            if binding.kind == "ClusterRoleBinding" and target.kind == "ClusterRole" and subs:
                seen.add(binding.key)
                who = ", ".join(subject_label(s, binding) for _, s in subs[:3])
                more = f" and {len(subs) - 3} more" if len(subs) > 3 else ""
                found.append((binding, f"ClusterRoleBinding {binding.name!r}{via} lets {who}{more} read "
                                       "Secrets in every namespace"))
                continue
            for _, s in subs:
                covered = covers_default_service_account(s, binding)
                if covered is None:
                    continue
                ns, every_account = covered
                seen.add(binding.key)
                where = ("in every namespace" if binding.kind == "ClusterRoleBinding"
                         else f"in namespace {binding.namespace!r}")
                if ns == "*":
                    pods = "which includes every ServiceAccount, so every pod in the cluster"
                elif every_account:
                    pods = f"which includes every ServiceAccount of namespace {ns!r}, so every pod there"
                else:
                    pods = f"so every pod in namespace {ns!r} that sets no serviceAccountName"
                found.append((binding, f"{binding.kind} {binding.name!r}{via} grants it to "
                                       f"{subject_label(s, binding)}, {pods} can read Secrets {where}"))
                break
    return found


@rule(id="rbac-secrets-read", severity="warning", category="security",
      security_severity=7.6, applies_to={"Role", "ClusterRole"},
      summary="Secrets readable cluster-wide or by a default ServiceAccount")
def check(obj, ctx):
    if is_kubernetes_role(obj) or (obj.kind == "ClusterRole" and obj.name in DEFAULT_USER_ROLES):
        return
    risky = [(i, verbs) for i, r in policy_rules(obj) if (verbs := reads_secrets(r))]
    if not risky:
        return
    grants = _broad_grants(ctx, obj)
    if not grants:
        return
    hows = "; ".join(how for _, how in grants[:2])
    if len(grants) > 2:
        hows += f"; and {len(grants) - 2} more bindings"
    for i, verbs in risky:
        shown = "every verb ('*')" if verbs == ["*"] else "/".join(verbs)
        yield Finding(("rules", i), f"{obj.kind} {obj.name!r}, rule {i} grants {shown} on Secrets: {hows}")
