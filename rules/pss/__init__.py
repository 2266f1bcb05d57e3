"""Pod Security Standards: one rule per control of the Baseline and Restricted levels.

The controls are tagged with their level; the levels are the pack's profiles
(``--profile``, the configuration's ``profile``), and a Namespace's
``pod-security.kubernetes.io`` labels choose one by its admission name.
"""

from k8slint.engine import REGISTRY, Profile

BASELINE = "pss-baseline"
RESTRICTED = "pss-restricted"

REGISTRY.declare_profiles([
    Profile("none", frozenset(), admission="privileged"),
    Profile("baseline", frozenset({BASELINE}), admission="baseline"),
    Profile("restricted", frozenset({BASELINE, RESTRICTED}), admission="restricted"),
], default="baseline")
