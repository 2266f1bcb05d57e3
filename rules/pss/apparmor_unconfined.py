"""## What it does
Flags what the AppArmor control of the Pod Security Standards' Baseline
level forbids:

- `securityContext.appArmorProfile.type` set to anything but
  `RuntimeDefault` or `Localhost` (that is, `Unconfined`), at pod level or on
  any container, init container or ephemeral container (the field exists
  from Kubernetes 1.30; it is ignored for an older `--kube-version`);
- a pod annotation `container.apparmor.security.beta.kubernetes.io/<container>`
  whose value is not empty, `runtime/default` or `localhost/<profile>` (that
  is, `unconfined`). The annotations are deprecated, but admission still
  checks them.

Each level is checked on its own, as admission does: a pod-level
`Unconfined` is rejected even when every container sets its own profile.
Stays silent when no profile is set (the runtime's default profile applies)
and for `RuntimeDefault` and `Localhost` profiles. The finding is a warning;
in a namespace that enforces the Baseline (or Restricted) level with the
`pod-security.kubernetes.io/enforce` label, admission rejects the pod, and the
finding becomes an error.

## Why is this bad?
On nodes with AppArmor, the container runtime confines every container with
its default profile, which denies writes to sensitive parts of `/proc` and
`/sys`, mounting, and other kernel interfaces that container escapes rely on.
`Unconfined` removes that layer: one more exploit step stops being blocked.
Pod Security admission rejects such pods in namespaces that enforce Baseline
or Restricted.

## How to fix
Remove the override, or use the runtime's default or a profile loaded on the
nodes:

```yaml
spec:
  securityContext:
    appArmorProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: registry.example.com/app:2.4.1
      securityContext:
        appArmorProfile:
          type: Localhost
          localhostProfile: k8s-app-restricted
```

Replace a legacy `container.apparmor.security.beta.kubernetes.io/app:
unconfined` annotation with the field above.

## References
- Pod Security Standards, Baseline, AppArmor: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
- Restrict a container's access to resources with AppArmor: https://kubernetes.io/docs/tutorials/security/apparmor/
- Configure a security context, AppArmor: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS, mapping

from ._pss import BASELINE, because, describe, version_at_least

ALLOWED_TYPES = ("RuntimeDefault", "Localhost")
ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
REASON = "AppArmor may not be disabled or overridden except with RuntimeDefault or Localhost profiles"


def _allowed_annotation(value: str) -> bool:
    return value == "" or value == "runtime/default" or value.startswith("localhost/")


def _bad_type(context: dict):
    """The type of an appArmorProfile that admission rejects, else None."""
    profile = context.get("appArmorProfile")
    if not isinstance(profile, dict):
        return None
    kind = profile.get("type")
    if isinstance(kind, str) and kind and kind not in ALLOWED_TYPES:
        return kind
    return None


@rule(scope="object", id="apparmor-unconfined", severity="warning", category="security",
      security_severity=6.3, applies_to=WORKLOADS,
      tags=("pss-baseline",), summary="A pod or container disables or overrides the default AppArmor profile",
      needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if version_at_least(ctx, 1, 30):
        kind = _bad_type(pod.security_context)
        if kind is not None:
            yield Finding(pod.spec_path / "securityContext" / "appArmorProfile" / "type",
                          f"{obj.kind} {obj.name!r}: the pod sets securityContext.appArmorProfile.type: {kind} "
                          "for all its containers "
                          + because(BASELINE, REASON))
        for c in pod.all_containers:
            kind = _bad_type(c.security_context)
            if kind is not None:
                yield Finding(c.path / "securityContext" / "appArmorProfile" / "type",
                              f"{describe(c)} sets securityContext.appArmorProfile.type: {kind} "
                              + because(BASELINE, REASON))
    for key, value in mapping(pod.annotations).items():
        if not isinstance(key, str) or not key.startswith(ANNOTATION_PREFIX) or not isinstance(value, str):
            continue
        if _allowed_annotation(value):
            continue
        target = key[len(ANNOTATION_PREFIX):]
        yield Finding(pod.path / "metadata" / "annotations" / key,
                      f"annotation {key}: {value!r} sets the AppArmor profile of container {target!r} to "
                      f"{value!r} " + because(BASELINE, "AppArmor annotations may only be runtime/default or "
                                                        "localhost/<profile>"))
