"""``k8slint server``: a language server for editors, over standard input and output.

It lints YAML and JSON documents that hold Kubernetes objects as they are typed (the unsaved text,
with the rest of the workspace as context), explains a finding on hover, and offers its fix and an
ignore comment as code actions. It needs pygls (``pip install 'k8slint[server]'``), which is
imported only here, when the server starts: a plain ``k8slint`` run never loads it.

:mod:`k8slint.server.session` lints a buffer and knows nothing of the protocol;
:mod:`k8slint.server.protocol` speaks the protocol.
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="k8slint server",
        description="A Language Server Protocol server for editors: diagnostics as you type (with the rest "
                    "of the workspace as context), the rule's documentation on hover, fixes and ignore "
                    "comments as code actions. Start it from your editor's language client; it talks over "
                    "standard input and output.",
        epilog="The nearest .k8slint.yaml applies, and is read again when it changes. Clients may send "
               "initializationOptions: kubeVersion, profile, namespace, rulesDirs, cache (false: no cache), "
               "cacheDir, docsUrl (a URL with {rule} in it, for the diagnostics' rule links), debounceMs (the pause "
               "in typing before a change is linted, default 300); they win over the configuration file, as the "
               "command line's options do.")
    p.add_argument("--stdio", action="store_true",
                   help="talk over standard input and output (the default, and the only transport)")
    p.add_argument("--kube-version", metavar="X.Y", help="target Kubernetes version (as initializationOptions "
                                                         "kubeVersion)")
    p.add_argument("--profile", metavar="NAME", help="the rule pack's profile: baseline, restricted or none "
                                                     "(as initializationOptions profile)")
    p.add_argument("--namespace", metavar="NS", help="namespace of objects that set none (default: default)")
    p.add_argument("--rules-dir", action="append", default=[], metavar="DIR",
                   help="also load rule modules from DIR (repeatable)")
    p.add_argument("--cache-dir", metavar="DIR", help="keep parse results here (see k8slint --help)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the parse cache")
    p.add_argument("--version", action="version", version=f"k8slint {__version__}")
    return p


def main(argv: list[str]) -> int:
    """Run the server until the client asks it to exit; 2 for a usage error or without pygls."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.kube_version:
        from ..kube import versions

        try:
            versions.resolve(args.kube_version)
        except ValueError as err:
            parser.error(str(err))
    from .session import Options

    options = Options(kube_version=args.kube_version, profile=args.profile, namespace=args.namespace,
                      rules_dirs=list(args.rules_dir), cache=not args.no_cache, cache_dir=args.cache_dir)
    try:
        from .protocol import serve
    except ImportError as err:
        print(f"k8slint: error: k8slint server needs pygls: pip install 'k8slint[server]' ({err})", file=sys.stderr)
        return 2
    serve(options)
    return 0
