"""Helpers shared by the Pod Security Standards rules (not a rule)."""

from k8slint.model import Container


def describe(container: Container) -> str:
    """How a message names a container: ``init container 'setup'``."""
    return container.describe()


BASELINE = "Baseline"
RESTRICTED = "Restricted"


def because(level: str, reason: str) -> str:
    """The message suffix naming the level and the control: ``(Pod Security Standards, Baseline: ...)``."""
    return f"(Pod Security Standards, {level}: {reason})"


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def version_at_least(ctx, major: int, minor: int) -> bool:
    return tuple(ctx.kube_version) >= (major, minor)


def non_default_proc_mount(container):
    """The container's procMount when it is set to something other than Default, else None."""
    value = container.security_context.get("procMount")
    return value if isinstance(value, str) and value and value != "Default" else None


#: the capabilities the Baseline level lets a container add (the runtime's defaults without NET_RAW)
BASELINE_CAPABILITIES = frozenset({"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
                                   "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"})
