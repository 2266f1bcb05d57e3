"""## What it does
Flags the pod template of a Job or CronJob whose `restartPolicy` is missing
or `Always`.

## Why is this bad?
A Job's pods must run to completion, so the API server accepts only
`OnFailure` or `Never`. A pod template without `restartPolicy` is defaulted
to `Always`, which a Job cannot use, and the Job (or the CronJob's Jobs) is
rejected. The two valid values differ: `OnFailure` restarts the container in
the same pod; `Never` creates a new pod for each retry (counted against
`backoffLimit`), which keeps the failed pods' logs around.

## How to fix
Choose how failures are retried:

```yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: OnFailure
      containers:
        - name: migrate
          image: registry.example.com/migrate:2.0.1
```

## Fix
`--fix` sets `restartPolicy: OnFailure` (safe: the API server rejects the Job
as it is, so no running behaviour changes; `OnFailure` retries in the same
pod, which is the closest to what the author meant by leaving it out).

## References
- Jobs, pod template and restart policy: https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-template
- Handling pod and container failures: https://kubernetes.io/docs/concepts/workloads/controllers/job/#handling-pod-and-container-failures
- Operations practice: a Job's restartPolicy should be OnFailure or Never; Deployments keep the default Always.
"""

from collections.abc import Iterator

from k8slint.engine import Context, Finding, rule
from k8slint.fix import Fix
from k8slint.model import K8sObject


@rule(scope="object", id="job-restart-policy", severity="error", category="correctness", applies_to={"Job", "CronJob"},
      fix_safety="safe", needs="pod",
      summary="A Job pod template without restartPolicy OnFailure or Never")
def check(obj: K8sObject, ctx: Context) -> Iterator[Finding]:
    pod = obj.pod
    assert pod is not None  # needs="pod"
    policy = pod.restart_policy
    where = pod.spec_path / "restartPolicy"
    fix = Fix.set(where, "OnFailure", "set restartPolicy: OnFailure")
    if policy is None:
        yield Finding(where, f"{obj.kind} {obj.name!r}: the pod template has no restartPolicy; it defaults to "
                             "Always, which the API server rejects for Jobs (use OnFailure or Never)", fix=fix)
    elif policy == "Always":
        yield Finding(where, f"{obj.kind} {obj.name!r}: restartPolicy Always is rejected for Jobs "
                             "(use OnFailure or Never)", fix=fix)
