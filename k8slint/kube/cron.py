"""CronJob schedules, accepted or rejected exactly as the API server does.

The API server validates ``spec.schedule`` with ``cron.ParseStandard`` from
robfig/cron v3 and refuses any schedule containing ``TZ`` (``TZ=`` and
``CRON_TZ=`` prefixes; the time zone belongs in ``spec.timeZone``). General
cron libraries accept more than that parser (seconds fields, ``L``, ``#``,
``7`` for Sunday, ``H``), so a linter built on them would pass schedules the
cluster rejects; this module follows robfig/cron's grammar instead:

- five fields: minute (0-59), hour (0-23), day of month (1-31),
  month (1-12 or ``jan``-``dec``), day of week (0-6 or ``sun``-``sat``);
- each field a comma-separated list of ``*``, ``?``, ``N``, ``N-M``, with an
  optional ``/STEP`` (``N/STEP`` means ``N-max/STEP``); names are
  case-insensitive and may be used in ranges;
- or one of ``@yearly @annually @monthly @weekly @daily @midnight @hourly``
  or ``@every <Go duration>``.
"""

from __future__ import annotations

import re

_BOUNDS = (
    ("minute", 0, 59, None),
    ("hour", 0, 23, None),
    ("day of month", 1, 31, None),
    ("month", 1, 12, {m: i + 1 for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}),
    ("day of week", 0, 6, {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}),
)
DESCRIPTORS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})

# Go's time.ParseDuration: [-+]? then one or more <decimal><unit>, or "0" (ASCII digits only)
_GO_DURATION = re.compile(r"[-+]?(?:0|(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+)")
# strconv.Atoi: optional sign, ASCII decimal digits, within int64
_ATOI = re.compile(r"[+-]?[0-9]+")
_INT64_MAX = 2**63 - 1
# strings.Fields splits on Unicode white space, which, unlike str.split(), leaves out \x1c-\x1f
_FIELD_SEPARATOR = re.compile(r"[^\S\x1c-\x1f]+")


class ScheduleError(ValueError):
    pass


def _number(text: str, names: dict[str, int] | None) -> int:
    if names is not None and text.lower() in names:
        return names[text.lower()]
    if not _ATOI.fullmatch(text):
        raise ScheduleError(f"{text!r} is not a number" + (" or a name" if names else ""))
    value = int(text)
    if abs(value) > _INT64_MAX:
        raise ScheduleError(f"{text!r} is out of range")
    if value < 0:
        raise ScheduleError(f"negative number ({value}) not allowed")
    return value


def _range(expr: str, field: str, low: int, high: int, names: dict[str, int] | None) -> None:
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    single = len(low_and_high) == 1
    if low_and_high[0] in ("*", "?"):
        start, end = low, high
    else:
        start = _number(low_and_high[0], names)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _number(low_and_high[1], names)
        else:
            raise ScheduleError(f"too many hyphens in {expr!r}")
    if len(range_and_step) == 2:
        step = _number(range_and_step[1], None)
        if single:
            end = high
        if step == 0:
            raise ScheduleError(f"step of {expr!r} must be a positive number")
    elif len(range_and_step) > 2:
        raise ScheduleError(f"too many slashes in {expr!r}")
    if start < low:
        raise ScheduleError(f"{field} {start} is below the minimum {low} in {expr!r}")
    if end > high:
        raise ScheduleError(f"{field} {end} is above the maximum {high} in {expr!r}"
                            + (" (use 0 for Sunday)" if field == "day of week" and end == 7 else ""))
    if start > end:
        raise ScheduleError(f"range {expr!r} starts after it ends")


def check_schedule(schedule: str) -> None:
    """Raise ScheduleError with a reason if the API server would reject ``schedule``."""
    if "TZ" in schedule:
        raise ScheduleError("a time zone in the schedule (TZ= or CRON_TZ=) is rejected; set spec.timeZone instead")
    if not schedule:
        raise ScheduleError("the schedule is empty")
    if schedule.startswith("@"):
        if schedule in DESCRIPTORS:
            return
        if schedule.startswith("@every "):
            duration = schedule[len("@every "):]
            if not _GO_DURATION.fullmatch(duration):
                raise ScheduleError(f"{duration!r} is not a duration (e.g. 90m, 1h30m)")
            return
        raise ScheduleError(f"unknown descriptor {schedule!r} (use @yearly, @monthly, @weekly, @daily, "
                            "@hourly or @every <duration>)")
    fields = [f for f in _FIELD_SEPARATOR.split(schedule) if f]
    if len(fields) != 5:
        raise ScheduleError(f"expected exactly 5 fields (minute hour day-of-month month day-of-week), "
                            f"found {len(fields)}")
    for text, (field, low, high, names) in zip(fields, _BOUNDS):
        for expr in (part for part in text.split(",") if part):
            _range(expr, field, low, high, names)
