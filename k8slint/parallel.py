"""Work split over the CPUs: the parse of many files, the rules over many objects.

A large run splits its work in parts. The process keeps the first part for
itself and gives each other part to a child it forks: a child starts with a
copy of everything the process holds (the files read, the graph built), so
nothing but the answers crosses between processes, and the answers come back
in the order of the parts. A run therefore gives the same results, in the same
order, whatever the number of jobs.

Forking is what makes this cheap, so it is used where the platform offers it
safely (Linux and the other POSIX systems but macOS); elsewhere, and for
``--jobs 1``, everything runs in the process itself. A part whose child fails
(killed, out of memory) is done again in the process, so a failure costs time,
never results.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

#: below this much YAML to parse, forking costs more than it saves: ``bench/parallel.py`` put the break-even
#: of a whole run near 100 objects (0.2 MB) on 2 CPUs on 2026-11-30, and these thresholds sit at twice that
MIN_PARSE_BYTES = 400_000
#: below this many objects, running the rules in several processes costs more than it saves
MIN_RULE_OBJECTS = 200



def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether parts may go to forked children here (not on Windows; not on macOS, whose system
    libraries are not safe in a forked child)."""
    return hasattr(os, "fork") and sys.platform != "darwin"


def jobs_for(requested: int | None) -> int:
    """How many processes a run may use: ``requested`` (``--jobs``), else every available CPU;
    1 where children cannot be forked."""
    jobs = requested if requested is not None else available_cpus()
    return max(1, jobs) if jobs > 1 and can_fork() else 1


def split(sizes: Sequence[int], parts: int) -> list[list[int]]:
    """Indexes of ``sizes`` in ``parts`` contiguous runs of about equal total size (fewer when
    there are fewer items); the order of the indexes is kept."""
    total = sum(sizes)
    parts = max(1, min(parts, len(sizes)))
    out: list[list[int]] = [[] for _ in range(parts)]
    done = 0
    for i, size in enumerate(sizes):
        # the part this item's middle falls in, never before the previous item's
        part = min(parts - 1, int((done + size / 2) * parts / total)) if total else i * parts // len(sizes)
        out[part].append(i)
        done += size
    return [p for p in out if p]


def run_parts(work: Callable[[int], T], parts: int) -> list[T]:
    """``[work(0), work(1), ..., work(parts - 1)]``: ``work(0)`` in this process, the others in
    forked children at the same time, each sending its answer back pickled through a pipe. A part
    whose child fails (an exception, a signal, an answer that cannot be pickled) is done again here."""
    import pickle

    children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
    for index in range(1, parts):
        try:
            read, write = os.pipe()
        except OSError:
            break
        try:
            pid = os.fork()
        except OSError:  # a process limit, no memory: the parts left are done here
            os.close(read)
            os.close(write)
            break
        if pid == 0:  # the child: answer, and leave without running any of the parent's exit handlers
            status = 1
            try:
                os.close(read)
                for _, other in children:
                    os.close(other)
                with os.fdopen(write, "wb") as out:
                    pickle.dump(work(index), out, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        children.append((pid, read))
    answers: list[T] = [work(0)]
    for index, (pid, read) in enumerate(children, 1):
        with os.fdopen(read, "rb") as answer:
            data = answer.read()
        _, status = os.waitpid(pid, 0)
        try:
            if status != 0:
                raise ChildProcessError(status)
            answers.append(pickle.loads(data))
        except Exception:
            answers.append(work(index))
    answers.extend(work(index) for index in range(len(answers), parts))  # parts no child could take
    return answers
