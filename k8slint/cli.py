"""Command line: ``k8slint [lint] PATH...``, ``k8slint rules``, ``k8slint explain RULE``.

Exit status: 0 when nothing is at or above ``--fail-on``; 1 when something
is; 2 for a usage error, a bad configuration, or a path that does not exist
or cannot be read (the other paths are still linted and reported).
"""

from __future__ import annotations

import argparse
import difflib
import gc
import io
import json
import os
import sys

from . import __version__

FAIL_ON = ("error", "warning", "info", "never")


def _stream(stream):
    """Write UTF-8 whatever the locale; never fail on odd characters."""
    if isinstance(stream, io.TextIOWrapper):
        try:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        except (ValueError, io.UnsupportedOperation):
            pass
    return stream


def _use_color(choice: str, stream) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _lint_parser() -> argparse.ArgumentParser:
    from .kube import versions

    p = argparse.ArgumentParser(
        prog="k8slint",
        description="Lint Kubernetes manifests (YAML, JSON, `helm template` and kustomize output).",
        epilog="Other commands: `k8slint rules` lists the rules, `k8slint explain RULE` shows one. "
               "To lint a folder named like a command, write ./rules.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders to lint (folders recursively: *.yaml, *.yml, *.json); - reads stdin")
    p.add_argument("-f", "--format", choices=("text", "json", "sarif"), default="text", help="output format")
    p.add_argument("--fail-on", choices=FAIL_ON, default="warning",
                   help="exit 1 when a finding has at least this severity (default: warning)")
    p.add_argument("--kube-version", metavar="X.Y",
                   help=f"target Kubernetes version (default: {versions.default()})")
    p.add_argument("--namespace", default="default", metavar="NS",
                   help="namespace of objects that do not set one, for matching references (default: default)")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="skip files and folders matching GLOB (repeatable; .gitignore-style)")
    p.add_argument("--strict-kinds", action="store_true",
                   help="report objects whose kind no schema or CRD describes (schema-unknown-kind)")
    p.add_argument("--crds", action="append", default=[], metavar="PATH",
                   help="learn custom resource schemas from the CRDs in PATH (file or folder) without linting "
                        "them (repeatable)")
    p.add_argument("--config", metavar="FILE", help="rule settings (YAML): on/off, severity, options")
    p.add_argument("--rules-dir", action="append", default=[], metavar="DIR",
                   help="also load rule modules from DIR (repeatable)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour in text output (auto: on a terminal, unless NO_COLOR is set)")
    p.add_argument("--version", action="version", version=f"k8slint {__version__}")
    return p


def _error(message: str) -> int:
    print(f"k8slint: error: {message}", file=sys.stderr)
    return 2


def _registry(rules_dirs=()):
    from .engine import load_builtin_rules, load_rules_directory

    registry = load_builtin_rules()
    for directory in rules_dirs:
        load_rules_directory(directory)
    return registry


def cmd_lint(argv) -> int:
    parser = _lint_parser()
    args = parser.parse_args(argv)
    if not args.paths:
        parser.print_usage(sys.stderr)
        return _error("no paths given (use - to read from stdin)")
    from .config import ConfigError, load_settings
    from .engine import RANK, Settings
    from .kube import versions
    from .load import load
    from .report import write
    from .runner import lint_loaded

    try:
        registry = _registry(args.rules_dir)
    except (FileNotFoundError, ValueError, SyntaxError, ImportError) as err:
        return _error(f"cannot load rules: {err}")
    settings = Settings()
    if args.config:
        try:
            settings = load_settings(args.config, registry, settings)
        except ConfigError as err:
            return _error(str(err))
    try:
        kube_version = versions.resolve(args.kube_version or settings.kube_version)
    except ValueError as err:
        return _error(str(err))

    if args.strict_kinds:
        settings.enabled.add("schema-unknown-kind")
    loaded = load(args.paths, args.exclude)
    context = load(args.crds) if args.crds else None
    gc.freeze()  # what was loaded lives until the end: later collections need not rescan it
    report = lint_loaded(loaded, registry, settings, kube_version, args.namespace, context)
    out = _stream(sys.stdout)
    write(args.format, report, out, registry, color=args.format == "text" and _use_color(args.color, out))
    out.flush()
    missing = loaded.missing + (context.missing if context else [])
    for message in missing:
        print(f"k8slint: error: {message}", file=sys.stderr)
    if missing:
        return 2
    if not report.objects and not report.results:
        print("k8slint: warning: no Kubernetes objects found in the given paths", file=sys.stderr)
    worst = report.worst()
    if args.fail_on != "never" and worst is not None and RANK[worst] >= RANK[args.fail_on]:
        return 1
    return 0


def cmd_rules(argv) -> int:
    p = argparse.ArgumentParser(prog="k8slint rules", description="List the rules.")
    p.add_argument("-f", "--format", choices=("text", "json"), default="text")
    p.add_argument("--rules-dir", action="append", default=[], metavar="DIR")
    args = p.parse_args(argv)
    registry = _registry(args.rules_dir)
    out = _stream(sys.stdout)
    if args.format == "json":
        json.dump([{"id": r.id, "severity": r.severity, "category": r.category, "summary": r.summary,
                    "applies_to": sorted(r.applies_to) if r.applies_to is not None else None,
                    "options": {k: {"default": list(o.default) if isinstance(o.default, tuple) else o.default,
                                    "help": o.help} for k, o in r.options.items()}}
                   for r in registry], out, indent=2)
        out.write("\n")
        return 0
    rows = [(r.id, r.severity, r.category, r.summary) for r in registry]
    widths = [max(len(row[i]) for row in rows + [("RULE", "SEVERITY", "CATEGORY", "")]) for i in range(3)]
    out.write(f"{'RULE':<{widths[0]}}  {'SEVERITY':<{widths[1]}}  {'CATEGORY':<{widths[2]}}  SUMMARY\n")
    for row in rows:
        out.write(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}\n")
    return 0


def cmd_explain(argv) -> int:
    p = argparse.ArgumentParser(prog="k8slint explain", description="Show a rule's documentation.")
    p.add_argument("rule", metavar="RULE")
    p.add_argument("--rules-dir", action="append", default=[], metavar="DIR")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    args = p.parse_args(argv)
    registry = _registry(args.rules_dir)
    if args.rule not in registry:
        close = difflib.get_close_matches(args.rule, [r.id for r in registry], n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; `k8slint rules` lists them"
        return _error(f"unknown rule {args.rule!r}{hint}")
    r = registry[args.rule]
    lines = [f"# {r.id}", "", f"{r.summary}.", "",
             f"Severity: {r.severity} · Category: {r.category}"
             + (f" · Applies to: {', '.join(sorted(r.applies_to))}" if r.applies_to else "")]
    if r.options:
        lines += ["", "Options:"]
        for name, opt in r.options.items():
            default = list(opt.default) if isinstance(opt.default, tuple) else opt.default
            lines.append(f"- `{name}` (default: `{json.dumps(default)}`): {opt.help}")
    text = "\n".join(lines) + "\n\n" + r.doc + "\n"
    out = _stream(sys.stdout)
    if _use_color(args.color, out):
        from rich.console import Console
        from rich.markdown import Markdown

        Console(file=out, force_terminal=True).print(Markdown(text))
    else:
        out.write(text)
    return 0


COMMANDS = {"rules": cmd_rules, "explain": cmd_explain, "lint": cmd_lint}


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            return COMMANDS[argv[0]](argv[1:])
        return cmd_lint(argv)
    except BrokenPipeError:  # `k8slint ... | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
