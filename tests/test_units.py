"""Units: references resolve where Kubernetes would resolve them."""

import collections

import pytest

from k8slint.engine import Settings
from k8slint.pipeline import lint

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web{ns}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: nginx:1.27
"""
SA = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: web{ns}}}\nautomountServiceAccountToken: false\n"
LIMITS = ("apiVersion: v1\nkind: LimitRange\nmetadata: {{name: defaults{ns}}}\nspec:\n  limits:\n"
          "    - type: Container\n      default: {{cpu: 500m, memory: 256Mi}}\n"
          "      defaultRequest: {{cpu: 100m, memory: 128Mi}}\n")


def _ns(namespace):
    return f", namespace: {namespace}" if namespace else ""


def rules_by_file(report, rule=None):
    out = collections.defaultdict(list)
    for r in report.results:
        if rule is None or r.rule == rule:
            out[r.file.rsplit("/", 1)[-1]].append((r.line, r.rule, r.message))
    return {k: sorted(v) for k, v in out.items()}


def run(registry, *paths, select=None):
    settings = Settings()
    if select:
        settings.disabled = {r.id for r in registry if r.id not in select and r.check is not None}
        settings.enabled = set(select)
    return lint([str(p) for p in paths], registry, settings)


RENDER_A = """\
---
# Source: app/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: app}
automountServiceAccountToken: false
---
# Source: app/templates/agent.yaml
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: app
      containers: [{name: agent, image: "agent:1.0"}]
"""
RENDER_B = """\
---
# Source: app/templates/service.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
# Source: app/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker}
spec:
  replicas: 1
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      serviceAccountName: app
      containers: [{name: worker, image: "worker:1.0"}]
"""


def test_two_renders_in_one_folder_get_the_findings_each_gets_alone(registry, tmp_path):
    both = tmp_path / "both"
    alone_a, alone_b = tmp_path / "a", tmp_path / "b"
    for folder in (both, alone_a, alone_b):
        folder.mkdir()
    for folder, name, text in ((both, "prod.yaml", RENDER_A), (both, "staging.yaml", RENDER_B),
                               (alone_a, "prod.yaml", RENDER_A), (alone_b, "staging.yaml", RENDER_B)):
        (folder / name).write_text(text)
    together = rules_by_file(run(registry, both))
    apart = {**rules_by_file(run(registry, alone_a)), **rules_by_file(run(registry, alone_b))}
    assert together == apart
    # what the isolation is about: render B's Service has no pods of its own render, and
    # render A's ServiceAccount (automount off) does not answer for render B's worker
    assert any(rule == "service-selector-no-match" for _, rule, _ in together["staging.yaml"])
    assert any(rule == "sa-token-automount" for _, rule, _ in together["staging.yaml"])
    assert not any(rule == "sa-token-automount" for _, rule, _ in together["prod.yaml"])


def test_files_of_one_folder_are_one_unit(registry, tmp_path):
    (tmp_path / "deploy.yaml").write_text(DEPLOY.format(ns=""))
    (tmp_path / "sa.yaml").write_text(SA.format(ns=""))
    (tmp_path / "limits.yaml").write_text(LIMITS.format(ns=""))
    report = run(registry, tmp_path, select={"sa-token-automount", "resources-missing"})
    assert report.results == []


@pytest.mark.parametrize("namespace", [None, "shop"])
def test_objects_without_a_namespace_meet_only_within_their_unit(registry, tmp_path, namespace):
    """A LimitRange or ServiceAccount in another folder reaches a workload only when
    both name the same namespace: without one, each lands wherever it is applied."""
    (tmp_path / "app").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "app" / "deploy.yaml").write_text(DEPLOY.format(ns=_ns(namespace)))
    (tmp_path / "shared" / "sa.yaml").write_text(SA.format(ns=_ns(namespace)))
    (tmp_path / "shared" / "limits.yaml").write_text(LIMITS.format(ns=_ns(namespace)))
    found = {r.rule for r in run(registry, tmp_path, select={"sa-token-automount", "resources-missing"}).results}
    assert found == (set() if namespace else {"sa-token-automount", "resources-missing"})


def test_an_explicit_namespace_on_one_side_only_does_not_meet(registry, tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "app" / "deploy.yaml").write_text(DEPLOY.format(ns=""))
    (tmp_path / "shared" / "limits.yaml").write_text(LIMITS.format(ns=_ns("default")))
    found = {r.rule for r in run(registry, tmp_path, select={"resources-missing"}).results}
    assert found == {"resources-missing"}


NAMESPACE = ("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n  labels:\n"
             "    pod-security.kubernetes.io/enforce: privileged\n")
PRIVILEGED = """\
apiVersion: v1
kind: Pod
metadata: {{name: debug{ns}}}
spec:
  containers:
    - name: debug
      image: busybox:1.36
      securityContext: {{privileged: true}}
"""


@pytest.mark.parametrize("namespace, silenced", [(None, False), ("tools", True)])
def test_namespace_pod_security_labels_reach_other_folders_by_explicit_namespace(
        registry, tmp_path, namespace, silenced):
    (tmp_path / "cluster").mkdir()
    (tmp_path / "apps").mkdir()
    (tmp_path / "cluster" / "ns.yaml").write_text(NAMESPACE.format(name=namespace or "default"))
    (tmp_path / "apps" / "pod.yaml").write_text(PRIVILEGED.format(ns=_ns(namespace)))
    found = {r.rule for r in run(registry, tmp_path, select={"privileged-container"}).results}
    assert found == (set() if silenced else {"privileged-container"})


def test_namespace_labels_govern_namespace_less_objects_of_their_own_folder(registry, tmp_path):
    (tmp_path / "ns.yaml").write_text(NAMESPACE.format(name="default"))
    (tmp_path / "pod.yaml").write_text(PRIVILEGED.format(ns=""))
    assert run(registry, tmp_path, select={"privileged-container"}).results == []


def test_a_reference_prefers_the_definition_in_its_own_file(registry, tmp_path):
    """Two install variants in one folder define the same ServiceAccount: each
    workload's finding names the one in its own file."""
    sa_on = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\n"
    (tmp_path / "install.yaml").write_text(DEPLOY.format(ns="") + "---\n" + sa_on)
    (tmp_path / "namespace-install.yaml").write_text(DEPLOY.format(ns="") + "---\n" + SA.format(ns=""))
    report = run(registry, tmp_path, select={"sa-token-automount"})
    files = {r.file.rsplit("/", 1)[-1]: r.message for r in report.results}
    assert list(files) == ["install.yaml"]
    assert "install.yaml)" in files["install.yaml"] and "namespace-install" not in files["install.yaml"]


def test_units_of_documents(tmp_path):
    from k8slint.load import load

    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    (tmp_path / "plain" / "b.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n")
    (tmp_path / "plain" / "render.yaml").write_text(
        "---\n# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    from k8slint.units import unit_of

    docs = {d.source.display.rsplit("/", 1)[-1]: d for d in load([str(tmp_path)]).documents}
    assert unit_of(docs["a.yaml"]) is unit_of(docs["b.yaml"])
    assert unit_of(docs["a.yaml"]).shared and unit_of(docs["a.yaml"]).kind == "folder"
    assert unit_of(docs["render.yaml"]) is not unit_of(docs["a.yaml"])
    assert not unit_of(docs["render.yaml"]).shared


def test_duplicates_warn_in_one_file_and_inform_across_files_and_units(registry, tmp_path):
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: settings}}\ndata: {{LEVEL: {level}}}\n"
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "one.yaml").write_text(cm.format(level="a") + "---\n" + cm.format(level="b"))
    (tmp_path / "folder" / "two.yaml").write_text(cm.format(level="c"))
    (tmp_path / "renders").mkdir()
    render = "---\n# Source: c/templates/cm.yaml\n" + cm
    (tmp_path / "renders" / "prod.yaml").write_text(render.format(level="a"))
    (tmp_path / "renders" / "staging.yaml").write_text(render.format(level="b"))
    report = run(registry, tmp_path, select={"duplicate-object"})
    found = sorted((r.file.rsplit("/", 1)[-1], r.line, r.severity) for r in report.results)
    assert found == [("one.yaml", 8, "warning"), ("two.yaml", 3, "info")]
    assert "one.yaml:1" in report.results[0].message


def test_a_rendered_object_is_named_by_its_template(registry, tmp_path):
    (tmp_path / "render.yaml").write_text(RENDER_A.replace("automountServiceAccountToken: false\n", ""))
    [finding] = run(registry, tmp_path, select={"sa-token-automount"}).results
    assert "ServiceAccount 'app' (app/templates/serviceaccount.yaml)" in finding.message


def test_a_unit_is_named_from_the_working_directory_of_its_run(registry, tmp_path, monkeypatch):
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    monkeypatch.chdir(tmp_path)
    assert run(registry, "k8s").objects[0].unit.label == "k8s/"
    monkeypatch.chdir(tmp_path / "k8s")
    assert run(registry, ".").objects[0].unit.label == "./"


def _write_output_dir(root, files):
    for path, (template, body) in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n# Source: {template}\n{body}")


OUTPUT_DIR = {  # what `helm template shop --output-dir out` writes: one file per template, at its own path
    "out/shop/templates/deployment.yaml": ("shop/templates/deployment.yaml", DEPLOY.format(ns="").replace(
        "          image: nginx:1.27\n",
        "          image: nginx:1.27\n          envFrom: [{configMapRef: {name: web-env}}]\n")),
    "out/shop/templates/serviceaccount.yaml": ("shop/templates/serviceaccount.yaml", SA.format(ns="")),
    "out/shop/charts/env/templates/configmap.yaml": (
        "shop/charts/env/templates/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-env}\n"
                                                    "data: {MODE: fast}\n"),
    "out/shop/templates/pdb.yaml": ("shop/templates/pdb.yaml", "apiVersion: policy/v1\nkind: PodDisruptionBudget\n"
                                    "metadata: {name: web}\nspec:\n  minAvailable: 1\n"
                                    "  selector: {matchLabels: {app: web}}\n"),
}


def test_a_render_split_by_output_dir_is_one_unit(registry, tmp_path):
    from k8slint.load import load
    from k8slint.units import unit_of

    _write_output_dir(tmp_path, OUTPUT_DIR)
    units = {unit_of(d) for d in load([str(tmp_path / "out")]).documents}
    assert len(units) == 1
    [unit] = units
    assert unit.rendered and unit.label.endswith("out/shop/")
    report = lint([str(tmp_path / "out")], registry, Settings())
    assert [r.rule for r in report.results if r.rule in ("reference-missing", "selector-matches-nothing")] == []
    # still a complete unit: a reference nothing in the render answers is reported
    (tmp_path / "out/shop/charts/env/templates/configmap.yaml").unlink()
    report = lint([str(tmp_path / "out")], registry, Settings())
    assert [(r.rule, r.file.rsplit("/", 1)[-1]) for r in report.results if r.rule == "reference-missing"] == \
        [("reference-missing", "deployment.yaml")]


def test_a_file_whose_path_is_not_its_template_path_stays_a_unit_of_its_own(tmp_path):
    from k8slint.load import load
    from k8slint.units import unit_of

    _write_output_dir(tmp_path, {
        "renders/shop/templates/a.yaml": ("shop/templates/deployment.yaml", SA.format(ns="-a")),
        "renders/shop/templates/b.yaml": ("shop/templates/b.yaml", SA.format(ns="-b")),
        "renders/shop/templates/c.yaml": ("shop/templates/c.yaml", SA.format(ns="-c")),
    })
    units = {d.source.display.rsplit("/", 1)[-1]: unit_of(d) for d in load([str(tmp_path / "renders")]).documents}
    assert units["b.yaml"] is units["c.yaml"]  # both at their template's path: one render
    assert units["a.yaml"] is not units["b.yaml"]
