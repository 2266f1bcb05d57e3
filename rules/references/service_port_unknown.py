"""## What it does
Flags a Service port whose `targetPort` is a port name that no container of
the pods it selects declares: no app container and no native sidecar (an
init container with `restartPolicy: Always`) of any workload in the run
whose pod template the Service's selector matches has a `ports` entry of that
`name`. A `targetPort` left unset is the Service's `port` number.

A numeric `targetPort` that no selected container declares as a
`containerPort` is reported as info only, and only when the selected
containers declare some ports (a container may listen on ports it does not
declare, and the Service reaches them all the same; many manifests declare
none at all).

Stays silent for Services without a selector and `type: ExternalName`
Services, when the Service selects no workload in the run (that is
`service-selector-no-match`'s business, or the pods are defined elsewhere),
when the workloads it selects are not visible from its unit, when a custom
resource of its namespace has a pod template its selector matches (an Argo
Rollout: its containers are not checked), and when the `targetPort` is not a
valid port name (a string of digits, an unrendered template: schema
validation reports those).

## Why is this bad?
The endpoints controller resolves a named `targetPort` in each selected pod,
from the ports its containers declare. A pod that declares no port of that
name is left out of the Service port's endpoints, so when none does, the
Service port has no endpoints at all: clients get `connection refused` or
time out, and Ingress controllers answer 503, although the Service selects
running, ready pods. The usual cause is a port renamed in the Deployment and
not in the Service, or a Service copied from another chart.

## How to fix
Target a port name the pod template declares (or its number):

```yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http        # declared by the container below
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          ports:
            - name: http
              containerPort: 8080
```

## References
- Service, port definitions (named target ports): https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports
- Debug Services, does the Service have any Endpoints?: https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/#does-the-service-have-any-endpoints
- Sidecar containers: https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
"""

import re

from k8slint.engine import Finding, rule
from k8slint.model import mapping, sequence

from ._pods import operator_managed

#: a valid port name (IANA_SVC_NAME): lower-case letters, digits and dashes, with a letter, at most 15
_PORT_NAME = re.compile(r"(?=.*[a-z])[a-z0-9](?:[a-z0-9-]{0,13}[a-z0-9])?\Z")


def _declared(workloads) -> tuple[set, set, list]:
    """(port names, port numbers, descriptions) the long-running containers of the workloads declare."""
    names, numbers, described = set(), set(), []
    for w in workloads:
        for c in w.pod.all_containers:
            if not c.runs_alongside_app:
                continue
            for p in c.ports:
                name, number = p.get("name"), p.get("containerPort")
                if isinstance(name, str):
                    names.add(name)
                if isinstance(number, int) and not isinstance(number, bool):
                    numbers.add(number)
                text = "/".join(str(v) for v in (name, number) if isinstance(v, (str, int)))
                if text and text not in described:
                    described.append(text)
    return names, numbers, described


def _workloads(selected) -> str:
    shown = [f"{w.kind} {w.name!r}" for w in selected[:3]]
    if len(selected) > 3:
        shown.append(f"{len(selected) - 3} more")
    return ", ".join(shown)


@rule(id="service-port-unknown", severity="error", category="correctness", applies_to={"Service"},
      summary="A Service targetPort that no container of the selected pods declares", marks_edges=True)
def check(obj, ctx):
    spec = obj.spec
    selector = spec.get("selector")
    if not isinstance(selector, dict) or not selector or spec.get("type") == "ExternalName":
        return
    selects = [e for e in ctx.graph.out_edges(obj, "selects") if e.to is not None and e.to.pod is not None]
    selected = [e.to for e in selects]
    if not selected or operator_managed(ctx, obj.namespace, selector):
        return
    declared = None
    for i, port in enumerate(sequence(spec.get("ports"))):
        port = mapping(port)
        number = port.get("port")
        if "targetPort" in port:
            target, path = port["targetPort"], ("spec", "ports", i, "targetPort")
        else:
            target, path = number, ("spec", "ports", i, "port")
        if isinstance(target, bool) or not isinstance(target, (str, int)):
            continue
        if declared is None:
            declared = _declared(selected)
        names, numbers, described = declared
        label = f"port {port['name']!r} ({number})" if isinstance(port.get("name"), str) else f"port {number}"
        they = f"selected pods ({_workloads(selected)})"
        if isinstance(target, str):
            if not _PORT_NAME.match(target) or target in names:
                continue
            known = ", ".join(described) if described else "none"
            yield Finding(path, f"Service {obj.name!r} {label} targets the port named {target!r}, which no "
                                f"container of the {they} declares (their ports: {known}); this Service port "
                                "has no endpoints", edges=[(e, f"no port {target!r}") for e in selects])
        elif numbers and target not in numbers:
            what = "targetPort" if "targetPort" in port else "targetPort (unset: the port)"
            yield Finding(path, f"Service {obj.name!r} {label} has {what} {target}, which no container of the "
                                f"{they} declares (their ports: {', '.join(described)}); it gets traffic only if a "
                                "container listens on it without declaring it", severity="info",
                          edges=[(e, f"port {target} undeclared") for e in selects])
