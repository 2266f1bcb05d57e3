"""## What it does
Flags an Ingress backend (`spec.defaultBackend`, or the `backend` of a path
under `spec.rules[].http.paths`) whose Service is in the run and does not
define the port the backend asks for: `service.port.number` must be one of
the Service's `ports[].port` (not a `targetPort`), and `service.port.name`
one of its `ports[].name`. The legacy `serviceName`/`servicePort` form
(`extensions/v1beta1`, `networking.k8s.io/v1beta1`) is checked the same way.
The message lists the ports the Service defines, and says so when the number
is a `targetPort` of the Service rather than one of its ports.

The Service is resolved as the object graph resolves the Ingress's
`routes-to` references: in the Ingress's unit first, then among the shared
objects it may see. Stays silent when the Service is not in the run (it is
defined elsewhere), for `type: ExternalName` Services, for Services that list
no ports, and for resource backends (`backend.resource`).

## Why is this bad?
The Ingress controller routes a backend to the endpoints of the named
Service port. When the Service has no such port, the controller has nowhere
to send the traffic: ingress-nginx logs `service ... does not have any
active endpoint` or `port not found` and answers 503, other controllers
reject or skip the route. `kubectl apply` accepts it, so the mistake shows up
only as failing requests. The usual cause is the container port (the
Service's `targetPort`) written where the Service's `port` belongs, or a port
renamed in the Service.

## How to fix
Name a port the Service defines, by its `port` number or its `name`:

```yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - name: http
      port: 80
      targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - host: web.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80        # the Service's port, not its targetPort 8080 (or: name: http)
```

## References
- Ingress, Ingress rules and backends: https://kubernetes.io/docs/concepts/services-networking/ingress/#the-ingress-resource
- IngressServiceBackend: https://kubernetes.io/docs/reference/kubernetes-api/service-resources/ingress-v1/#IngressSpec
- Service, port definitions: https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports
"""

from k8slint.engine import Finding, rule
from k8slint.model import mapping, sequence


def _port(backend: dict):
    """(the requested port, its path inside the backend): a number or a name; None when unset."""
    service = backend.get("service")
    if isinstance(service, dict):
        port = mapping(service.get("port"))
        for field in ("number", "name"):
            value = port.get(field)
            if isinstance(value, (int, str)) and not isinstance(value, bool) and value != "":
                return value, ("service", "port", field)
        return None, ()
    value = backend.get("servicePort")
    if isinstance(value, (int, str)) and not isinstance(value, bool) and value != "":
        return value, ("servicePort",)
    return None, ()


def _describe(port: dict) -> str:
    name, number = port.get("name"), port.get("port")
    return f"{name}/{number}" if isinstance(name, str) and name else str(number)


@rule(id="ingress-backend-port-unknown", severity="error", category="correctness", applies_to={"Ingress"},
      summary="An Ingress backend asks for a port its Service does not define", marks_edges=True)
def check(obj, ctx):
    for edge in ctx.graph.out_edges(obj, "routes-to"):
        service = edge.to
        if service is None or service.kind != "Service" or service.spec.get("type") == "ExternalName":
            continue
        ports = [p for p in sequence(service.spec.get("ports")) if isinstance(p, dict)]
        if not ports:
            continue
        # the edge points at the Service name inside the backend: service.name or serviceName
        tail = 2 if edge.path[-2:] == ("service", "name") else 1
        backend_path = tuple(edge.path)[:-tail]
        backend = obj.get(*backend_path)
        if not isinstance(backend, dict):
            continue
        wanted, field = _port(backend)
        if wanted is None:
            continue
        if isinstance(wanted, int):
            if any(p.get("port") == wanted for p in ports):
                continue
            what = f"port number {wanted}"
        else:
            if wanted.isdigit():  # servicePort: "80" (an IntOrString written as a string)
                if any(p.get("port") == int(wanted) for p in ports):
                    continue
            elif any(p.get("name") == wanted for p in ports):
                continue
            what = f"port {wanted!r}"
        message = (f"Ingress {obj.name!r} routes to Service {service.name!r} {what}, which the Service does not "
                   f"define (its ports: {', '.join(_describe(p) for p in ports)}); the backend gets no endpoints")
        if isinstance(wanted, int):
            mapped = [p for p in ports if p.get("targetPort") == wanted]
            if mapped:
                message += (f"; {wanted} is the targetPort of its port {_describe(mapped[0])}: an Ingress names the "
                            "Service's port, not the container's")
        yield Finding(backend_path + field, message, edges=[(edge, f"no {what}")])
