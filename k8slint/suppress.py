"""Suppressions and baselines, applied to located findings.

- Object annotation ``ignore.k8slint.io/<rule-id>: "<reason>"``.
- Line comment ``# k8slint: ignore[rule-id, ...] <reason>`` on the finding's
  line or on the line above it.
- Configuration ``exemptions:`` (path globs, namespaces, kinds, names, rules),
  each with a reason and an optional ``until`` date after which it expires.
- Configuration ``per-path:`` ignores: those findings are not reported at all.
- A baseline file: findings recorded in it are not reported.

A suppression without a reason is reported (``suppression-without-reason``),
and so is one that matches nothing (``unused-suppression``) and an exemption
past its date (``exemption-expired``). Suppressed findings are kept, with
their reason, for SARIF and the summary.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .engine import Result, object_identity
from .findings import written_namespace
from .load import locate
from .load.discover import excluded
from .model import object_path
from .paths import render

if TYPE_CHECKING:
    from .config import Config, Exemption
    from .load import Source
    from .model import K8sObject
    from .registry import Registry
    from .settings import Settings

ANNOTATION = "ignore.k8slint.io/"
COMMENT = re.compile(r"#\s*k8slint:\s*ignore\[([^\]]*)\](.*)$")
_NEXT_COMMENT = re.compile(r"\s{2,}#")


def comment_reason(rest: str) -> str:
    """The reason after ``ignore[...]``: to the end of the line, or to a further
    comment separated by two spaces (``... reason  # another comment``)."""
    return _NEXT_COMMENT.split(" " + rest, maxsplit=1)[0].strip()


def _diagnostic(rule: str, severity: str, message: str, file: str, line: int | None, column: int | None,
                source: Source | None = None, path: Iterable[str | int] = (), obj: dict[str, Any] | None = None,
                template: str | None = None) -> Result:
    return Result(rule, severity, message, file, line, column, render(path), obj, template, source)


class Suppressor:
    def __init__(self, registry: Registry, settings: Settings, config: Config | None = None,
                 today: datetime.date | None = None, outside: Iterable[K8sObject] = ()) -> None:
        self.registry = registry
        self.settings = settings
        self.config = config
        self.today = today or datetime.date.today()
        self.diagnostics: list[Result] = []
        #: objects the run knows of but does not lint (the repository's context of a pre-commit run)
        self.outside = outside

    def _active(self, rule_id: str) -> bool:
        rule = self.registry.rules.get(rule_id)
        return rule is not None and self.settings.is_active(rule, self.registry)

    def _emit(self, rule_id: str, *args: Any, **kwargs: Any) -> None:
        # args and kwargs: those of _diagnostic after the severity
        if rule_id in self.registry and self.settings.is_active(self.registry[rule_id], self.registry):
            severity = self.settings.severity_of(self.registry[rule_id])
            self.diagnostics.append(_diagnostic(rule_id, severity, *args, **kwargs))

    def _unknown_or_unused(self, rule_id: str, what: str) -> str:
        if rule_id not in self.registry:
            return f"{what} names an unknown rule {rule_id!r}"
        return f"{what} for {rule_id} matches no finding"

    # ------------------------------------------------------------------------------
    def apply(self, results: list[Result], objects: list[K8sObject], sources: list[Source]) \
            -> tuple[list[Result], list[Result]]:
        """Split results into (reported, suppressed); diagnostics go to self.diagnostics."""
        results = self._per_path(results)
        self._annotations(results, objects)
        self._comments(results, sources)
        self._exemptions(results)
        reported = [r for r in results if r.suppression is None]
        suppressed = [r for r in results if r.suppression is not None]
        return reported, suppressed

    def _per_path(self, results: list[Result]) -> list[Result]:
        config = self.config
        if config is None:
            return results
        entries = config.get("per-path") or []
        if not entries:
            return results
        kept = []
        for r in results:
            rel = config.relative(r.source.path) if r.source is not None and r.source.path else r.file
            if any(r.rule in e["ignore"] and excluded(rel, e["paths"]) for e in entries):
                continue
            kept.append(r)
        return kept

    def _annotations(self, results: list[Result], objects: list[K8sObject]) -> None:
        by_object: dict[int, list[Result]] = {}
        for r in results:
            if r.obj is not None and r.suppression is None:
                by_object.setdefault(id(r.obj), []).append(r)
        for obj in objects:
            annotations = obj.annotations
            if not annotations:
                continue
            for key, reason in annotations.items():
                if not isinstance(key, str) or not key.startswith(ANNOTATION):
                    continue
                rule_id = key[len(ANNOTATION):]
                path = ("metadata", "annotations", key)
                doc = obj.document
                line, column, _ = locate(doc, object_path(obj, path))
                identity = object_identity(obj)
                reason_text = reason.strip() if isinstance(reason, str) else ""
                if not reason_text:
                    self._emit("suppression-without-reason",
                               f"annotation {key} suppresses {rule_id} without saying why; write the reason "
                               "as its value", doc.source.display, line, column, doc.source, path, identity,
                               doc.template)
                used = False
                for r in by_object.get(id(obj), ()):
                    if r.rule == rule_id and r.suppression is None:
                        r.suppression = {"kind": "annotation", "reason": reason_text, "where": key}
                        used = True
                if not used and (rule_id not in self.registry or self._active(rule_id)):
                    self._emit("unused-suppression", self._unknown_or_unused(rule_id, f"annotation {key}"),
                               doc.source.display, line, column, doc.source, path, identity, doc.template)

    def _comments(self, results: list[Result], sources: list[Source]) -> None:
        by_file: dict[int, list[Result]] = {}
        for r in results:
            if r.source is not None and r.suppression is None:
                by_file.setdefault(id(r.source), []).append(r)
        for source in sources:
            text = source.text
            if not text or "k8slint:" not in text:
                continue
            for number in range(1, text.count("\n") + 2):
                line = source.line(number)
                if line is None:
                    break
                if "k8slint:" not in line:
                    continue
                m = COMMENT.search(line)
                if not m:
                    continue
                rule_ids = [x.strip() for x in m.group(1).split(",") if x.strip()]
                reason = comment_reason(m.group(2))
                column = m.start() + 1
                if not reason:
                    self._emit("suppression-without-reason",
                               "this k8slint: ignore[...] comment does not say why; write the reason after it",
                               source.display, number, column, source)
                for rule_id in rule_ids:
                    used = False
                    for r in by_file.get(id(source), ()):
                        if r.rule == rule_id and r.line in (number, number + 1) and r.suppression is None:
                            r.suppression = {"kind": "comment", "reason": reason, "where": f"line {number}"}
                            used = True
                    if not used and (rule_id not in self.registry or self._active(rule_id)):
                        self._emit("unused-suppression",
                                   self._unknown_or_unused(rule_id, "the ignore comment"),
                                   source.display, number, column, source)

    def _exemptions(self, results: list[Result]) -> None:
        config = self.config
        if config is None or not config.exemptions:
            return
        shown = config.display
        live = []
        for ex in config.exemptions:
            if ex.until and datetime.date.fromisoformat(ex.until) < self.today:
                self._emit("exemption-expired",
                           f"this exemption expired on {ex.until} and no longer applies ({ex.reason})",
                           shown, ex.line, 1, config.source)
            else:
                live.append(ex)
        for r in results:
            if r.suppression is not None:
                continue
            rel = config.relative(r.source.path) if r.source is not None and r.source.path else r.file
            for ex in live:
                if ex.matches(r, rel):
                    r.suppression = {"kind": "exemption", "reason": ex.reason, "where": f"{shown}:{ex.line}"}
                    ex.used = True
                    break
        for ex in live:
            if not ex.used and self._could_have_matched(ex, config):
                self._emit("unused-suppression", "this exemption matches no finding", shown, ex.line, 1,
                           config.source)

    def _could_have_matched(self, ex: Exemption, config: Config) -> bool:
        """Whether the run looked where the exemption's findings would be: one of its rules ran (--select
        and --ignore may leave them out), and no file the run only read as context is in its scope
        (a pre-commit run lints the staged files; the exempted objects may be in the others)."""
        if ex.rules and not any(self._active(rule_id) for rule_id in ex.rules):
            return False
        for obj in self.outside:
            path = obj.document.source.path
            if path is not None and ex.covers(object_identity(obj), config.relative(path)):
                return False
        return True


# baselines ---------------------------------------------------------------------------

def fingerprint(r: Result) -> str:
    """Identity of a finding that survives unrelated edits and moved lines:
    the rule, the object, the YAML path (not the line); for a problem outside
    any object, the file and the message without numbers."""
    if r.identity:
        o = r.identity
        group = (o.get("apiVersion") or "").rpartition("/")[0]
        # the namespace as written: a fingerprint must not change with --namespace
        parts = [r.rule, group, o.get("kind") or "", written_namespace(o) or "", o.get("name") or "", r.path]
    else:
        parts = [r.rule, r.file, re.sub(r"\d+", "#", r.message)]
    import hashlib  # here: only baselines and SARIF need fingerprints

    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "backslashreplace")).hexdigest()[:32]


def write_baseline(path: str, results: list[Result]) -> None:
    entries = sorted(({"fingerprint": fingerprint(r), "rule": r.rule, "file": r.file, "path": r.path,
                       "object": r.identity, "message": r.message} for r in results),
                     key=lambda e: (e["file"], e["rule"], e["fingerprint"]))
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"tool": "k8slint", "version": 1, "findings": entries}, fh, indent=2, ensure_ascii=False)
        fh.write("\n")


def read_baseline(path: str) -> Counter[str]:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise ValueError("not a k8slint baseline (expected an object with a 'findings' list)")
    return Counter(e["fingerprint"] for e in data["findings"] if isinstance(e, dict) and "fingerprint" in e)


def filter_baseline(results: list[Result], baseline: Counter[str]) -> tuple[list[Result], int]:
    """Results not in the baseline, and how many were."""
    remaining = Counter(baseline)
    kept = []
    dropped = 0
    for r in results:
        fp = fingerprint(r)
        if remaining.get(fp, 0) > 0:
            remaining[fp] -= 1
            dropped += 1
        else:
            kept.append(r)
    return kept, dropped
