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

:func:`parse_schedule` also returns what a schedule runs on (a
:class:`Schedule`), so :func:`max_runs_within` can count the runs that fit in
a window (the CronJob controller's missed-run count); ``allow_time_zone``
reads a ``TZ=``/``CRON_TZ=`` prefix as Kubernetes 1.26 and earlier accepted
it. :func:`time_zone_problem` checks ``spec.timeZone`` as validateTimeZone
does, against the IANA time zone database Python ships with (``zoneinfo``:
the system's database or the ``tzdata`` package).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

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


def _range(expr: str, field: str, low: int, high: int, names: dict[str, int] | None) -> tuple[int, int, int, bool]:
    """(start, end, step, star) of one list item, as robfig/cron's getRange reads it."""
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    single = len(low_and_high) == 1
    star = low_and_high[0] in ("*", "?")
    if star:
        start, end = low, high
    else:
        start = _number(low_and_high[0], names)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _number(low_and_high[1], names)
        else:
            raise ScheduleError(f"too many hyphens in {expr!r}")
    step = 1
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
    return start, end, step, star and step == 1  # a step clears the star bit


_DESCRIPTOR_FIELDS = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}
_DURATION_PART = re.compile(r"([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": Fraction(1, 10**9), "us": Fraction(1, 10**6), "µs": Fraction(1, 10**6),
                 "μs": Fraction(1, 10**6), "ms": Fraction(1, 1000), "s": Fraction(1), "m": Fraction(60),
                 "h": Fraction(3600)}
TIME_ZONE_PREFIXES = ("TZ=", "CRON_TZ=")


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule: a fixed interval (``@every``) or the five fields as sets of values.

    ``day_star`` and ``weekday_star`` are robfig/cron's star bits: when either
    day field is a plain ``*`` (or ``?``), a day must match both fields;
    otherwise it matches either (``0 0 1 * 1`` runs on the 1st and on Mondays).
    """

    every: Fraction | None = None
    minutes: frozenset[int] = frozenset()
    hours: frozenset[int] = frozenset()
    days: frozenset[int] = frozenset()
    months: frozenset[int] = frozenset()
    weekdays: frozenset[int] = frozenset()
    day_star: bool = False
    weekday_star: bool = False
    time_zone: str | None = None

    def runs_on(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        in_days = day.day in self.days
        in_weekdays = (day.isoweekday() % 7) in self.weekdays
        if self.day_star or self.weekday_star:
            return in_days and in_weekdays
        return in_days or in_weekdays


def _go_duration_seconds(text: str) -> Fraction:
    """The length of a Go duration that :data:`_GO_DURATION` accepts, in seconds."""
    sign = -1 if text.startswith("-") else 1
    total = Fraction(0)
    for number, unit in _DURATION_PART.findall(text.lstrip("+-")):
        total += Fraction(Decimal(number)) * _UNIT_SECONDS[unit]
    return sign * total


def parse_schedule(schedule: str, *, allow_time_zone: bool = False) -> Schedule:
    """Parse ``schedule`` as the API server does, or raise ScheduleError with the reason it rejects it.

    A ``TZ=<zone>`` or ``CRON_TZ=<zone>`` prefix is rejected unless
    ``allow_time_zone`` (Kubernetes 1.26 and earlier accepted it, with a
    warning); then it is read as robfig/cron reads it: the zone up to the
    first space, which time.LoadLocation must find.
    """
    if allow_time_zone and schedule.startswith(TIME_ZONE_PREFIXES):
        space = schedule.find(" ")
        if space < 0:
            raise ScheduleError("a time zone prefix must be followed by a space and the schedule")
        time_zone = schedule[schedule.index("=") + 1:space]
        known = time_zone_database()
        if time_zone not in ("", "UTC", "Local") and known and time_zone not in known:
            raise ScheduleError(f"provided bad location {time_zone}: unknown time zone {time_zone}")
        parsed = _parse(schedule[space:].strip())
        return Schedule(parsed.every, parsed.minutes, parsed.hours, parsed.days, parsed.months, parsed.weekdays,
                        parsed.day_star, parsed.weekday_star, time_zone)
    if "TZ" in schedule and not allow_time_zone:
        raise ScheduleError("a time zone in the schedule (TZ= or CRON_TZ=) is rejected; set spec.timeZone instead")
    return _parse(schedule)


def _parse(schedule: str) -> Schedule:
    """robfig/cron's standard parser, after any time zone prefix."""
    if not schedule:
        raise ScheduleError("the schedule is empty")
    if schedule.startswith("@"):
        if schedule in DESCRIPTORS:
            return _parse(_DESCRIPTOR_FIELDS[schedule])
        if schedule.startswith("@every "):
            duration = schedule[len("@every "):]
            if not _GO_DURATION.fullmatch(duration):
                raise ScheduleError(f"{duration!r} is not a duration (e.g. 90m, 1h30m)")
            # robfig/cron's Every: whole seconds, at least one
            return Schedule(every=max(Fraction(int(_go_duration_seconds(duration))), Fraction(1)))
        raise ScheduleError(f"unknown descriptor {schedule!r} (use @yearly, @monthly, @weekly, @daily, "
                            "@hourly or @every <duration>)")
    fields = [f for f in _FIELD_SEPARATOR.split(schedule) if f]
    if len(fields) != 5:
        raise ScheduleError(f"expected exactly 5 fields (minute hour day-of-month month day-of-week), "
                            f"found {len(fields)}")
    values: list[frozenset[int]] = []
    stars: list[bool] = []
    for text, (field, low, high, names) in zip(fields, _BOUNDS):
        found: set[int] = set()
        star = False
        for expr in (part for part in text.split(",") if part):
            start, end, step, is_star = _range(expr, field, low, high, names)
            found.update(range(start, end + 1, step))
            star = star or is_star
        values.append(frozenset(found))
        stars.append(star)
    return Schedule(None, values[0], values[1], values[2], values[3], values[4], stars[2], stars[4])


def check_schedule(schedule: str, *, allow_time_zone: bool = False) -> str | None:
    """Raise ScheduleError with a reason if the API server would reject ``schedule``;
    return the zone of an accepted ``TZ=``/``CRON_TZ=`` prefix (see :func:`parse_schedule`)."""
    return parse_schedule(schedule, allow_time_zone=allow_time_zone).time_zone


@lru_cache(maxsize=256)
def _run_days(schedule: Schedule, horizon_days: int) -> tuple[int, ...]:
    """The days (offsets from 2024-01-01) on which ``schedule`` runs, over ``horizon_days``: once per
    schedule in a run (repositories repeat a few schedules many times)."""
    start = date(2024, 1, 1)
    return tuple(offset for offset in range(horizon_days) if schedule.runs_on(start + timedelta(days=offset)))


@lru_cache(maxsize=1024)
def max_runs_within(schedule: Schedule, seconds: int, limit: int = 101, horizon_days: int = 4000) -> int:
    """The most runs of ``schedule`` that fall in any window of ``seconds`` (the half-open window
    ``(now - seconds, now]`` the CronJob controller counts missed runs in), up to ``limit``.

    Times are in UTC; runs are looked for over ``horizon_days`` from 2024-01-01
    (windows longer than that are cut to it).
    """
    if seconds <= 0:
        return 0
    if schedule.every is not None:
        fit = Fraction(seconds) / schedule.every
        runs = int(fit) if fit.denominator == 1 else int(fit) + 1
        return min(runs, limit)
    minutes_of_day = sorted(h * 60 + m for h in schedule.hours for m in schedule.minutes)
    run_days = _run_days(schedule, horizon_days)
    if not run_days or not minutes_of_day:
        return 0
    if seconds < 86400:
        # a window shorter than a day spans at most two days, and every run day has the same runs:
        # one day's runs, or those of two consecutive run days, say it all
        times = [minute * 60 for minute in minutes_of_day]
        best = _densest(times, seconds, limit)
        consecutive = set(run_days)
        if best < limit and any(day + 1 in consecutive for day in run_days):
            best = max(best, _densest(times + [t + 86400 for t in times], seconds, limit))
        return min(best, limit)
    if len(minutes_of_day) >= limit:
        return limit  # a window of a day or more holds a whole run day
    # at most limit - 1 runs a day: walking the runs themselves stays small
    return _densest([(day * 1440 + minute) * 60 for day in run_days for minute in minutes_of_day], seconds, limit)


def _densest(times: list[int], seconds: int, limit: int) -> int:
    """The most of the sorted ``times`` in any half-open window ``(t - seconds, t]``, up to ``limit``."""
    window: deque[int] = deque()
    best = 0
    for when in times:
        window.append(when)
        while window[0] <= when - seconds:
            window.popleft()
        if len(window) > best:
            best = len(window)
            if best >= limit:
                return limit
    return best


# time zones (spec.timeZone) -----------------------------------------------------------------------------------------

# https://data.iana.org/time-zones/theory.html#naming, with digits and '+' for legacy names
_ZONE_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")


@lru_cache(maxsize=1)
def time_zone_database() -> frozenset[str]:
    """The IANA time zone names Python knows (the system's database, or the ``tzdata`` package);
    empty when neither is installed, and then names are only checked for their form."""
    import zoneinfo
    try:
        return frozenset(zoneinfo.available_timezones())
    except OSError:  # pragma: no cover - an unreadable TZPATH entry
        return frozenset()


def time_zone_problem(zone: str) -> str | None:
    """Why the API server rejects ``spec.timeZone: zone`` (its message), or None if it accepts it.

    Mirrors validateTimeZone (pkg/apis/batch/validation/validation.go): not
    empty; each '/'-separated part 1-14 of ``[A-Za-z.-_0-9+]``, not '.' or '..'
    and not starting with '-'; not ``Local`` in any case; and a name
    time.LoadLocation finds in the IANA database (``UTC`` always).
    """
    if zone == "":
        return "timeZone must be nil or non-empty string"
    for part in zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not _ZONE_PART.fullmatch(part):
            return f"unknown time zone {zone}"
    if zone.lower() == "local":
        return "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
    known = time_zone_database()
    if zone != "UTC" and known and zone not in known:
        return f"unknown time zone {zone}"
    return None
