"""## What it does
Flags each `*` item in the `verbs`, `resources` or `apiGroups` of a rule in a
Role or ClusterRole. Every `*` is reported at its own list item, so a rule with
`*` in all three fields (full control) gives three findings.

Stays silent for:

- Kubernetes' own roles: names starting with `system:` (the prefix is
  reserved for the control plane), `cluster-admin`, and roles labelled
  `kubernetes.io/bootstrapping: rbac-defaults`. The API server creates and
  reconciles them; they are wildcard by design.
- Aggregated ClusterRoles (with an `aggregationRule`): their `rules` are
  overwritten by the aggregation controller with the union of the roles they
  select, so the wildcard (if any) is reported on the selected roles.
- Rules for non-resource URLs only (`nonResourceURLs`, no `resources`):
  their verbs are HTTP methods on those paths (`/metrics`, `/healthz`).
- Rules whose `apiGroups` are all metrics APIs (`metrics.k8s.io`,
  `custom.metrics.k8s.io`, `external.metrics.k8s.io`): these APIs are
  read-only and their resources are metric names, so `resources: ["*"]`
  is how an autoscaler or metrics adapter is meant to be granted access.
- Rules whose resources are all `*/scale`: `apiGroups: ["*"]` with
  `resources: ["*/scale"]` grants the scale subresource of every workload
  kind, which is how autoscalers are granted (the control plane's own
  `system:controller:horizontal-pod-autoscaler` role does it).
- Narrower patterns that are not a bare `*`: `*/scale` (one subresource of
  every resource), `pods/*` (a literal name, not a pattern), and `*` in
  `nonResourceURLs` or `resourceNames`.

Graded by what the wildcard can reach:

- **warning** when `*` is in `verbs`, when the rule allows any verb beyond
  `get`, `list` and `watch`, or when its reach takes in the objects that
  lead to cluster takeover: Secrets, `pods/exec` and `pods/attach` (the core
  group), RBAC objects (`rbac.authorization.k8s.io`) and admission webhooks
  and policies (`admissionregistration.k8s.io`). `*` in `apiGroups` reaches
  all of these groups, and `*` in `resources` of the core group reaches
  Secrets.
- **info** for read-only verbs over every resource of a named group that
  holds none of those (for example `apiGroups: ["apps"]`, `resources: ["*"]`,
  `verbs: ["get", "list", "watch"]`): broader than needed, but it cannot
  change the cluster or read its credentials.

## Why is this bad?
A wildcard grants more than anyone reviewed. `*` in `verbs` includes
`delete`, `deletecollection`, `escalate`, `bind` and `impersonate` where they
apply; `*` in `resources` includes Secrets, RBAC objects and every custom
resource installed later; `*` in `apiGroups` matches API groups that do not
exist yet. A role written for one controller quietly grows with the cluster,
and whoever steals its ServiceAccount token inherits all of it. With `*` in
all three fields, a ClusterRole is cluster-admin under another name.

## How to fix
List the API groups, resources and verbs the workload really uses (the API
server's audit log or `kubectl auth can-i --list --as=system:serviceaccount:NS:NAME`
help find them):

```yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: deployer
  namespace: shop
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "list", "watch", "patch"]
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get", "list", "watch"]
```

## References
- RBAC good practices, least privilege and wildcards: https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege
- Using RBAC authorization, referring to resources: https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
- Aggregated ClusterRoles: https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles
- Default roles and role bindings (`system:` prefix): https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings
"""

from k8slint.engine import Finding, rule
from ._common import READ_VERBS, is_aggregated, is_kubernetes_role, items, policy_rules, values


#: what reading or writing leads to cluster takeover, by API group; "*" means every resource of the group.
#: Secrets hold credentials; exec/attach run commands in any pod (a `get` opens exec over WebSockets,
#: kubernetes/kubernetes#78741, until the AuthorizePodWebsocketUpgradeCreatePermission gate of KEP-4006,
#: beta in 1.35); RBAC objects grant more rights (escalate, bind);
#: webhooks and admission policies see or rewrite every object written.
#: https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks
SENSITIVE = {
    "": frozenset({"secrets", "pods/exec", "pods/attach"}),
    "rbac.authorization.k8s.io": frozenset({"*"}),
    "admissionregistration.k8s.io": frozenset({"*"}),
}
SENSITIVE_RESOURCES = frozenset().union(*(r for r in SENSITIVE.values() if "*" not in r))


#: aggregated metrics APIs: read-only, and their "resources" are metric names, so `*` is the norm
METRICS_GROUPS = frozenset({"metrics.k8s.io", "custom.metrics.k8s.io", "external.metrics.k8s.io"})


def _resources(vals) -> str:
    if "*" in vals:
        return "every resource"
    return _listing(vals)


def _listing(vals) -> str:
    shown = [v if v else '""' for v in vals[:4]]
    more = f" and {len(vals) - 4} more" if len(vals) > 4 else ""
    return ", ".join(shown) + more if shown else "nothing"


#: resources of the wholly sensitive groups, as a rule with `apiGroups: ["*"]` names them
_SENSITIVE_GROUP_RESOURCES = frozenset({
    "roles", "rolebindings", "clusterroles", "clusterrolebindings",
    "mutatingwebhookconfigurations", "validatingwebhookconfigurations",
    "validatingadmissionpolicies", "validatingadmissionpolicybindings",
    "mutatingadmissionpolicies", "mutatingadmissionpolicybindings",
})


def _reaches_sensitive(groups, resources) -> bool:
    """Whether a rule's groups and resources take in anything in :data:`SENSITIVE`."""
    named = set(resources)
    for group in groups:
        if group == "*":
            if "*" in named or named & (SENSITIVE_RESOURCES | _SENSITIVE_GROUP_RESOURCES):
                return True
        elif (sensitive := SENSITIVE.get(group)) and ("*" in sensitive or "*" in named or sensitive & named):
            return True
    return False


def _severity(verbs, resources, groups) -> str:
    if "*" in verbs or set(verbs) - set(READ_VERBS):
        return "warning"
    return "warning" if _reaches_sensitive(groups, resources) else "info"


@rule(scope="object", id="rbac-wildcard", severity="warning", category="security",
      security_severity=8.0, applies_to={"Role", "ClusterRole"},
      summary="A Role or ClusterRole rule with * in verbs, resources or apiGroups")
def check(obj, ctx):
    if is_kubernetes_role(obj) or is_aggregated(obj):
        return
    scope = "in every namespace" if obj.kind == "ClusterRole" else f"in namespace {obj.namespace!r}"
    for i, r in policy_rules(obj):
        verbs, resources, groups = values(r, "verbs"), values(r, "resources"), values(r, "apiGroups")
        if not resources and not groups:
            continue  # a nonResourceURLs rule: its verbs are HTTP methods on those paths
        if groups and set(groups) <= METRICS_GROUPS:
            continue  # read-only metrics APIs, whose resources are metric names
        if resources and all(res == "*/scale" for res in resources):
            continue  # the scale subresource of every group: how autoscalers are granted (system:controller:hpa)
        full = "*" in verbs and "*" in resources and "*" in groups
        severity = _severity(verbs, resources, groups)
        if severity == "info":
            tail = "; read-only, and it reaches no Secrets, RBAC objects or webhooks"
        elif full:
            tail = (f"; with '*' verbs, resources and apiGroups this rule is full control {scope}, "
                "the same as cluster-admin")
        else:
            tail = ""
        for field, vals in (("verbs", verbs), ("resources", resources), ("apiGroups", groups)):
            for j, v in items(r, field):
                if v != "*":
                    continue
                if field == "verbs":
                    what = (f"'*' in verbs grants every verb on {_resources(resources)}, including delete, "
                            "deletecollection and any verb added later")
                elif field == "resources":
                    if "*" in groups:
                        what = ("'*' in resources grants every resource of every API group, including Secrets, "
                                "RBAC objects and resources installed later")
                    elif "" in groups:
                        what = (f"'*' in resources grants every resource of API groups {_listing(groups)}, "
                                "including Secrets and any resource added later")
                    else:
                        what = (f"'*' in resources grants every resource of API groups {_listing(groups)}, "
                                "including any resource added to them later")
                else:
                    what = ("'*' in apiGroups matches every API group, including groups that custom "
                            f"resources add later, for {_resources(resources)}")
                yield Finding(("rules", i, field, j), f"{obj.kind} {obj.name!r}, rule {i}: {what}{tail}",
                              severity=severity)
