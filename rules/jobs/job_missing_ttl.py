"""## What it does
Flags a standalone Job without `spec.ttlSecondsAfterFinished`.

Stays silent for Jobs that something else cleans up: Jobs owned by a CronJob
(its history limits govern them), Helm hooks (`helm.sh/hook`; Helm deletes a
hook before creating it again by default) and Argo CD hooks with a
`argocd.argoproj.io/hook-delete-policy`.

## Why is this bad?
A finished Job and its Pods stay in the cluster until someone deletes them.
Their names block re-applying the same manifest (a Job's pod template is
immutable, so `kubectl apply` of a changed Job fails), and finished Pods pile
up in the namespace. `ttlSecondsAfterFinished` lets the TTL controller delete
the Job (and its Pods) a set time after it completes or fails.

## How to fix
Keep the Job long enough to read its status and logs, then let it go:

```yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
spec:
  ttlSecondsAfterFinished: 3600   # deleted an hour after it finishes
  template:
    ...
```

## Fix
`--fix` adds `ttlSecondsAfterFinished` with the value of the `fix-ttl-seconds`
option (default 86400: the finished Job and its Pods, with their logs, stay a
day). Safe: it changes nothing while the Job runs.

## References
- Automatic cleanup for finished Jobs: https://kubernetes.io/docs/concepts/workloads/controllers/ttlafterfinished/
- Operations practice: without ttlSecondsAfterFinished a Job is never deleted automatically; 0 deletes it as soon as it finishes.
"""

from k8slint.engine import Finding, Option, rule
from k8slint.fix import Fix


@rule(scope="object", id="job-missing-ttl", severity="warning", category="efficiency", applies_to={"Job"},
      summary="A standalone Job that is never cleaned up", fix_safety="safe",
      options={"fix-ttl-seconds": Option(86400, "the ttlSecondsAfterFinished that --fix adds", "int")})
def check(obj, ctx):
    if obj.spec.get("ttlSecondsAfterFinished") is not None or "CronJob" in obj.owner_kinds:
        return
    annotations = obj.annotations
    if "helm.sh/hook" in annotations or "argocd.argoproj.io/hook-delete-policy" in annotations:
        return
    yield Finding(("spec", "ttlSecondsAfterFinished"),
                  f"Job {obj.name!r} has no ttlSecondsAfterFinished: it and its Pods stay in the cluster "
                  "after it finishes",
                  fix=Fix.set(("spec", "ttlSecondsAfterFinished"), ctx.options["fix-ttl-seconds"],
                              "add ttlSecondsAfterFinished"))
