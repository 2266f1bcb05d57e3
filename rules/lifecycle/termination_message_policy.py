"""## What it does
Flags an app container, native sidecar or init container that does not set
`terminationMessagePolicy: FallbackToLogsOnError` (the field is missing,
which means `File`, or set to `File`).

Opt-in (it would flag nearly every container of a cluster): turn it on in
the configuration (`rules: {termination-message-policy: on}`) or with
`--select`, and let `--fix` add the field.

Ephemeral containers are not checked: they cannot be part of a manifest (the
API server refuses a pod created with `ephemeralContainers`; `kubectl debug`
adds them later). Init containers are checked because a failing init
container blocks the pod, and its crash reason is what one needs to see.

## Why is this bad?
When a container terminates, the kubelet copies the file at
`terminationMessagePath` (`/dev/termination-log`) into the container's status,
where `kubectl describe pod` and `kubectl get pod -o yaml` show it as the
reason of the last termination. Few programs write that file, so with the
default policy `File` a crashed container's status says only
`Error, exit code 1`, and the reason is gone once the container's logs
rotate or the pod is deleted.

With `FallbackToLogsOnError`, when the container fails and the file is empty,
the kubelet uses the end of the container's log (at most 2048 bytes or 80
lines) instead: the stack trace or the last error line ends up in the pod's
status, in events-based alerting and in `kubectl describe`, at no cost. A
program that writes the file keeps full control; successful exits are not
affected.

## How to fix
Set the policy on every container:

```yaml
spec:
  containers:
    - name: web
      image: registry.example.com/web:1.4.2
      terminationMessagePolicy: FallbackToLogsOnError
```

## Fix
`--fix` sets `terminationMessagePolicy: FallbackToLogsOnError` on the
container (safe: it only changes what the container's status reports after a
failure).

## References
- Customizing the termination message: https://kubernetes.io/docs/tasks/debug/debug-application/determine-reason-pod-failure/#customizing-the-termination-message
- Container API, terminationMessagePolicy: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#lifecycle-1
- Operations practice: a pod's termination reason comes from /dev/termination-log, or with FallbackToLogsOnError from the end of the log when the container fails.
"""

from k8slint.engine import Finding, rule
from k8slint.fix import Fix
from k8slint.model import WORKLOADS

POLICY = "FallbackToLogsOnError"


@rule(scope="object", id="termination-message-policy", severity="info", category="reliability", applies_to=WORKLOADS,
      fix_safety="safe", enabled=False,
      summary="A container that does not fall back to its log for the termination message", needs="pod")
def check(obj, ctx):
    pod = obj.pod
    for c in pod.init_containers + pod.containers:
        value = c.raw.get("terminationMessagePolicy")
        if value == POLICY:
            continue
        kind = "init container" if c.role == "initContainer" and not c.is_sidecar else \
            "sidecar container" if c.is_sidecar else "container"
        if value is None:
            how = "does not set terminationMessagePolicy (default File)"
        else:
            how = f"sets terminationMessagePolicy: {value}"
        where = c.path / "terminationMessagePolicy"
        yield Finding(where,
                      f"{kind} {c.name!r} {how}: when it crashes without writing /dev/termination-log, its "
                      f"status shows no reason; set terminationMessagePolicy: {POLICY} to keep the end of its log",
                      fix=Fix.set(where, POLICY, f"set terminationMessagePolicy: {POLICY}"))
