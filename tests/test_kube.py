"""Kubernetes knowledge: CronJob schedules, sysctl classes, versions."""

from __future__ import annotations

import pytest

from k8slint.kube import sysctls, versions
from k8slint.kube.cron import ScheduleError, check_schedule


@pytest.mark.parametrize("schedule", [
    "* * * * *", "0 2 * * *", "*/15 * * * *", "0 0-23/2 * * *", "5/20 * * * *", "0 9 1,15 * *",
    "0 9 * jan-jun MON-fri", "0 0 ? * *", "0 0 1 */3 *", "1,,2 * * * *", "00 05 * * 0",
    "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
    "@every 1h30m", "@every 90s", "@every 1.5h", "@every 0", "0 0 * * 6", "+5 * * * *",
])
def test_schedules_the_api_server_accepts(schedule):
    check_schedule(schedule)


@pytest.mark.parametrize("schedule, reason", [
    ("", "empty"),
    ("0 2 * *", "exactly 5 fields"),
    ("0 0 2 * * *", "exactly 5 fields"),
    ("0 3 * * 7", "use 0 for Sunday"),
    ("60 * * * *", "above the maximum 59"),
    ("* 24 * * *", "above the maximum 23"),
    ("* * 0 * *", "below the minimum 1"),
    ("* * * 13 *", "above the maximum 12"),
    ("0 0 L * *", "not a number"),
    ("0 0 * * MON#2", "not a number"),
    ("0 0 1W * *", "not a number"),
    ("5-1 * * * *", "starts after it ends"),
    ("1-2-3 * * * *", "too many hyphens"),
    ("*/2/3 * * * *", "too many slashes"),
    ("*/0 * * * *", "positive"),
    ("H * * * *", "not a number"),
    ("@reboot", "unknown descriptor"),
    ("@daily ", "unknown descriptor"),
    (" @daily", "exactly 5 fields"),
    ("@every", "unknown descriptor"),
    ("@every 5 minutes", "not a duration"),
    ("@every 1d", "not a duration"),
    ("TZ=UTC 0 2 * * *", "spec.timeZone"),
    ("CRON_TZ=Europe/Berlin 0 2 * * *", "spec.timeZone"),
    ("0 0 * * mon-7", "above the maximum 6"),
])
def test_schedules_the_api_server_rejects(schedule, reason):
    with pytest.raises(ScheduleError, match=reason):
        check_schedule(schedule)


@pytest.mark.parametrize("name, namespace", [
    ("kernel.shm_rmid_forced", "IPC"), ("kernel.shmmax", "IPC"), ("kernel.msgmax", "IPC"), ("kernel.sem", "IPC"),
    ("fs.mqueue.msg_max", "IPC"), ("net.core.somaxconn", "network"), ("net/ipv4/conf/eth0.100/rp_filter", "network"),
    ("vm.max_map_count", None), ("fs.file-max", None), ("kernel.pid_max", None), ("kernel.semx", None),
    ("kernel.hostname", None), ("dev.raid.speed_limit_min", None),
])
def test_sysctl_namespaces(name, namespace):
    assert sysctls.namespace_of(name) == namespace


def test_safe_set_grows_with_versions():
    assert "net.ipv4.ip_local_reserved_ports" not in sysctls.safe_set((1, 26))
    assert "net.ipv4.ip_local_reserved_ports" in sysctls.safe_set((1, 27))
    assert "net.ipv4.tcp_keepalive_time" in sysctls.safe_set((1, 29))
    assert "net.ipv4.tcp_wmem" not in sysctls.safe_set((1, 31))
    assert len(sysctls.safe_set((1, 36))) == 12
    assert len(sysctls.safe_set((1, 37))) == 14 and "net.ipv4.tcp_notsent_lowat" in sysctls.safe_set((1, 37))


def test_kernel_versions_of_safe_sysctls():
    assert sysctls.parse_kernel("4.14.326-245.539.amzn2.x86_64") == (4, 14, 326)
    assert sysctls.kernel_too_old("net.ipv4.tcp_rmem", (4, 14)) == (4, 15)
    assert sysctls.kernel_too_old("net/ipv4/tcp_rmem", (4, 14)) == (4, 15)
    assert sysctls.kernel_too_old("net.ipv4.tcp_rmem", (4, 15)) is None
    assert sysctls.kernel_too_old("net.ipv4.tcp_rmem", None) is None  # unknown kernel: assumed new enough
    assert sysctls.kernel_too_old("net.ipv4.ip_local_port_range", (3, 10)) is None  # no minimum


def test_slash_names_are_normalized():
    assert sysctls.normalize("net/ipv4/conf/eth0.100/rp_filter") == "net.ipv4.conf.eth0/100.rp_filter"
    assert sysctls.normalize("net.ipv4.conf.eth0/100.rp_filter") == "net.ipv4.conf.eth0/100.rp_filter"
    assert sysctls.is_safe("net/ipv4/ip_local_port_range", (1, 20))


def test_allowed_patterns():
    assert sysctls.allowed_by("kernel.msgmax", ["kernel.msg*"])
    assert not sysctls.allowed_by("kernel.sem", ["kernel.msg*"])
    assert sysctls.allowed_by("net/core/somaxconn", ["net.core.somaxconn"])


def test_versions():
    known = versions.known()
    assert known == tuple(sorted(known, key=versions.parse)) and "1.30" in known
    assert versions.resolve(None) == versions.parse(known[-1])
    assert versions.resolve("v1.30.2") == (1, 30)
    with pytest.raises(ValueError, match="known versions"):
        versions.resolve("1.2")
    with pytest.raises(ValueError, match="not a Kubernetes version"):
        versions.resolve("latest")


def test_versions_match_the_bundled_schemas():
    import os

    import kubernetes_validate

    data = os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema")
    bundled = {d.split("-")[0][1:].rsplit(".", 1)[0] for d in os.listdir(data) if d.endswith("-local-strict")}
    assert set(versions.known()) == bundled
