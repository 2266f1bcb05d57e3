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
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .report import FORMATS
from .report.safe import json_text, visible

if TYPE_CHECKING:
    from .config import Config
    from .load import LoadResult
    from .load.cache import ParseCache
    from .pipeline import Report
    from .registry import Registry, Rule

FAIL_ON = ("error", "warning", "info", "never")


def utf8_stream(stream: TextIO) -> TextIO:
    """Write UTF-8 whatever the locale; never fail on odd characters."""
    if isinstance(stream, io.TextIOWrapper):
        try:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        except (ValueError, io.UnsupportedOperation):
            pass
    return stream


def _use_color(choice: str, stream: TextIO) -> bool:
    """``--color always`` colours whatever the environment says (a command-line choice overrides
    NO_COLOR, as https://no-color.org asks); ``auto`` colours a terminal unless NO_COLOR is set
    (to anything but the empty string) or TERM is dumb."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def add_chart_arguments(p: argparse.ArgumentParser, verb: str) -> None:
    """Options for rendering Helm charts and kustomizations (shared by lint and graph)."""
    charts = p.add_argument_group("Helm charts and kustomizations")
    charts.add_argument("-f", "--values", action="append", default=[], metavar="FILE",
                        help="Helm values file (repeatable; later ones win)")
    charts.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="Helm --set expression (repeatable)")
    charts.add_argument("--release-name", default="release-name", metavar="NAME", help="Helm release name")
    charts.add_argument("--render-timeout", type=float, default=120.0, metavar="SECONDS",
                        help="give up rendering a chart or kustomization after this long (default: 120)")
    charts.add_argument("--no-render", action="store_true",
                        help=f"{verb} chart and kustomization folders as plain files instead of rendering them")


def read_config(args: argparse.Namespace) -> Config:
    """The configuration --config names, else the nearest one (unless --no-config).
    Raises ConfigError."""
    from .config import Config, find_config, load_config

    path = args.config or (None if args.no_config else find_config())
    return load_config(path) if path else Config()


def excludes_of(args: argparse.Namespace, config: Config) -> list[str]:
    """--exclude and the configuration's exclude globs (relative to its folder)."""
    return list(args.exclude) + [os.path.join(config.folder, g) if "/" in g else g for g in config.get("exclude", [])]


def open_cache(args: argparse.Namespace, root: str | None) -> ParseCache | None:
    """The parse cache the options ask for (None with --no-cache)."""
    from .kube import schemas
    from .load.cache import ParseCache

    cache = ParseCache.open(getattr(args, "cache_dir", None), enabled=not getattr(args, "no_cache", False),
                            project_root=root)
    # the built-in schemas, cut down to each kind, are kept beside the parse results
    schemas.cache_dir = cache.path if cache is not None and cache.usable else None
    return cache


def load_inputs(args: argparse.Namespace, config: Config, namespace: str | None, root: str | None = None,
                cache: ParseCache | None = None) -> LoadResult:
    """Read the paths as the options and the configuration say: excludes, rendering."""
    from .load import load
    from .load.render import RenderOptions

    render = RenderOptions(values=args.values, set=args.set, release_name=args.release_name,
                           namespace=namespace, timeout=args.render_timeout)
    return load(args.paths, excludes_of(args, config), render_options=render, render=not args.no_render,
                root=root, cache=cache, jobs=_jobs_of(args))


def _jobs_of(args: argparse.Namespace) -> int:
    """The processes this run may use (``--jobs``, else every available CPU; see k8slint.parallel)."""
    from .parallel import jobs_for

    return jobs_for(getattr(args, "jobs", None))


def repository_context(args: argparse.Namespace, config: Config, root: str | None,
                       cache: ParseCache | None = None) -> LoadResult | None:
    """The rest of the project, when files are given by name (as pre-commit
    gives the staged ones): loaded as a walk of the project root would load
    it, so that a file gets the findings a whole-project run gives it. Charts
    and kustomizations are not rendered for it: what they hold is seen by
    their own render alone."""
    from .load import load

    from .load.discover import MANIFEST_SUFFIXES, is_inside

    files = [p for p in args.paths if p != "-" and os.path.isfile(p)]
    if not files or getattr(args, "no_context", False):
        return None
    def within(path: str, folder: str) -> bool:
        return is_inside(os.path.realpath(path), os.path.realpath(folder))

    inside = root is not None and any(within(f, root) for f in files)
    paths = [root] if root is not None and inside else []
    # a file outside the project sees its own folder, the unit it belongs to
    folders = dict.fromkeys(os.path.dirname(os.path.abspath(f)) for f in files
                            if root is None or not inside or not within(f, root))
    paths += [os.path.join(d, name) for d in folders for name in sorted(os.listdir(d))
              if name.lower().endswith(MANIFEST_SUFFIXES) and not name.startswith(".")
              and os.path.isfile(os.path.join(d, name))]
    if not paths:
        return None
    context = load(paths, excludes_of(args, config), render=not args.no_render, root=root, cache=cache,
                   positions=False, run_renders=False, jobs=_jobs_of(args))
    context.missing.clear()  # an unreadable file elsewhere in the project is that file's run's business
    context.problems.clear()
    return context


def merge_loads(*loaded: LoadResult | None) -> LoadResult | None:
    """One LoadResult holding the documents of several (None ones skipped)."""
    from .load import LoadResult

    results = [r for r in loaded if r is not None]
    if not results:
        return None
    if len(results) == 1:
        return results[0]
    merged = LoadResult()
    for r in results:
        merged.documents.extend(r.documents)
        merged.problems.extend(r.problems)
        merged.missing.extend(r.missing)
        merged.files += r.files
    return merged


def _lint_parser() -> argparse.ArgumentParser:
    from .kube import versions

    p = argparse.ArgumentParser(
        prog="k8slint",
        description="Lint Kubernetes manifests (YAML, JSON, Helm charts, kustomizations, and their rendered "
                    "output).",
        epilog="Other commands: `k8slint rules` lists the rules, `k8slint explain RULE` shows one, "
               "`k8slint graph PATH...` draws the object graph. To lint a folder named like a command, "
               "write ./rules.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders to lint (folders recursively: *.yaml, *.yml, *.json; a folder with a "
                        "Chart.yaml or kustomization.yaml is rendered); - reads stdin")
    out = p.add_argument_group("output")
    out.add_argument("--format", action="append", metavar="FORMAT[=FILE]", dest="formats",
                     help=f"output format ({', '.join(FORMATS)}; default text), optionally written to FILE; "
                          "repeat to write several (--format text --format sarif=k8slint.sarif)")
    out.add_argument("-o", "--output", metavar="FILE", help="write the output to FILE instead of standard output")
    out.add_argument("--statistics", action="store_true",
                     help="print how many findings each rule gave (with how many --fix can fix), the most frequent "
                          "first, instead of the findings (text output on standard output)")
    out.add_argument("--fail-on", choices=FAIL_ON,
                     help="exit 1 when a reported finding has at least this severity (default: warning)")
    out.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                     help="colour in text output (auto: on a terminal, unless NO_COLOR is set)")
    rules = p.add_argument_group("rules")
    rules.add_argument("--config", metavar="FILE",
                       help="configuration file (default: the nearest .k8slint.yaml, .k8slint.yml or pyproject.toml "
                            "with [tool.k8slint] at or above the working directory)")
    rules.add_argument("--no-config", action="store_true", help="do not look for a configuration file")
    rules.add_argument("--select", action="append", default=[], metavar="RULES",
                       help="run only these rules (comma-separated, repeatable)")
    rules.add_argument("--ignore", action="append", default=[], metavar="RULES",
                       help="do not run these rules (comma-separated, repeatable)")
    rules.add_argument("--enable-all", action="store_true", help="run every rule, the opt-in ones too")
    rules.add_argument("--kube-version", metavar="X.Y",
                       help=f"target Kubernetes version (default: {versions.default()})")
    rules.add_argument("--profile", metavar="NAME",
                       help="the rule pack's profile: for the built-in pack, the Pod Security Standards level whose "
                            "controls run (baseline, the default; restricted; none); namespaces labelled "
                            "pod-security.kubernetes.io/enforce|warn|audit use their own level")
    rules.add_argument("--strict-kinds", action="store_true",
                       help="report objects whose kind no schema or CRD describes (schema-unknown-kind)")
    rules.add_argument("--complete", action="store_true",
                       help="every folder holds all the objects its manifests reference, as a chart render or "
                            "kustomize build does: report references to objects that are not there")
    rules.add_argument("--rules-dir", action="append", default=[], metavar="DIR",
                       help="also load rule modules from DIR (repeatable)")
    inputs = p.add_argument_group("inputs")
    inputs.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                        help="skip files and folders matching GLOB (repeatable; .gitignore-style)")
    inputs.add_argument("--namespace", metavar="NS",
                        help="namespace of objects that set none, for matching references, and Helm's --namespace "
                             "(default: default)")
    inputs.add_argument("--crds", action="append", default=[], metavar="PATH",
                        help="learn custom resource schemas from the CRDs in PATH without linting them (repeatable)")
    inputs.add_argument("--context", action="append", default=[], metavar="PATH",
                        help="objects the rules may see without linting them (repeatable); files given by name "
                             "see the rest of their project (the configuration file's folder or the git "
                             "root) without it")
    inputs.add_argument("--no-context", action="store_true",
                        help="files given by name do not see the rest of their project")
    inputs.add_argument("--cache-dir", metavar="DIR",
                        help="keep parse results here (default: $K8SLINT_CACHE_DIR, else $XDG_CACHE_HOME/k8slint "
                             "or ~/.cache/k8slint, else .k8slint_cache in the project)")
    inputs.add_argument("--no-cache", action="store_true", help="do not read or write the parse cache")
    inputs.add_argument("-j", "--jobs", type=_jobs, metavar="N",
                        help="processes a large run may use to parse and check (default: the CPUs it may use; "
                             "1: one process)")
    fixes = p.add_argument_group("fixes")
    fixes.add_argument("--fix", action="store_true",
                       help="apply the safe fixes to the files, keeping everything else as it is")
    fixes.add_argument("--unsafe-fixes", action="store_true",
                       help="with --fix or --diff, also apply fixes that may change behaviour")
    fixes.add_argument("--diff", action="store_true",
                       help="print the fixes as a unified diff and change nothing (exit 1 if there are any)")
    inputs.add_argument("--baseline", metavar="FILE", help="report only findings that FILE does not record")
    inputs.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE")
    add_chart_arguments(p, "lint")
    p.add_argument("--version", action="version", version=f"k8slint {__version__}")
    return p


def _say(message: str) -> None:
    """A message on standard error; file names and other text from the input in it are made
    visible, so that no control character from a manifest or its name reaches the terminal."""
    print(visible(message, keep="\n"), file=sys.stderr)


def _error(message: str) -> int:
    _say(f"k8slint: error: {message}")
    return 2


def _registry(rules_dirs: Iterable[str] = ()) -> Registry:
    from .engine import load_builtin_rules, load_rules_directory

    registry = load_builtin_rules()
    for directory in rules_dirs:
        load_rules_directory(directory)
    return registry


def _jobs(text: str) -> int:
    """``--jobs N``: a whole number of processes, at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _rule_list(values: Iterable[str]) -> list[str]:
    return [x.strip() for v in values for x in v.split(",") if x.strip()]


def _outputs(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """(format, file or None for standard output) pairs."""
    outputs = []
    for spec in args.formats or ["text"]:
        fmt, _, path = spec.partition("=")
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
        outputs.append((fmt, path or None))
    stdout_formats = [o for o in outputs if o[1] is None]
    if len(stdout_formats) > 1:
        raise ValueError("only one format can go to standard output; write the others to files (FORMAT=FILE)")
    if args.output:
        outputs = [(fmt, path or args.output) for fmt, path in outputs]
    return outputs


def cmd_lint(argv: list[str]) -> int:
    parser = _lint_parser()
    args = parser.parse_args(argv)
    if not args.paths:
        parser.print_usage(sys.stderr)
        return _error("no paths given (use - to read from stdin)")
    from .config import ConfigError, resolve_settings
    from .engine import RANK
    from .kube import versions
    from .load import load
    from .report import write
    from .pipeline import lint_loaded
    from .suppress import read_baseline, write_baseline

    try:
        outputs = _outputs(args)
        registry = _registry(args.rules_dir)
    except ValueError as err:
        return _error(str(err))
    except (FileNotFoundError, SyntaxError, ImportError) as err:
        return _error(f"cannot load rules: {err}")
    try:
        config = read_config(args)
        settings = resolve_settings(config, registry, select=_rule_list(args.select),
                                    ignore=_rule_list(args.ignore), enable_all=args.enable_all,
                                    profile=args.profile, switches=["strict-kinds"] if args.strict_kinds else [],
                                    complete=args.complete)
    except ConfigError as err:
        return _error(str(err))
    try:
        kube_version = versions.resolve(args.kube_version or settings.kube_version)
    except ValueError as err:
        return _error(str(err))
    fail_on = args.fail_on or config.get("fail-on") or "warning"
    namespace = args.namespace or config.get("namespace") or "default"
    baseline = None
    if args.baseline:
        try:
            baseline = read_baseline(args.baseline)
        except (OSError, ValueError) as err:
            return _error(f"cannot read the baseline {args.baseline}: {err}")

    from .config import project_root

    root = project_root(config)
    cache = open_cache(args, root)
    gc.disable()  # loading allocates millions of small objects that all stay alive
    try:
        loaded = load_inputs(args, config, args.namespace or config.get("namespace"), root, cache)
        context_paths = list(args.crds) + config.resolve_paths("crds") + list(args.context) + \
            config.resolve_paths("context")
        explicit = load(context_paths, excludes_of(args, config), render=False, cache=cache, positions=False) \
            if context_paths else None
        context = merge_loads(explicit, repository_context(args, config, root, cache))
    finally:
        gc.enable()
    gc.freeze()  # what was loaded lives until the end: later collections need not rescan it
    def run(loaded: LoadResult) -> Report:
        return lint_loaded(loaded, registry, settings, kube_version, namespace, context,
                           config if config.path else None, baseline, jobs=_jobs_of(args), cache=cache)

    report = run(loaded)
    if args.fix or args.diff:
        fixed = _apply_fixes(report, args)
        if args.diff:
            return 1 if fixed else 0
        if fixed:  # lint what is on disk now
            loaded = load_inputs(args, config, args.namespace or config.get("namespace"), root, cache)
            report = run(loaded)
            report.fixed = fixed
    if args.write_baseline:
        write_baseline(args.write_baseline, report.results)
        _say(f"k8slint: recorded {len(report.results)} findings in {args.write_baseline}")

    for fmt, target in outputs:
        if target is None and args.statistics and fmt == "text":
            fmt = "statistics"  # the counts per rule instead of the findings
        if target is None:
            stream = utf8_stream(sys.stdout)
            write(fmt, report, stream, registry, color=fmt == "text" and _use_color(args.color, stream))
            stream.flush()
        else:
            try:
                with open(target, "w", encoding="utf-8", errors="backslashreplace") as fh:
                    write(fmt, report, fh, registry, color=False)
            except OSError as err:
                return _error(f"cannot write {target}: {err.strerror or err}")
    for message in cache.warnings if cache is not None else ():
        _say(message if message.startswith("k8slint:") else f"k8slint: warning: {message}")
    for note in unrendered_notes(loaded.unrendered):
        _say(f"k8slint: note: {note}")
    missing = loaded.missing + (context.missing if context else [])
    for message in missing:
        _say(f"k8slint: error: {message}")
    if missing:
        return 2
    if not report.objects and not report.results:
        _say("k8slint: warning: no Kubernetes objects found in the given paths")
    if args.write_baseline:
        return 0
    worst = report.worst()
    if fail_on != "never" and worst is not None and RANK[worst] >= RANK[fail_on]:
        return 1
    return 0


def unrendered_notes(unrendered: Iterable[tuple[str, str, str]]) -> list[str]:
    """One note per renderer that is missing, naming the folders left out."""
    notes = []
    for kind, what in (("helm", "Helm chart"), ("kustomize", "kustomization")):
        folders = [folder for k, folder, _ in unrendered if k == kind]
        if folders:
            hint = next(h for k, _, h in unrendered if k == kind)
            shown = ", ".join(folders[:3]) + (f" and {len(folders) - 3} more" if len(folders) > 3 else "")
            notes.append(f"{len(folders)} {what}{'s' if len(folders) > 1 else ''} not rendered, so not linted "
                         f"({shown}): no renderer on this machine ({hint})")
    return notes


def _apply_fixes(report: Report, args: argparse.Namespace) -> int:
    """Plan the fixes; print them (--diff) or write them (--fix). Returns how many findings they fix."""
    from . import fix as fixing

    entries = fixing.plan(report, unsafe=args.unsafe_fixes)
    fixed = 0
    for entry in entries:
        for result, reason in entry.skipped:
            _say(f"k8slint: not fixed: {result.file}:{result.line}: {result.rule}: {reason}")
        if not entry.changed:
            continue
        if args.diff:
            utf8_stream(sys.stdout).write(entry.diff())
        else:
            try:
                fixing.write(entry)
            except fixing.NotWritten as err:
                _say(f"k8slint: not fixed: {entry.display}: {err}")
                continue
        fixed += len(entry.applied)
    rendered = {r.template or r.file for r in report.results
                if fixing.fixable(r, args.unsafe_fixes) and r.document is not None
                and (r.document.origin or r.document.source.rendered_by or r.document.source.path is None)}
    if rendered:
        _say(f"k8slint: fixes are not applied to rendered or piped-in manifests; change the source instead: "
             f"{', '.join(sorted(rendered))}")
    if not args.unsafe_fixes:
        unsafe = sum(1 for r in report.results if fixing.fixable(r, True) and not fixing.fixable(r, False))
        if unsafe:
            _say(f"k8slint: {unsafe} more {'fix is' if unsafe == 1 else 'fixes are'} available with "
                 "--unsafe-fixes (review them: they may change behaviour)")
    return fixed


def cmd_rules(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="k8slint rules", description="List the rules.")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--rules-dir", action="append", default=[], metavar="DIR")
    args = p.parse_args(argv)
    registry = _registry(args.rules_dir)
    out = utf8_stream(sys.stdout)
    if args.format == "markdown":
        out.write("| rule | severity | runs | fix | what it finds |\n|---|---|---|---|---|\n")
        for r in registry:
            out.write(f"| `{r.id}` | {r.severity} | {_runs(r, registry)} | {_fix_label(r)} | {r.summary} |\n")
        return 0
    if args.format == "json":
        json.dump([{"id": r.id, "severity": r.severity, "category": r.category, "summary": r.summary,
                    "applies_to": sorted(r.applies_to) if r.applies_to is not None else None,
                    "fix": r.fix_safety,
                    "options": {k: {"default": list(o.default) if isinstance(o.default, tuple) else o.default,
                                    "help": o.help} for k, o in r.options.items()}}
                   for r in registry], out, indent=2)
        out.write("\n")
        return 0
    header = ("RULE", "SEVERITY", "CATEGORY", "FIX", "SUMMARY")
    rows = [header] + [(r.id, r.severity, r.category, _fix_label(r), r.summary) for r in registry]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        out.write("  ".join(f"{cell:<{w}}" for cell, w in zip(row, widths)) + f"  {row[4]}\n")
    return 0


def _fix_label(rule: Rule) -> str:
    """What --fix can do for a rule's findings: safe, unsafe, or "safe or unsafe" (per finding)."""
    if rule.fix_safety is None:
        return ""
    return {"sometimes": "safe or unsafe"}.get(rule.fix_safety, rule.fix_safety)


def _runs(rule: Rule, registry: Registry) -> str:
    """When a rule runs: by default, in a profile above the default one, or when turned on."""
    if registry.runs_by_default(rule):
        return "default"
    profile = registry.lowest_profile(rule)
    return f"{profile.name} profile" if profile is not None else "opt-in"


def cmd_explain(argv: list[str]) -> int:
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
    out = utf8_stream(sys.stdout)
    if _use_color(args.color, out):
        from rich.console import Console
        from rich.markdown import Markdown

        Console(file=out, force_terminal=True, no_color=False).print(Markdown(text))
    else:
        out.write(text)
    return 0


def _graph_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="k8slint graph",
        description="Print the object graph of the manifests: which object references which (mounts, env, envFrom, "
                    "serviceAccount, imagePullSecret, claims, selects, routes-to, tls, scales, protects, binds, "
                    "grants). References to objects that are not in the run are 'missing' nodes; a reference "
                    "to a key or port its target lacks is marked on its edge.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders (a folder with a Chart.yaml or kustomization.yaml is rendered); "
                        "- reads stdin")
    out = p.add_argument_group("output")
    out.add_argument("--format", choices=("dot", "mermaid", "json"), default="dot",
                     help="dot (Graphviz, the default), mermaid, or json")
    out.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    narrow = p.add_argument_group("narrowing")
    narrow.add_argument("--namespace", metavar="NS",
                        help="only objects in NS (and the cluster-scoped objects linked to them)")
    narrow.add_argument("--kind", action="append", default=[], metavar="KIND",
                        help="only objects of this kind (repeatable, or comma-separated; case-insensitive)")
    narrow.add_argument("--focus", metavar="KIND/NAME",
                        help="one object and its direct neighbours (KIND/NAME or KIND/NAMESPACE/NAME)")
    inputs = p.add_argument_group("inputs")
    inputs.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                        help="skip files and folders matching GLOB (repeatable; .gitignore-style)")
    inputs.add_argument("--default-namespace", metavar="NS",
                        help="namespace of objects that set none, and Helm's --namespace (default: the "
                             "configuration's namespace, else default)")
    inputs.add_argument("--config", metavar="FILE", help="configuration file (for its exclude and namespace)")
    inputs.add_argument("--no-config", action="store_true", help="do not look for a configuration file")
    add_chart_arguments(p, "read")
    return p


def _graph_error(message: str) -> int:
    _say(f"k8slint graph: error: {message}")
    return 2


def cmd_graph(argv: list[str]) -> int:
    """``k8slint graph PATH...``: the object graph of a run, as Graphviz, Mermaid or JSON."""
    parser = _graph_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help, or a usage error argparse already printed
        return done.code if isinstance(done.code, int) else 2
    if not args.paths:
        parser.print_usage(sys.stderr)
        return _graph_error("no paths given (use - to read from stdin)")
    from .config import ConfigError, resolve_settings
    from .kube import versions
    from .pipeline import lint_loaded
    from .report.graphs import to_dot, to_json, to_mermaid
    from .view import FocusError, build_view, resolve_focus, select

    try:
        config = read_config(args)
        registry = _registry()
        settings = resolve_settings(config, registry)
        kube_version = versions.resolve(settings.kube_version)
    except (ConfigError, ValueError) as err:
        return _graph_error(str(err))
    # the rules whose findings mark edges (a key or port the target lacks), as the configuration sets them
    settings.disabled.update(r.id for r in registry if not r.marks_edges)
    default_namespace = args.default_namespace or config.get("namespace") or "default"
    loaded = load_inputs(args, config, args.default_namespace or config.get("namespace"))
    report = lint_loaded(loaded, registry, settings, kube_version, default_namespace,
                         config=config if config.path else None)
    objects = report.objects
    view = build_view(report.graph, report.results, count=False)
    focus = None
    if args.focus:
        try:
            focus = resolve_focus(view, args.focus, args.namespace)
        except FocusError as err:
            return _graph_error(str(err))
    kinds = [k.strip() for v in args.kind for k in v.split(",") if k.strip()]
    view = select(view, args.namespace, kinds, focus)
    if args.format == "json":
        text = json_text(json.dumps(to_json(view), indent=2, ensure_ascii=False)) + "\n"
    elif args.format == "mermaid":
        text = to_mermaid(view)
    else:
        text = to_dot(view)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as err:
            return _graph_error(f"cannot write {args.output}: {err.strerror or err}")
    else:
        stream = utf8_stream(sys.stdout)
        stream.write(text)
        stream.flush()
    unreadable = [p for p in loaded.problems if p.document is None]  # duplicate keys still make objects
    for i, problem in enumerate(unreadable):
        if i == 10:
            _say(f"k8slint graph: warning: and {len(unreadable) - 10} more unreadable files or documents")
            break
        _say(f"k8slint graph: warning: {problem.source.display}:{problem.line + 1}:{problem.column + 1}: "
             f"{problem.message} (not in the graph)")
    for message in loaded.missing:
        _say(f"k8slint graph: error: {message}")
    if loaded.missing:
        return 2
    if not objects:
        _say("k8slint graph: warning: no Kubernetes objects found in the given paths")
    return 0


def cmd_server(argv: list[str]) -> int:
    """``k8slint server``: the language server, over stdio (``pip install 'k8slint[server]'``)."""
    try:
        from .server import main as serve
    except ImportError as err:
        return _error(f"k8slint server needs pygls: pip install 'k8slint[server]' ({err})")
    return serve(argv)


COMMANDS = {"rules": cmd_rules, "explain": cmd_explain, "lint": cmd_lint, "graph": cmd_graph,
            "server": cmd_server}


def main(argv: list[str] | None = None) -> int:
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


def run() -> None:
    """The ``k8slint`` command: :func:`main`, then leave at once. A large run holds hundreds of
    megabytes of small objects, and freeing them one by one at exit took a tenth of the run;
    everything the run writes is closed by then, and the standard streams are flushed here."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach it
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
