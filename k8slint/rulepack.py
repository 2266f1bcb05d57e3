"""Finding rule modules: the built-in pack and a user's own rules folder.

One mechanism, :func:`import_rule_package`, imports every module below a
package's folders; importing a rule module registers its rule. The built-in
pack is ``k8slint.rules`` (the top-level ``rules/`` folder, mapped into the
package), a user's folder (``--rules-dir``) becomes a package of its own.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
import re
import sys
from collections.abc import Iterable

from .diagnostics import DIAGNOSTICS
from .registry import REGISTRY, Registry, Rule

BUILTIN_PACKAGE = "k8slint.rules"


def import_rule_package(package_name: str, paths: Iterable[str]) -> list[str]:
    """Import every module below a package's directories; returns their names.

    This one mechanism loads the built-in pack (``k8slint.rules``, which the
    wheel maps from the top-level ``rules/`` folder) and a user's own rules
    folder (``--rules-dir``).
    """
    names = []
    for info in pkgutil.walk_packages(list(paths), prefix=package_name + "."):
        if info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        importlib.import_module(info.name)
        names.append(info.name)
    return names


def load_builtin_rules() -> Registry:
    """The registry with the tool's diagnostics and the built-in rule pack."""
    for rule_id, severity, category, summary, doc in DIAGNOSTICS:  # invalid-yaml, ...
        if rule_id not in REGISTRY:
            REGISTRY.register(Rule(id=rule_id, severity=severity, category=category, summary=summary, doc=doc,
                                   module="k8slint.diagnostics"))
    package = importlib.import_module(BUILTIN_PACKAGE)
    import_rule_package(BUILTIN_PACKAGE, package.__path__)
    return REGISTRY


def load_rules_directory(directory: str) -> list[str]:
    """Load a user's rule modules from a folder, as a package of its own."""
    directory = os.path.abspath(directory)
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"rules directory not found: {directory}")
    name = "k8slint_user_rules_" + re.sub(r"\W", "_", directory)
    if name not in sys.modules:
        spec = importlib.util.spec_from_loader(name, loader=None, is_package=True)
        assert spec is not None
        module = importlib.util.module_from_spec(spec)
        module.__path__ = [directory]
        sys.modules[name] = module
    return import_rule_package(name, [directory])
