"""Charts and kustomizations: rendered for real (helm-python-sdk, kubectl's kustomize),
findings mapped back to the template or resource file, and the failure paths."""

from __future__ import annotations

import json
import os
import stat
import sys
import textwrap

import pytest

from k8slint.cli import main
from k8slint.load.render import which

CHART = {
    "Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
    "values.yaml": "replicas: 2\nimage: registry.example.com/shop:1.0.0\nschedule: '0 2 * * *'\n",
    "templates/_helpers.tpl": '{{- define "shop.name" -}}{{ .Release.Name }}-shop{{- end -}}\n',
    "templates/NOTES.txt": "Thanks for installing {{ .Release.Name }}.\n",
    "templates/deployment.yaml": textwrap.dedent("""\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ include "shop.name" . }}
          namespace: {{ .Release.Namespace }}
        spec:
          replicas: {{ .Values.replicas }}
          selector:
            matchLabels: {app: shop}
          template:
            metadata:
              labels: {app: shop}
            spec:
              automountServiceAccountToken: false
              containers:
                - name: web
                  image: {{ .Values.image }}
                  livenessProbe:
                    httpGet: {path: /healthz, port: admin}
        """),
    "templates/cronjob.yaml": textwrap.dedent("""\
        {{- if .Values.schedule }}
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: {{ include "shop.name" . }}-report
        spec:
          schedule: {{ .Values.schedule | quote }}
          startingDeadlineSeconds: 300
          jobTemplate:
            spec:
              template:
                spec:
                  automountServiceAccountToken: false
                  restartPolicy: OnFailure
                  containers:
                    - name: report
                      image: {{ .Values.image }}
        {{- end }}
        """),
}


def write_tree(root, files: dict):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture
def no_helm_binary(tmp_path, monkeypatch):
    """A PATH without helm, so the in-process Helm SDK renders."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return empty


def run_json(capsys, *argv):
    code = main(["--no-config", "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip().startswith("{") else None), err


def test_chart_is_rendered_and_findings_point_at_the_template(tmp_path, capsys, no_helm_binary):
    pytest.importorskip("helm_python")
    chart = write_tree(tmp_path / "chart", CHART)
    code, data, err = run_json(capsys, "--select", "probe-port-unknown,cronjob-invalid-schedule",
                               "--set", "schedule=0 2 * * 7", "--release-name", "prod",
                               "--namespace", "shop", str(chart))
    assert code == 1, err
    findings = {f["rule"]: f for f in data["findings"]}
    probe = findings["probe-port-unknown"]
    assert probe["file"] == os.path.relpath(chart / "templates/deployment.yaml")
    assert (probe["line"], probe["column"]) == (19, 39)  # `port: admin` in the template itself
    assert probe["template"] == "shop/templates/deployment.yaml"
    assert probe["object"] == {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "shop",
                               "namespaceExplicit": True, "name": "prod-shop"}
    schedule = findings["cronjob-invalid-schedule"]
    assert schedule["file"].endswith("templates/cronjob.yaml") and schedule["line"] == 7
    assert "day of week 7" in schedule["message"]


def test_values_files_and_set_are_applied_in_order(tmp_path, capsys, no_helm_binary):
    pytest.importorskip("helm_python")
    chart = write_tree(tmp_path / "chart", CHART)
    (tmp_path / "a.yaml").write_text("schedule: ''\nimage: registry.example.com/shop\n")
    (tmp_path / "b.yaml").write_text("replicas: 3\n")
    code, data, err = run_json(capsys, "--select", "schema-violation", "-f", str(tmp_path / "a.yaml"),
                               "--values", str(tmp_path / "b.yaml"), "--set", "replicas=four", str(chart))
    assert code == 1, err
    [finding] = data["findings"]
    assert "`replicas` must be an integer, not the string \"four\"" in finding["message"]
    assert finding["file"].endswith("templates/deployment.yaml") and finding["line"] == 7
    assert data["summary"]["objects"] == 1  # the empty schedule left the CronJob out


def test_text_output_names_the_rendered_position(tmp_path, capsys, no_helm_binary):
    pytest.importorskip("helm_python")
    chart = write_tree(tmp_path / "chart", CHART)
    main(["--no-config", "--select", "probe-port-unknown", str(chart)])
    out = capsys.readouterr().out
    assert "   19 |             httpGet: {path: /healthz, port: admin}" in out
    assert "= rendered from Helm template shop/templates/deployment.yaml" in out
    assert "(helm template), line" not in out and "of " + os.path.normpath(str(chart)) + " (helm template)" in out


def test_kustomization_is_built_and_findings_point_at_the_resource(tmp_path, capsys):
    if which("kubectl") is None and which("kustomize") is None:
        pytest.skip("neither kubectl nor kustomize is installed")
    write_tree(tmp_path, {
        "base/kustomization.yaml": "resources: [deployment.yaml]\n",
        "base/deployment.yaml": textwrap.dedent("""\
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  automountServiceAccountToken: false
                  containers:
                    - name: web
                      image: registry.example.com/web:1.0.0
                      volumeMounts:
                        - name: config
                          mountPath: /etc/web/web.conf
                          subPath: web.conf
                  volumes:
                    - name: config
                      configMap: {name: web-config}
            """),
        "overlays/prod/kustomization.yaml": "resources: [../../base]\nnamespace: prod\n",
    })
    code, data, err = run_json(capsys, "--select", "subpath-configmap-stale", str(tmp_path / "overlays/prod"))
    assert code == 1, err
    [finding] = data["findings"]
    assert finding["file"] == os.path.relpath(tmp_path / "base/deployment.yaml")
    assert (finding["line"], finding["column"]) == (19, 15)
    assert finding["object"]["namespace"] == "prod"
    annotations = data["findings"][0]["object"]
    assert "config.kubernetes.io/origin" not in json.dumps(annotations)


def fake_tool(folder, name: str, script: str):
    path = folder / name
    path.write_text(f"#!{sys.executable}\n" + textwrap.dedent(script))
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_arguments_are_passed_to_the_users_helm(tmp_path, capsys, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "argv.json"
    fake_tool(bin_dir, "helm", f"""
        import json, sys
        json.dump(sys.argv[1:], open({str(record)!r}, "w"))
        print("---\\n# Source: shop/templates/cm.yaml\\napiVersion: v1\\nkind: ConfigMap\\nmetadata: {{name: x}}")
        """)
    monkeypatch.setenv("PATH", str(bin_dir))
    chart = write_tree(tmp_path / "chart", {"Chart.yaml": CHART["Chart.yaml"]})
    code, data, err = run_json(capsys, "-f", "v1.yaml", "-f", "v2.yaml", "--set", "a=1", "--release-name", "r",
                               "--namespace", "ns", str(chart))
    assert code == 0, err
    assert json.loads(record.read_text()) == ["template", "r", str(chart), "--namespace", "ns", "--values",
                                              "v1.yaml", "--values", "v2.yaml", "--set", "a=1"]
    assert data["summary"]["objects"] == 1


@pytest.fixture
def failing_helm(tmp_path, monkeypatch):
    """A `helm` on PATH that fails the way a template error does."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_tool(bin_dir, "helm", """
        import sys
        sys.stderr.write("Error: template: shop/templates/x.yaml:3:7: executing ... nil pointer\\n")
        sys.exit(1)
        """)
    monkeypatch.setenv("PATH", str(bin_dir))


def test_render_failure_shows_the_tools_stderr_and_other_paths_still_lint(tmp_path, capsys, failing_helm):
    chart = write_tree(tmp_path / "chart", {"Chart.yaml": CHART["Chart.yaml"]})
    other = tmp_path / "cm.yaml"
    other.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    code, data, err = run_json(capsys, str(chart), str(other))
    assert code == 2
    assert "helm template" in err and "nil pointer" in err
    assert data["summary"]["objects"] == 1


def test_render_timeout(tmp_path, capsys, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_tool(bin_dir, "helm", "import time; time.sleep(30)\n")
    monkeypatch.setenv("PATH", str(bin_dir))
    chart = write_tree(tmp_path / "chart", {"Chart.yaml": CHART["Chart.yaml"]})
    code, _, err = run_json(capsys, "--render-timeout", "0.5", str(chart))
    assert code == 2 and "did not finish within 0.5 s" in err


def test_missing_renderer_is_a_clear_error(tmp_path, capsys, no_helm_binary, monkeypatch):
    monkeypatch.setitem(sys.modules, "helm_python", None)  # the extra is not installed
    chart = write_tree(tmp_path / "chart", {"Chart.yaml": CHART["Chart.yaml"]})
    code, _, err = run_json(capsys, str(chart))
    assert code == 2 and "no `helm` on PATH" in err and "k8slint[helm]" in err


def test_no_render_lints_the_folder_as_files(tmp_path, capsys):
    chart = write_tree(tmp_path / "chart", CHART)
    code, data, _ = run_json(capsys, "--no-render", str(chart))
    assert data["summary"]["skipped_templates"] == 2 and data["summary"]["files"] == 2


def test_a_chart_met_in_a_walk_that_fails_to_render_is_a_finding(tmp_path, capsys, failing_helm):
    repo = tmp_path / "repo"
    write_tree(repo / "charts" / "shop", {"Chart.yaml": CHART["Chart.yaml"]})
    (repo / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    code, data, err = run_json(capsys, str(repo))
    assert code == 1, err
    [failed] = [f for f in data["findings"] if f["rule"] == "render-failed"]
    assert os.path.abspath(failed["file"]) == str(repo / "charts" / "shop" / "Chart.yaml")
    assert "nil pointer" in failed["message"] and failed["severity"] == "error"
    assert data["summary"]["objects"] == 1  # the rest of the walk is linted


def test_a_walk_without_a_renderer_notes_it_once_and_goes_on(tmp_path, capsys, no_helm_binary, monkeypatch):
    monkeypatch.setitem(sys.modules, "helm_python", None)  # the extra is not installed
    repo = tmp_path / "repo"
    for name in ("a", "b"):
        write_tree(repo / "charts" / name, {"Chart.yaml": CHART["Chart.yaml"],
                                            "templates/x.yaml": "{{ .Values.x }}\n"})
    (repo / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    code, data, err = run_json(capsys, str(repo))
    assert code == 0, err
    assert err.count("note:") == 1 and "2 Helm charts not rendered" in err and "k8slint[helm]" in err
    assert data["findings"] == [] and data["summary"]["objects"] == 1
    # a raw template given by name (a staged file) is never read as YAML either
    code, data, err = run_json(capsys, str(repo / "charts" / "a" / "templates" / "x.yaml"))
    assert code == 0 and "1 Helm chart not rendered" in err
    assert data["findings"] == []


def test_a_walk_renders_the_charts_it_meets(tmp_path, capsys, no_helm_binary):
    pytest.importorskip("helm_python")
    repo = tmp_path / "repo"
    write_tree(repo / "charts" / "shop", CHART)
    code, data, err = run_json(capsys, "--select", "probe-port-unknown", str(repo))
    assert code == 1, err
    [probe] = data["findings"]
    assert probe["file"] == os.path.relpath(repo / "charts" / "shop" / "templates" / "deployment.yaml")
    # staged alone, the template renders its chart, findings mapped back to the templates
    code, staged, err = run_json(capsys, "--select", "probe-port-unknown",
                                 str(repo / "charts" / "shop" / "values.yaml"))
    assert code == 1, err
    assert staged["findings"] == data["findings"]


def test_a_position_maps_into_the_document_its_object_came_from(tmp_path):
    """Two objects of one resource file with the same lines: each maps into its own document,
    also when kustomize's namePrefix changed their names."""
    from k8slint.load import Source
    from k8slint.load.origins import OriginMapper

    origin = tmp_path / "app.yaml"
    probe = "    livenessProbe:\n      tcpSocket: {port: 80}\n"
    origin.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n" + probe
                      + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cache\nspec:\n" + probe)
    rendered_text = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: prod-cache\nspec:\n" + probe)
    rendered = Source("<kustomize build>", None, rendered_text)
    mapper = OriginMapper()
    target, line, column = mapper.map(rendered, 0, 6, 5, str(origin), "Deployment", "prod-cache")
    assert target.path == str(origin) and (line, column) == (14, 5)
    # without the object's kind and name, the first occurrence in the file is all there is to go by
    assert mapper.map(rendered, 0, 6, 5, str(origin))[1] == 6
    # a kind the file does not hold: the whole file
    assert mapper.map(rendered, 0, 6, 5, str(origin), "StatefulSet", "prod-cache")[1] == 6


@pytest.mark.parametrize("name", ["a #b", "x: y", "new\nline", "[list]", "- dash"])
def test_a_kustomization_folder_with_an_odd_name_builds_itself(tmp_path, capsys, monkeypatch, name):
    """The wrapper kustomization names the folder as a YAML string, whatever characters it holds:
    a `#` once cut the path short and built the folder `a` in place of `a #b`."""
    if which("kubectl") is None and which("kustomize") is None:
        pytest.skip("neither kubectl nor kustomize is installed")
    monkeypatch.chdir(tmp_path)
    decoy = name.split(" ")[0].split("\n")[0]  # where a path cut short at the space or line break leads
    for folder, label in [(name, "odd")] + ([(decoy, "decoy")] if decoy != name else []):
        write_tree(tmp_path, {f"{folder}/kustomization.yaml": "resources: [cm.yaml]\n",
                              f"{folder}/cm.yaml": f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {label}\n"
                                                   "bogus: 1\n"})
    code, data, err = run_json(capsys, "--no-context", name)
    assert code == 1, err
    [finding] = data["findings"]
    assert finding["object"]["name"] == "odd" and finding["file"] == os.path.join(name, "cm.yaml")
    assert finding["unit"] == f"{name} (kustomize build)"


@pytest.mark.parametrize("name", ["a #b", "x: y", "new\nline", "[list]", "- dash", "'quote\"", "tab\there"])
def test_the_wrapper_kustomization_names_the_folder_exactly(tmp_path, monkeypatch, name):
    """Without any renderer installed: the wrapper file read back gives the folder's path, whatever its name."""
    import yaml

    from k8slint.load import render

    folder = tmp_path / name
    folder.mkdir()
    seen = {}

    def fake_run(argv, timeout, what):
        wrapper = argv[-1]
        with open(os.path.join(wrapper, "kustomization.yaml"), encoding="utf-8") as fh:
            seen["spec"] = yaml.safe_load(fh)
        seen["wrapper"] = wrapper
        return ""

    monkeypatch.setattr(render, "which", lambda tool: "/usr/bin/" + tool)
    monkeypatch.setattr(render, "_run", fake_run)
    render.render_kustomization(str(folder))
    [target] = seen["spec"]["resources"]
    assert os.path.normpath(os.path.join(seen["wrapper"], target)) == str(folder)
    assert seen["spec"]["buildMetadata"] == ["originAnnotations", "transformerAnnotations"]


DEPENDENT_CHART = {
    "Chart.yaml": "apiVersion: v2\nname: shop\nversion: 0.1.0\ndependencies:\n"
                  "  - {name: cache, version: 1.0.0, repository: 'https://charts.example.com', condition: cache.on}\n"
                  "  - {name: queue, version: 2.0.0, repository: 'file://../queue', alias: jobs}\n",
    "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shop}\n",
}
SUBCHART_CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Chart.Name }}}\n"


def test_a_chart_whose_dependencies_are_not_vendored_is_an_error(tmp_path, capsys, no_helm_binary):
    chart = write_tree(tmp_path / "chart", DEPENDENT_CHART)
    code, data, err = run_json(capsys, str(chart))
    assert code == 2  # as `helm template` refuses it, rather than rendering the parent alone
    assert "dependencies are not in its charts/ folder (cache, queue)" in err
    assert f"helm dependency build {chart}" in err
    assert data["summary"]["objects"] == 0


def test_vendored_dependencies_by_folder_or_package_render(tmp_path, capsys, no_helm_binary):
    pytest.importorskip("helm_python")
    import tarfile

    chart = write_tree(tmp_path / "chart", DEPENDENT_CHART)
    # a folder whose name is not the chart's: the name in its Chart.yaml is what counts
    write_tree(chart / "charts" / "cache-1.0.0", {"Chart.yaml": "apiVersion: v2\nname: cache\nversion: 1.0.0\n",
                                                  "templates/cm.yaml": SUBCHART_CM})
    packaged = write_tree(tmp_path / "pkg" / "queue", {"Chart.yaml": "apiVersion: v2\nname: queue\nversion: 2.0.0\n",
                                                       "templates/cm.yaml": SUBCHART_CM})
    with tarfile.open(chart / "charts" / "queue-2.0.0.tgz", "w:gz") as archive:
        archive.add(packaged, arcname="queue")
    code, data, err = run_json(capsys, "--select", "schema-violation", str(chart))
    assert code == 0, err
    assert data["summary"]["objects"] == 3  # the parent's ConfigMap and each subchart's


def test_a_walk_meets_a_chart_without_its_dependencies(tmp_path, capsys, no_helm_binary):
    repo = tmp_path / "repo"
    write_tree(repo / "shop", DEPENDENT_CHART)
    (repo / "shop" / "charts").mkdir()
    (repo / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    code, data, err = run_json(capsys, str(repo))
    assert code == 1, err
    [failed] = [f for f in data["findings"] if f["rule"] == "render-failed"]
    assert os.path.abspath(failed["file"]) == str(repo / "shop" / "Chart.yaml")
    assert "helm dependency build" in failed["message"]
    assert data["summary"]["objects"] == 1


def test_a_render_counts_the_templates_its_findings_are_in(tmp_path, capsys, no_helm_binary, monkeypatch):
    pytest.importorskip("helm_python")
    chart = write_tree(tmp_path / "chart", CHART)
    monkeypatch.chdir(tmp_path)
    argv = ["--no-config", "--no-cache", "--select", "probe-port-unknown,cronjob-invalid-schedule",
            "--set", "schedule=0 2 * * 7", "chart"]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "2 errors in 2 of 2 files (2 objects)." in out  # the two templates that rendered objects
    assert main(["--format", "markdown", *argv]) == 1
    assert "In 2 of 2 files (2 objects)." in capsys.readouterr().out
    code, data, _ = run_json(capsys, *argv[1:])
    assert (data["summary"]["files"], data["summary"]["files_with_findings"]) == (2, 2)


def test_a_run_that_failed_never_says_no_problems(tmp_path, capsys, no_helm_binary, monkeypatch):
    write_tree(tmp_path / "chart", DEPENDENT_CHART)
    monkeypatch.chdir(tmp_path)
    assert main(["--no-config", "chart"]) == 2
    out, err = capsys.readouterr()
    assert "No problems found" not in out
    assert out.strip() == "Nothing found in the 0 files linted (0 objects). 1 path could not be read or rendered " \
                          "(see above)."
    assert "helm dependency build" in err
    assert main(["--no-config", "--format", "markdown", "chart"]) == 2
    report = capsys.readouterr().out
    assert report.startswith("## k8slint: the run failed") and "1 path could not be read or rendered" in report
