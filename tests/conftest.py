import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"

sys.path.insert(0, str(ROOT / "tests"))


@pytest.fixture(scope="session")
def registry():
    from k8slint.engine import load_builtin_rules

    return load_builtin_rules()


@pytest.fixture
def lint_text(registry, tmp_path):
    """Lint YAML text written to a temporary file; returns the Report."""
    from k8slint.engine import Settings
    from k8slint.pipeline import lint

    def run(text, name="manifest.yaml", settings=None, kube_version=(1, 37)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return lint([str(path)], registry, settings or Settings(), kube_version)

    return run


def corpus_or_skip() -> pathlib.Path:
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not available in this checkout")
    return corpus


os.environ.setdefault("NO_COLOR", "1")
# the parse cache of test runs stays out of the user's own cache
if "K8SLINT_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["K8SLINT_CACHE_DIR"] = os.path.join(tempfile.mkdtemp(prefix="k8slint-test-cache-"), "cache")


GRAPH_DATA = "tests/data/graph"


@pytest.fixture(scope="module")
def fixture_report(registry):
    """The report of tests/data/graph, linted from the project root (paths relative to it)."""
    from k8slint.engine import Settings
    from k8slint.pipeline import lint

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return lint([GRAPH_DATA], registry, Settings())
    finally:
        os.chdir(cwd)
