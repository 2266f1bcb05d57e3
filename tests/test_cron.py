"""CronJob schedules: k8slint.kube.cron accepts exactly what the API server accepts.

The API server parses ``spec.schedule`` with robfig/cron v3's standard parser
(``cron.ParseStandard``) and, on create, rejects any schedule that contains
``TZ``. These tests pin that grammar field by field: the bounds of each field
and the values just past them, names, steps, ranges, lists, ``?``, the ``@``
descriptors and the number of fields.
"""

from __future__ import annotations

import pytest

from k8slint.kube.cron import ScheduleError, check_schedule

FIELDS = ("minute", "hour", "day of month", "month", "day of week")
BOUNDS = {"minute": (0, 59), "hour": (0, 23), "day of month": (1, 31), "month": (1, 12), "day of week": (0, 6)}


def schedule_with(field: str, text: str) -> str:
    """A schedule that is ``*`` everywhere except ``field``."""
    parts = ["*"] * 5
    parts[FIELDS.index(field)] = text
    return " ".join(parts)


def accepts(schedule: str) -> None:
    check_schedule(schedule)


def rejects(schedule: str, reason: str | None = None) -> None:
    with pytest.raises(ScheduleError, match=reason):
        check_schedule(schedule)


# every field's range --------------------------------------------------------------------

@pytest.mark.parametrize("field", FIELDS)
def test_every_value_inside_a_fields_bounds_is_accepted(field):
    low, high = BOUNDS[field]
    for value in range(low, high + 1):
        accepts(schedule_with(field, str(value)))


@pytest.mark.parametrize("field", FIELDS)
def test_the_value_just_above_a_fields_maximum_is_rejected(field):
    low, high = BOUNDS[field]
    rejects(schedule_with(field, str(high + 1)), f"{field} {high + 1} is above the maximum {high}")


@pytest.mark.parametrize("field", [f for f in FIELDS if BOUNDS[f][0] > 0])
def test_zero_is_below_the_minimum_of_day_of_month_and_month(field):
    rejects(schedule_with(field, "0"), f"{field} 0 is below the minimum 1")


@pytest.mark.parametrize("field", FIELDS)
def test_the_full_range_of_a_field_is_accepted_and_one_more_is_not(field):
    low, high = BOUNDS[field]
    accepts(schedule_with(field, f"{low}-{high}"))
    rejects(schedule_with(field, f"{low}-{high + 1}"), f"{field} {high + 1} is above the maximum {high}")


@pytest.mark.parametrize("text", ["13", "1-13", "12-13", "13-13", "1,13", "13,1", "13/1", "dec-13", "6-13/2"])
def test_month_13_is_rejected_in_every_form(text):
    rejects(schedule_with("month", text))


@pytest.mark.parametrize("schedule", ["0 0 1 13 *", "0 0 31 13 *", "* * * 0-13 *"])
def test_month_13_is_rejected_in_whole_schedules(schedule):
    rejects(schedule)


def test_the_rule_reports_month_13(lint_text):
    report = lint_text('apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: report}\nspec:\n'
                       '  schedule: "0 0 1 13 *"\n')
    [finding] = [r for r in report.results if r.rule == "cronjob-invalid-schedule"]
    assert (finding.line, finding.path) == (5, "spec.schedule")
    assert "month 13 is above the maximum 12" in finding.message


def test_a_step_larger_than_the_month_range_is_not_a_month():
    accepts("0 0 1 */13 *")  # every 13th month from January: just January
    accepts("0 0 1 1-12/13 *")


@pytest.mark.parametrize("schedule", ["0 3 * * 7", "0 3 * * 0-7", "0 3 * * 5-7", "0 3 * * 1,7", "0 0 * * mon-7"])
def test_seven_is_not_sunday(schedule):
    # robfig/cron v3 bounds the day of week to 0-6 (Sunday is 0 only), unlike many crons
    rejects(schedule, "above the maximum 6")


def test_seven_for_sunday_says_what_to_write_instead():
    rejects("0 3 * * 7", r"use 0 for Sunday")


def test_other_out_of_range_values_do_not_mention_sunday():
    with pytest.raises(ScheduleError) as err:
        check_schedule("0 3 * 13 *")
    assert "Sunday" not in str(err.value)


@pytest.mark.parametrize("field", FIELDS)
def test_a_range_start_past_the_maximum_is_rejected_even_with_a_step(field):
    low, high = BOUNDS[field]
    rejects(schedule_with(field, f"{high + 1}/1"), "starts after it ends")  # N/STEP means N-max/STEP
    accepts(schedule_with(field, f"{high}/1"))


# names ----------------------------------------------------------------------------------

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


@pytest.mark.parametrize("name", MONTHS)
def test_month_names_in_any_case(name):
    for spelling in (name, name.upper(), name.capitalize()):
        accepts(schedule_with("month", spelling))


@pytest.mark.parametrize("name", DAYS)
def test_day_names_in_any_case(name):
    for spelling in (name, name.upper(), name.capitalize()):
        accepts(schedule_with("day of week", spelling))


@pytest.mark.parametrize("field, text", [
    ("month", "jan-dec"), ("month", "JAN-jun"), ("month", "1-mar"), ("month", "mar-12"), ("month", "jan/3"),
    ("month", "jan,jul"), ("day of week", "sun-sat"), ("day of week", "MON-FRI"), ("day of week", "1-fri"),
    ("day of week", "mon/2"), ("day of week", "sat,sun"),
])
def test_names_in_ranges_steps_and_lists(field, text):
    accepts(schedule_with(field, text))


@pytest.mark.parametrize("field, text", [
    ("month", "sat"),             # a day name in the month field
    ("day of week", "jan"),       # a month name in the day-of-week field
    ("minute", "jan"),            # names only in the month and day-of-week fields
    ("hour", "mon"),
    ("day of month", "mon"),
    ("month", "january"),         # three-letter names only
    ("day of week", "monday"),
    ("day of week", "thurs"),
    ("month", "dec-jan"),         # 12-1 starts after it ends
    ("day of week", "sat-sun"),
])
def test_names_where_they_do_not_belong(field, text):
    rejects(schedule_with(field, text))


# steps, ranges, lists, ? ----------------------------------------------------------------

@pytest.mark.parametrize("schedule", [
    "*/5 * * * *", "*/1 * * * *", "*/59 * * * *", "*/60 * * * *", "*/100 * * * *",  # a step past the range is fine
    "1-10/2 * * * *", "5/15 * * * *", "0 */2 * * *", "0 9-17/4 * * *", "0 0 1-31/7 * *", "0 0 * 1-12/3 *",
    "0 0 * * 0-6/2", "0 0 * * */2",
])
def test_steps(schedule):
    accepts(schedule)


@pytest.mark.parametrize("schedule", ["*/0 * * * *", "1-10/0 * * * *", "5/0 * * * *", "0 0 * * */0"])
def test_a_zero_step_is_rejected(schedule):
    rejects(schedule, "must be a positive number")


@pytest.mark.parametrize("schedule, reason", [
    ("*/-1 * * * *", "negative"),
    ("*/x * * * *", "not a number"),
    ("*/ * * * *", "not a number"),
    ("*/jan * * * *", "not a number"),
    ("0 0 * */feb *", "not a number"),   # a step is a number, never a name
    ("*/2/3 * * * *", "too many slashes"),
    ("1-5/2/1 * * * *", "too many slashes"),
])
def test_bad_steps(schedule, reason):
    rejects(schedule, reason)


@pytest.mark.parametrize("schedule", ["0-59 * * * *", "30-30 * * * *", "0 9-17 * * *", "0 0 1-15 * *",
                                      "0 0 * 3-9 *", "0 0 * * 1-5", "+5 * * * *", "+1-+5 * * * *", "00 05 * * 0"])
def test_ranges(schedule):
    accepts(schedule)


@pytest.mark.parametrize("schedule, reason", [
    ("5-1 * * * *", "starts after it ends"),
    ("0 17-9 * * *", "starts after it ends"),
    ("1-2-3 * * * *", "too many hyphens"),
    ("-5 * * * *", "not a number"),
    ("5- * * * *", "not a number"),
    ("0x5 * * * *", "not a number"),
    ("1.5 * * * *", "not a number"),
    ("L * * * *", "not a number"),
    ("0 0 L * *", "not a number"),      # Quartz extensions
    ("0 0 1W * *", "not a number"),
    ("0 0 * * MON#2", "not a number"),
    ("0 0 * * 5L", "not a number"),
    ("H * * * *", "not a number"),      # Jenkins' hash
])
def test_bad_ranges_and_numbers(schedule, reason):
    rejects(schedule, reason)


@pytest.mark.parametrize("schedule", ["0,15,30,45 * * * *", "0 9,12,18 * * *", "0 0 1,15,31 * *",
                                      "0 0 * 1,6,12 *", "0 0 * * 0,6", "1,,2 * * * *", "0 0-6,18-23 * * *",
                                      "0 0 1-7,*/10 * *"])
def test_lists(schedule):
    accepts(schedule)


@pytest.mark.parametrize("schedule", ["0,60 * * * *", "0 0 1,32 * *", "0 0 * 1,13 *", "0 0 * * 0,7", "0,x * * * *"])
def test_one_bad_list_item_rejects_the_field(schedule):
    rejects(schedule)


@pytest.mark.parametrize("schedule", ["0 0 ? * *", "0 0 * * ?", "? ? ? ? ?", "0 0 ?/5 * *"])
def test_question_mark_is_a_star_in_every_field(schedule):
    accepts(schedule)


# the @ descriptors ------------------------------------------------------------------------

@pytest.mark.parametrize("descriptor", ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight",
                                        "@hourly"])
def test_descriptors(descriptor):
    accepts(descriptor)


@pytest.mark.parametrize("schedule", ["@Daily", "@HOURLY", "@reboot", "@minutely", "@day", "@daily ",
                                      "@daily 0", "@"])
def test_unknown_or_misspelled_descriptors(schedule):
    rejects(schedule, "unknown descriptor")


def test_a_descriptor_after_white_space_is_read_as_fields():
    rejects(" @daily", "exactly 5 fields")


@pytest.mark.parametrize("schedule", ["@every 1h", "@every 1h30m", "@every 90s", "@every 1.5h", "@every .5h",
                                      "@every 5.s", "@every 0", "@every 300ms", "@every 10us", "@every 10µs",
                                      "@every 1h0m0s", "@every +1h", "@every -1m"])
def test_every_takes_a_go_duration(schedule):
    accepts(schedule)


@pytest.mark.parametrize("schedule", ["@every 5 minutes", "@every 1d", "@every 1w", "@every 1H", "@every 10",
                                      "@every 5.", "@every .s", "@every 1h 30m", "@every  1h", "@every h",
                                      "@every ١h"])
def test_every_rejects_what_go_cannot_parse(schedule):
    rejects(schedule, "not a duration")


def test_every_needs_its_duration():
    rejects("@every", "unknown descriptor")
    rejects("@every ", "not a duration")


# time zones ---------------------------------------------------------------------------------

@pytest.mark.parametrize("schedule", ["TZ=UTC 0 2 * * *", "CRON_TZ=Europe/Berlin 0 2 * * *", "TZ=UTC @daily",
                                      "CRON_TZ=UTC @every 1h", "0 2 * * * TZ=UTC"])
def test_a_time_zone_in_the_schedule_is_rejected(schedule):
    rejects(schedule, "spec.timeZone")


def test_a_lower_case_tz_prefix_is_just_a_sixth_field():
    rejects("tz=UTC 0 2 * * *", "exactly 5 fields")


# field counts, white space, empty ---------------------------------------------------------

@pytest.mark.parametrize("schedule, found", [
    ("*", 1), ("0 2", 2), ("0 2 *", 3), ("0 2 * *", 4), ("0 0 2 * * *", 6), ("0 0 2 * * * 2030", 7),
    ("   ", 0), ("\t\n", 0),
])
def test_exactly_five_fields(schedule, found):
    rejects(schedule, f"exactly 5 fields .* found {found}$")


def test_empty_schedule():
    rejects("", "empty")


@pytest.mark.parametrize("schedule", ["0  2 * * *", " 0 2 * * * ", "0\t2\t*\t*\t*", "0 2 * * *\n",
                                      "0\u00a02 * * *", "0\u30002 * * *"])
def test_fields_are_separated_by_any_white_space(schedule):
    accepts(schedule)


@pytest.mark.parametrize("schedule", ["0 2 * * *\x1c", "0\x1f2 * * *"])
def test_control_characters_python_calls_white_space_are_not_separators(schedule):
    # Go's strings.Fields does not split on \x1c-\x1f, so they stay inside a field
    rejects(schedule)


# numbers as Go's strconv.Atoi reads them ----------------------------------------------------

@pytest.mark.parametrize("schedule", ["٣ * * * *", "0 0 ١ * *", "０ ３ * * *", "*/٥ * * * *"])
def test_only_ascii_digits_are_numbers(schedule):
    rejects(schedule, "not a number")


def test_numbers_beyond_64_bits_are_rejected():
    rejects(f"*/{2**63} * * * *", "out of range")
    rejects(f"*/{10**30} * * * *", "out of range")
    accepts(f"*/{2**63 - 1} * * * *")  # a huge step is still a valid step


def test_leading_zeros_are_fine():
    accepts("000 0023 0031 0012 0006")
    rejects("0 0 0032 * *", "above the maximum 31")


def test_max_runs_within_equals_a_walk_over_every_run():
    """The shortcut for windows under a day (one or two run days say it all) gives the count
    a walk over every run gives, for schedules of every shape."""
    import random
    from collections import deque
    from datetime import date, timedelta

    from k8slint.kube.cron import max_runs_within, parse_schedule

    def walk(schedule, seconds, horizon_days=60, limit=101):
        window, best = deque(), 0
        minutes = sorted(h * 60 + m for h in schedule.hours for m in schedule.minutes)
        for offset in range(horizon_days):
            if schedule.runs_on(date(2024, 1, 1) + timedelta(days=offset)):
                for minute in minutes:
                    when = (offset * 1440 + minute) * 60
                    window.append(when)
                    while window[0] <= when - seconds:
                        window.popleft()
                    best = min(max(best, len(window)), limit)
        return best

    fields = [["*", "*/5", "0", "0,30", "1-10"], ["*", "0", "*/6", "9-17"], ["*", "1", "15", "31", "30"],
              ["*", "2", "1-6"], ["*", "0", "1-5", "0,6"]]
    rng = random.Random(7)
    for _ in range(400):
        schedule = parse_schedule(" ".join(rng.choice(f) for f in fields))
        seconds = rng.choice([1, 60, 61, 3600, 7200, 86399, 86400, 90000, 604800])
        assert max_runs_within(schedule, seconds, horizon_days=60) == walk(schedule, seconds), (schedule, seconds)
