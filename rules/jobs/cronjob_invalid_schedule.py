"""## What it does
Flags a CronJob `spec.schedule` or `spec.timeZone` that the API server
rejects. The schedule check
follows the parser the API server uses (robfig/cron's standard parser):
five fields (minute, hour, day of month, month, day of week) made of `*`,
`?`, numbers, names (`jan`-`dec`, `sun`-`sat`), ranges, steps and lists, or
one of `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`,
`@hourly`, `@every <duration>`.

Common mistakes it catches: a sixth (seconds) field, `7` for Sunday, Quartz
extensions such as `L`, `W` or `#`, values out of range (`60` minutes, day
`0`), and a time zone inside the schedule (`CRON_TZ=UTC 0 2 * * *`).

A time zone prefix (`TZ=` or `CRON_TZ=`) depends on the target version: the
API server rejects it on create since Kubernetes 1.27; 1.25 and 1.26
accepted it with a warning (flagged as a warning here: it is not officially
supported, the controller records `UnsupportedSchedule` events, and the
next upgrade rejects it), as long as its zone exists, the rest of the
schedule is valid and `spec.timeZone` is not set too.

`spec.timeZone` must name a zone of the IANA time zone database, as
validateTimeZone checks it: not empty, not `Local`, each `/`-separated part
of at most 14 letters, digits, `.`, `_`, `-` or `+`, and a zone
`time.LoadLocation` finds. Abbreviations and offsets are not zones: `CST`,
`GMT+8`, and `Asia/Beijing` (China's zone is `Asia/Shanghai`) are all
rejected. The zone names come from the IANA database Python ships with
(`zoneinfo`, from the system or the `tzdata` package); without either,
only the form of the name is checked.

## Why is this bad?
`kubectl apply` fails with `spec.schedule: Invalid value` or
`spec.timeZone: Invalid value: "Asia/Beijing": unknown time zone
Asia/Beijing`, so the CronJob (and everything else in the same apply, in
many pipelines) is not deployed. A time zone prefix used to be tolerated and
is rejected today: the time zone belongs in `spec.timeZone`.

## How to fix
Write a five-field schedule, and put the time zone in its own field:

```yaml
spec:
  schedule: "30 2 * * 1-5"     # 02:30 on weekdays
  timeZone: "Asia/Shanghai"    # an IANA zone: not CST, GMT+8 or Asia/Beijing
```

## References
- CronJob schedule syntax: https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
- Time zones: https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones
- robfig/cron v3 standard parser: https://pkg.go.dev/github.com/robfig/cron/v3
- validateScheduleFormat and validateTimeZone: https://github.com/kubernetes/kubernetes/blob/master/pkg/apis/batch/validation/validation.go
- IANA time zone database: https://www.iana.org/time-zones
"""

from k8slint.engine import Finding, rule
from k8slint.kube.cron import ScheduleError, check_schedule, time_zone_problem

#: the first version whose API server rejects TZ= and CRON_TZ= in a new CronJob's schedule
TIME_ZONE_PREFIX_REJECTED = (1, 27)


@rule(id="cronjob-invalid-schedule", severity="error", category="correctness", applies_to={"CronJob"},
      summary="A CronJob schedule or time zone the API server rejects")
def check(obj, ctx):
    time_zone = obj.spec.get("timeZone")
    if "timeZone" in obj.spec and time_zone is not None and isinstance(time_zone, str):
        # validateTimeZone (pkg/apis/batch/validation/validation.go)
        problem = time_zone_problem(time_zone)
        if problem:
            yield Finding(("spec", "timeZone"), f"CronJob {obj.name!r}: invalid timeZone {time_zone!r}: {problem}"
                          + (" (China's zone is 'Asia/Shanghai')" if time_zone in CHINA_MISTAKES else ""))
    schedule = obj.spec.get("schedule")
    if schedule is None:
        return  # a missing required field is schema validation's to report
    if not isinstance(schedule, str):
        yield Finding(("spec", "schedule"), f"schedule {schedule!r} must be a string; quote it")
        return
    allow_prefix = tuple(ctx.kube_version) < TIME_ZONE_PREFIX_REJECTED
    try:
        prefix = check_schedule(schedule, allow_time_zone=allow_prefix)
    except ScheduleError as err:
        yield Finding(("spec", "schedule"), f"invalid schedule {schedule!r}: {err}")
        return
    if "TZ" in schedule and allow_prefix:
        # validateScheduleFormat before 1.27: accepted, unless spec.timeZone is set too
        if time_zone is not None:
            yield Finding(("spec", "schedule"), f"invalid schedule {schedule!r}: cannot use both timeZone field "
                                                "and TZ or CRON_TZ in schedule")
        else:
            yield Finding(("spec", "schedule"),
                          f"schedule {schedule!r}: a time zone in the schedule ({schedule.split(' ', 1)[0]}) is accepted by "
                          "Kubernetes 1.26 and earlier with a warning, not officially supported, and rejected on "
                          f"create from 1.27: write the five fields and set timeZone: {prefix or 'UTC'!r}",
                          severity="warning")


#: zones people in China write for China Standard Time
CHINA_MISTAKES = frozenset({"Asia/Beijing", "CST", "GMT+8", "UTC+8", "Beijing", "China", "Asia/China",
                            "GMT+08:00", "UTC+08:00", "CST+8", "Asia/Peking"})
