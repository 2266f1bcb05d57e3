"""## What it does
Flags an app container or native sidecar (an init container with
`restartPolicy: Always`) whose `securityContext.readOnlyRootFilesystem` is
not `true`: unset, `false`, or a value of the wrong type. The finding
anchors at the field when it is written, otherwise at the start of the
container's `securityContext` (or of the container when it has none).

Classic init containers are not checked unless the `include-init-containers`
option is on: they run to completion before the app starts, serve no
traffic, and often have to write (unpack, generate, copy) by design.
Ephemeral containers are not checked either: they are added at run time for
debugging, where a writable filesystem is the point.

Stays silent for Windows pods (`spec.os.name: windows`, a `nodeSelector`
on `kubernetes.io/os: windows`, or HostProcess containers, set with
`securityContext.windowsOptions.hostProcess: true`, which exist only on
Windows): Windows containers cannot have a read-only root filesystem, and
the API server rejects the field when `spec.os.name` is `windows`. There is
no pod-level setting: the field exists only on containers.

## Why is this bad?
With a writable root filesystem, an attacker who gets code execution in the
container can drop tools and binaries, change the application's code or
configuration, and plant files that persist for as long as the container
lives; nothing in the image stays as it was reviewed. A read-only root
filesystem also surfaces the application's real write paths (caches,
temporary files, PID files), which then go to explicit volumes with their
own size limits instead of filling the node's disk through the container
layer.

## How to fix
Make the root filesystem read-only and mount a volume where the
application must write:

```yaml
containers:
  - name: web
    image: registry.example.com/web:1.4.2
    securityContext:
      readOnlyRootFilesystem: true
    volumeMounts:
      - name: tmp
        mountPath: /tmp
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: 64Mi
```

## References
- Configure a security context for a pod or container: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
- Pod API reference, container `securityContext.readOnlyRootFilesystem` (cannot be set when `spec.os.name` is `windows`): https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/
- Windows containers in Kubernetes, field compatibility (`readOnlyRootFilesystem` is not possible on Windows): https://kubernetes.io/docs/concepts/windows/intro/
- Ephemeral containers: https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/
"""

from k8slint.engine import Finding, Option, rule
from k8slint.model import WORKLOADS, mapping

OS_LABELS = ("kubernetes.io/os", "beta.kubernetes.io/os")


def _host_process(security_context: dict) -> bool:
    return mapping(security_context.get("windowsOptions")).get("hostProcess") is True


def is_windows(pod) -> bool:
    """A pod that runs on Windows nodes: ``spec.os.name``, a node selector on
    the OS label, or HostProcess containers (which exist only on Windows)."""
    if mapping(pod.spec.get("os")).get("name") == "windows":
        return True
    selector = mapping(pod.spec.get("nodeSelector"))
    if any(selector.get(label) == "windows" for label in OS_LABELS):
        return True
    return _host_process(pod.security_context) or any(_host_process(c.security_context)
                                                      for c in pod.init_containers + pod.containers)


@rule(scope="object", id="writable-root-filesystem", severity="info", category="security",
      security_severity=3.1, applies_to=WORKLOADS,
      summary="A container whose root filesystem is writable",
      options={"include-init-containers": Option(
          False, "also check classic init containers (native sidecars are always checked)", "bool")}, needs="pod")
def check(obj, ctx):
    pod = obj.pod
    if is_windows(pod):
        return
    include_init = ctx.options["include-init-containers"]
    for c in pod.init_containers + pod.containers:
        if c.role == "initContainer" and not (c.is_sidecar or include_init):
            continue
        sc = c.security_context
        value = sc.get("readOnlyRootFilesystem")
        if value is True:
            continue
        role = "sidecar container" if c.is_sidecar else ("init container" if c.role == "initContainer"
                                                         else "container")
        where = c.path / "securityContext" / "readOnlyRootFilesystem"
        if value is False:
            state = "readOnlyRootFilesystem is false"
        elif "readOnlyRootFilesystem" in sc and value is not None:
            state = (f"readOnlyRootFilesystem is {value!r}, not the boolean true (the API server rejects "
                     "other types)")
        else:
            state = "readOnlyRootFilesystem is not set"
        yield Finding(where, f"{role} {c.name!r}: {state}, so a process in it can modify the image's files "
                             "and drop new executables; set it to true and mount volumes where it must write")
