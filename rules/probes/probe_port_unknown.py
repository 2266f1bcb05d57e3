"""## What it does
Flags a liveness, readiness or startup probe whose `httpGet.port` or
`tcpSocket.port` names a port (a string) that the container does not declare
in its `ports`. A string of digits (`"8080"`) is flagged too: a string is a
port name, and a port name must contain a letter, so the API server rejects
the pod (write the number instead).

Numeric ports are not checked: a container may listen on ports it does not
declare, and the kubelet probes them all the same.

## Why is this bad?
The kubelet resolves a named port from the container's own `ports` list. If
the name is not there, the probe fails every time: a liveness probe restarts
the container forever, a readiness probe keeps it out of its Services, and a
startup probe does both. The usual cause is a renamed port or a probe copied
from another container.

## How to fix
Name a port the container declares, or use the number:

```yaml
ports:
  - name: http
    containerPort: 8080
readinessProbe:
  httpGet:
    path: /ready
    port: http        # declared above
```

## References
- Configure probes, named ports: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#use-a-named-port
- ContainerPort name: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports
"""

from k8slint.engine import Finding, rule
from k8slint.model import WORKLOADS


@rule(scope="object", id="probe-port-unknown", severity="error", category="correctness", applies_to=WORKLOADS,
      summary="A probe names a port the container does not declare")
def check(obj, ctx):
    if obj.pod is None:
        return
    for c in obj.pod.all_containers:
        names = None
        for kind in ("liveness", "readiness", "startup"):
            probe = c.probe(kind)
            if probe is None:
                continue
            for handler in ("httpGet", "tcpSocket"):
                action = probe.get(handler)
                port = action.get("port") if isinstance(action, dict) else None
                if not isinstance(port, str):
                    continue
                if names is None:
                    names = c.port_names
                if port in names:
                    continue
                where = c.path / f"{kind}Probe" / handler / "port"
                if port.isdigit():
                    yield Finding(where, f"container {c.name!r}: {kind} probe port {port!r} is a string, which "
                                         "the API server reads as a port name, and a port name must contain a "
                                         f"letter: it rejects the pod; write the number {int(port)}")
                else:
                    known = ", ".join(sorted(names)) if names else "none"
                    yield Finding(where, f"container {c.name!r}: {kind} probe uses port {port!r}, which the "
                                         f"container does not declare (its named ports: {known}); "
                                         "the probe always fails")
