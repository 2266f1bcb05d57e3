"""## What it does
Flags a CronJob without `spec.startingDeadlineSeconds`.

## Why is this bad?
Without a deadline the CronJob controller counts every schedule missed since
the last run, however long ago: after the controller was down, the cluster
was restored from an etcd backup, or the CronJob was suspended for a while.
With more than 100 missed schedules it reports `TooManyMissedTimes`, and the
documented behaviour is that it stops starting Jobs for that CronJob until
someone intervenes; at best, a run that was due hours ago starts late, at an
arbitrary moment. A deadline bounds the window in which a missed run may
still start and keeps the count of missed schedules small.

## How to fix
Set a deadline shorter than the interval between runs (and at least 10
seconds, the controller's sync period):

```yaml
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-report
spec:
  schedule: "0 2 * * *"
  startingDeadlineSeconds: 600   # a run more than 10 minutes late is skipped
  jobTemplate:
    ...
```

## Fix
`--fix` adds `startingDeadlineSeconds` with the value of the
`fix-deadline-seconds` option (default 300: a run that is more than five
minutes late is skipped). Safe: it changes nothing while the CronJob is on
time; choose a value shorter than the interval between runs.

## References
- CronJob limitations, "more than 100 missed schedules": https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#cron-job-limitations
- Deadline for delayed Job start: https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#starting-deadline
- Operations practice: set startingDeadlineSeconds so a CronJob keeps scheduling after more than 100 missed runs (e.g. after restoring etcd).
"""

from k8slint.engine import Finding, Option, rule
from k8slint.fix import Fix


@rule(id="cronjob-missing-starting-deadline", severity="warning", category="reliability", applies_to={"CronJob"},
      summary="A CronJob without startingDeadlineSeconds", fix_safety="safe",
      options={"fix-deadline-seconds": Option(300, "the startingDeadlineSeconds that --fix adds", "int")})
def check(obj, ctx):
    if obj.spec.get("startingDeadlineSeconds") is None:
        yield Finding(("spec", "startingDeadlineSeconds"),
                      f"CronJob {obj.name!r} has no startingDeadlineSeconds: after more than 100 missed "
                      "schedules (controller downtime, etcd restore, a long suspend) it stops being scheduled",
                      fix=Fix.set(("spec", "startingDeadlineSeconds"), ctx.options["fix-deadline-seconds"],
                                  "add startingDeadlineSeconds"))
