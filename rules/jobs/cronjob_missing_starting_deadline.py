"""## What it does
Flags a CronJob without `spec.startingDeadlineSeconds`, and checks the
value when there is one:

- negative: the API server rejects the CronJob (an error; ValidateNonnegativeField
  in validateCronJobSpec);
- under 10 seconds: the CronJob controller looks at CronJobs about every 10
  seconds, so a run whose deadline has passed by then is skipped, and the
  controller may miss every run (a warning);
- so long that more than 100 runs of the schedule fit in it: after an
  outage the controller counts every missed run in the window and records a
  `TooManyMissedTimes` warning event on every sync (a warning). The count
  is exact for the schedule (in UTC), over windows anywhere in the year.

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
- Starting deadline under 10 seconds: https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#cron-job-limitations
- CronJob limitations, "more than 100 missed schedules": https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#cron-job-limitations
- Deadline for delayed Job start: https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#starting-deadline
- Kubernetes source: the CronJob controller's most recent schedule time and its TooManyMissedTimes event (`pkg/controller/cronjob/utils.go`)
- Operations practice: set startingDeadlineSeconds so that runs missed during an outage (e.g. after restoring etcd) do not start at an arbitrary later moment.
"""

from k8slint.engine import Finding, Option, rule
from k8slint.fix import Fix
from k8slint.kube.cron import ScheduleError, max_runs_within, parse_schedule


#: how often the CronJob controller looks at each CronJob, about (the docs' "every 10 seconds")
SYNC_SECONDS = 10
#: more missed runs than this in the deadline window and the controller records TooManyMissedTimes
MISSED_RUNS_LIMIT = 100


@rule(scope="object", id="cronjob-missing-starting-deadline", severity="info", category="reliability", applies_to={"CronJob"},
      summary="A CronJob without startingDeadlineSeconds, or with one that misses runs",
      fix_safety="safe",
      options={"fix-deadline-seconds": Option(300, "the startingDeadlineSeconds that --fix adds", "int")})
def check(obj, ctx):
    deadline = obj.spec.get("startingDeadlineSeconds")
    where = ("spec", "startingDeadlineSeconds")
    if deadline is None:
        yield Finding(where,
                      f"CronJob {obj.name!r} has no startingDeadlineSeconds: after missed schedules (controller "
                      "downtime, an etcd restore, a long suspend) its latest run starts however late, and more "
                      "than 100 missed schedules give a TooManyMissedTimes warning on every sync",
                      fix=Fix.set(where, ctx.options["fix-deadline-seconds"], "add startingDeadlineSeconds"))
        return
    if not isinstance(deadline, int) or isinstance(deadline, bool):
        return  # a wrong type is schema validation's to report
    if deadline < 0:
        yield Finding(where, f"CronJob {obj.name!r}: startingDeadlineSeconds {deadline} is negative: the API "
                             "server rejects it (spec.startingDeadlineSeconds: Invalid value: must be greater than "
                             "or equal to 0)", severity="error")
    elif deadline < SYNC_SECONDS:
        yield Finding(where, f"CronJob {obj.name!r}: startingDeadlineSeconds {deadline} is under {SYNC_SECONDS} "
                             f"seconds: the CronJob controller checks CronJobs about every {SYNC_SECONDS} seconds, "
                             "so a run can be past its deadline before the controller sees it, and every run may "
                             "be skipped", severity="warning")
    else:
        runs = _runs_within(obj, deadline)
        if runs is not None and runs > MISSED_RUNS_LIMIT:
            yield Finding(where, f"CronJob {obj.name!r}: startingDeadlineSeconds {deadline} spans more than "
                                 f"{MISSED_RUNS_LIMIT} runs of schedule {obj.spec.get('schedule')!r}: after an "
                                 "outage the controller counts them all and records a TooManyMissedTimes warning "
                                 "on every sync; use a deadline shorter than "
                                 f"{MISSED_RUNS_LIMIT} intervals between runs", severity="warning")


def _runs_within(obj, seconds: int) -> int | None:
    """The most runs of the CronJob's schedule in a window of ``seconds`` (up to 101), None if unknown."""
    schedule = obj.spec.get("schedule")
    if not isinstance(schedule, str):
        return None
    try:
        parsed = parse_schedule(schedule, allow_time_zone=True)
    except ScheduleError:
        return None  # cronjob-invalid-schedule's to report
    return max_runs_within(parsed, seconds, limit=MISSED_RUNS_LIMIT + 1)
