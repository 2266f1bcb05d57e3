"""## What it does
Flags a CronJob `spec.schedule` that the API server rejects. The check
follows the parser the API server uses (robfig/cron's standard parser):
five fields (minute, hour, day of month, month, day of week) made of `*`,
`?`, numbers, names (`jan`-`dec`, `sun`-`sat`), ranges, steps and lists, or
one of `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`,
`@hourly`, `@every <duration>`.

Common mistakes it catches: a sixth (seconds) field, `7` for Sunday, Quartz
extensions such as `L`, `W` or `#`, values out of range (`60` minutes, day
`0`), and a time zone inside the schedule (`CRON_TZ=UTC 0 2 * * *`).

## Why is this bad?
`kubectl apply` fails with `spec.schedule: Invalid value`, so the CronJob
(and everything else in the same apply, in many pipelines) is not deployed.
A time zone prefix used to be tolerated and is rejected today: the time zone
belongs in `spec.timeZone`.

## How to fix
Write a five-field schedule, and put the time zone in its own field:

```yaml
spec:
  schedule: "30 2 * * 1-5"     # 02:30 on weekdays
  timeZone: "Europe/Berlin"
```

## References
- CronJob schedule syntax: https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
- Time zones: https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones
- robfig/cron v3 standard parser: https://pkg.go.dev/github.com/robfig/cron/v3
"""

from k8slint.engine import Finding, rule
from k8slint.kube.cron import ScheduleError, check_schedule


@rule(id="cronjob-invalid-schedule", severity="error", category="correctness", applies_to={"CronJob"},
      summary="A CronJob schedule the API server rejects")
def check(obj, ctx):
    schedule = obj.spec.get("schedule")
    if schedule is None:
        return  # a missing required field is schema validation's to report
    if not isinstance(schedule, str):
        yield Finding(("spec", "schedule"), f"schedule {schedule!r} must be a string; quote it")
        return
    try:
        check_schedule(schedule)
    except ScheduleError as err:
        yield Finding(("spec", "schedule"), f"invalid schedule {schedule!r}: {err}")
