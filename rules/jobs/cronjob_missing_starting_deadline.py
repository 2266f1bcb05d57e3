"""## What it does
Flags a CronJob without `spec.startingDeadlineSeconds`.

## Why is this bad?
Without a deadline the CronJob controller counts every schedule missed since
the last run, however long ago: after the controller was down, the cluster
was restored from an etcd backup, or the CronJob was suspended for a while.
It then starts the most recent missed run whenever it catches up, however
late: a nightly report that was due at 02:00 runs at 15:00, in business
hours, against a busy database. With more than 100 missed schedules the
controller also records a `TooManyMissedTimes` warning on every sync. (The
controller of Kubernetes 1.21 and earlier stopped starting Jobs altogether
at that point; the current one still starts the latest run.) A deadline
bounds how late a missed run may start, and keeps the count small.

Info, not a warning: the CronJob controller of every version k8slint targets
(1.25 and later) still starts the latest missed run, so nothing stops; what a
deadline buys is control over how late that run may be, which matters for
jobs tied to a time window (reports, backups against a live database) and
little for a job that runs every few minutes.

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
- Kubernetes source: the CronJob controller's most recent schedule time and its TooManyMissedTimes event (`pkg/controller/cronjob/utils.go`)
- Operations practice: set startingDeadlineSeconds so that runs missed during an outage (e.g. after restoring etcd) do not start at an arbitrary later moment.
"""

from k8slint.engine import Finding, Option, rule
from k8slint.fix import Fix


@rule(id="cronjob-missing-starting-deadline", severity="info", category="reliability", applies_to={"CronJob"},
      summary="A CronJob without startingDeadlineSeconds", fix_safety="safe",
      options={"fix-deadline-seconds": Option(300, "the startingDeadlineSeconds that --fix adds", "int")})
def check(obj, ctx):
    if obj.spec.get("startingDeadlineSeconds") is None:
        yield Finding(("spec", "startingDeadlineSeconds"),
                      f"CronJob {obj.name!r} has no startingDeadlineSeconds: after missed schedules (controller "
                      "downtime, an etcd restore, a long suspend) its latest run starts however late, and more "
                      "than 100 missed schedules give a TooManyMissedTimes warning on every sync",
                      fix=Fix.set(("spec", "startingDeadlineSeconds"), ctx.options["fix-deadline-seconds"],
                                  "add startingDeadlineSeconds"))
