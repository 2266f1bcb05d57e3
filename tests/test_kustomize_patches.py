"""Kustomize findings whose value a patch set: placed in the patch that set it (strategic merge,
JSON 6902, inline), or, when that cannot be told for sure, left in the resource with a note.
Built for real with the kustomize on PATH (kubectl's or kustomize's own)."""

from __future__ import annotations

import json
import os
import textwrap

import pytest

from k8slint.cli import main
from k8slint.paths import parse as parse_path
from k8slint.load.render import TRANSFORMATIONS_ANNOTATION, Transformation, take_origin, take_transformations, \
    which

pytestmark = pytest.mark.skipif(which("kubectl") is None and which("kustomize") is None,
                                reason="neither kubectl nor kustomize is installed")

DEPLOYMENT = textwrap.dedent("""\
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
            - name: side
              image: registry.example.com/side:1.0.0
    """)

BASE = {"base/kustomization.yaml": "resources: [deployment.yaml]\n", "base/deployment.yaml": DEPLOYMENT}

SIDE_LATEST = textwrap.dedent("""\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      template:
        spec:
          containers:
            - name: side
              image: registry.example.com/side:latest
    """)


def write_tree(root, files: dict):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def lint(capsys, folder, *argv, rule="image-tag-latest"):
    code = main(["--no-config", "--format", "json", "--select", rule, *argv, str(folder)])
    out, err = capsys.readouterr()
    assert out.strip().startswith("{"), err
    return code, json.loads(out)


def line_of(path, text: str, start: int = 1) -> int:
    """The 1-based number of the first line at or after ``start`` that holds ``text``."""
    lines = path.read_text().splitlines()
    return next(i for i, t in enumerate(lines, start=1) if i >= start and text in t)


def column_of(path, line: int, text: str) -> int:
    return path.read_text().splitlines()[line - 1].index(text) + 1


def test_a_strategic_merge_patch_file_that_sets_the_image_gets_the_finding(tmp_path, capsys):
    """The patch's container is matched by name (the second container of the base, the first of the
    patch), under a namePrefix the overlay adds."""
    write_tree(tmp_path, {**BASE, "dev/side.yaml": SIDE_LATEST,
                          "dev/kustomization.yaml": "namePrefix: dev-\nresources: [../base]\n"
                                                    "patches:\n  - path: side.yaml\n"})
    code, data = lint(capsys, tmp_path / "dev")
    assert code == 1
    [finding] = data["findings"]
    patch = tmp_path / "dev/side.yaml"
    assert finding["file"] == os.path.relpath(patch)
    assert (finding["line"], finding["column"]) == (10, 11)
    assert patch.read_text().splitlines()[9].strip() == "image: registry.example.com/side:latest"
    assert finding["object"]["name"] == "dev-web"
    assert finding["path"] == "spec.template.spec.containers[0].image"  # kustomize put the patched one first
    assert "patch" not in finding["message"]


def test_the_text_output_still_names_the_rendered_position(tmp_path, capsys):
    write_tree(tmp_path, {**BASE, "dev/side.yaml": SIDE_LATEST,
                          "dev/kustomization.yaml": "resources: [../base]\npatches:\n  - path: side.yaml\n"})
    main(["--no-config", "--select", "image-tag-latest", str(tmp_path / "dev")])
    out = capsys.readouterr().out
    assert f"{os.path.relpath(tmp_path / 'dev/side.yaml')}:10:11: warning" in out
    assert "(kustomize build)" in out and "found at line" in out


def test_a_json6902_patch_points_at_the_value_of_its_operation(tmp_path, capsys):
    write_tree(tmp_path, {**BASE,
                          "dev/image.yaml": "- op: test\n  path: /kind\n  value: Deployment\n"
                                            "- op: replace\n  path: /spec/template/spec/containers/0/image\n"
                                            "  value: registry.example.com/web:latest\n",
                          "dev/kustomization.yaml": "resources: [../base]\npatches:\n  - path: image.yaml\n"
                                                    "    target: {kind: Deployment, name: web}\n"})
    code, data = lint(capsys, tmp_path / "dev")
    [finding] = data["findings"]
    assert finding["file"] == os.path.relpath(tmp_path / "dev/image.yaml")
    assert (finding["line"], finding["column"]) == (6, 3)


def test_a_json6902_operation_that_adds_a_container_points_inside_its_value(tmp_path, capsys):
    write_tree(tmp_path, {**BASE,
                          "dev/add.json": '[{"op": "add", "path": "/spec/template/spec/containers/-",\n'
                                          '  "value": {"name": "debug",\n'
                                          '            "image": "busybox:latest"}}]\n',
                          "dev/kustomization.yaml": "resources: [../base]\npatchesJson6902:\n  - path: add.json\n"
                                                    "    target: {group: apps, version: v1, kind: Deployment, "
                                                    "name: web}\n"})
    code, data = lint(capsys, tmp_path / "dev")
    [finding] = data["findings"]
    assert finding["file"] == os.path.relpath(tmp_path / "dev/add.json")
    assert (finding["line"], finding["column"]) == (3, 13)
    assert finding["path"] == "spec.template.spec.containers[2].image"


def test_an_inline_patch_points_at_its_line_in_the_kustomization(tmp_path, capsys):
    kustomization = textwrap.dedent("""\
        resources: [../base]
        patches:
          - patch: |
              apiVersion: apps/v1
              kind: Deployment
              metadata:
                name: web
              spec:
                template:
                  spec:
                    containers:
                      - name: side
                        image: registry.example.com/side:latest
          - target: {kind: Deployment}
            patch: |-
              - op: add
                path: /spec/template/spec/containers/-
                value:
                  name: debug
                  image: busybox:latest
        """)
    write_tree(tmp_path, {**BASE, "dev/kustomization.yaml": kustomization})
    code, data = lint(capsys, tmp_path / "dev")
    path = tmp_path / "dev/kustomization.yaml"
    places = sorted((f["file"], f["line"], f["column"]) for f in data["findings"])
    side = line_of(path, "side:latest")
    debug = line_of(path, "busybox:latest")
    assert places == [(os.path.relpath(path), side, column_of(path, side, "image:")),
                      (os.path.relpath(path), debug, column_of(path, debug, "image:"))]


def test_an_inline_patch_in_a_quoted_string_points_at_its_key(tmp_path, capsys):
    kustomization = ("resources: [../base]\npatches:\n  - target: {kind: Deployment}\n"
                     "    patch: '[{\"op\": \"replace\", \"path\": \"/spec/template/spec/containers/1/image\", "
                     "\"value\": \"registry.example.com/side:latest\"}]'\n")
    write_tree(tmp_path, {**BASE, "dev/kustomization.yaml": kustomization})
    code, data = lint(capsys, tmp_path / "dev")
    [finding] = data["findings"]
    path = tmp_path / "dev/kustomization.yaml"
    assert finding["file"] == os.path.relpath(path)
    assert (finding["line"], finding["column"]) == (4, column_of(path, 4, '"value"'))


def test_of_two_patches_the_later_one_wins(tmp_path, capsys):
    first = SIDE_LATEST.replace("side:latest", "first:latest")
    second = SIDE_LATEST.replace("side:latest", "second:latest")
    write_tree(tmp_path, {**BASE, "dev/first.yaml": first, "dev/second.yaml": second,
                          "dev/kustomization.yaml": "resources: [../base]\n"
                                                    "patches:\n  - path: first.yaml\n  - path: second.yaml\n",
                          "swapped/first.yaml": first, "swapped/second.yaml": second,
                          "swapped/kustomization.yaml": "resources: [../base]\n"
                                                        "patches:\n  - path: second.yaml\n  - path: first.yaml\n"})
    _, data = lint(capsys, tmp_path / "dev")
    [finding] = data["findings"]
    assert (finding["file"], finding["line"]) == (os.path.relpath(tmp_path / "dev/second.yaml"), 10)
    _, data = lint(capsys, tmp_path / "swapped")
    [finding] = data["findings"]
    assert (finding["file"], finding["line"]) == (os.path.relpath(tmp_path / "swapped/first.yaml"), 10)


def test_an_overlay_patch_wins_over_the_patch_of_the_overlay_it_builds_on(tmp_path, capsys):
    write_tree(tmp_path, {**BASE, "dev/side.yaml": SIDE_LATEST,
                          "dev/kustomization.yaml": "namePrefix: dev-\nresources: [../base]\n"
                                                    "patchesStrategicMerge: [side.yaml]\n",
                          "team/side.yaml": SIDE_LATEST.replace("side:latest", "team:latest"),
                          "team/kustomization.yaml": "namePrefix: team-\nresources: [../dev]\n"
                                                     "patches:\n  - path: side.yaml\n"})
    _, data = lint(capsys, tmp_path / "team")
    [finding] = data["findings"]
    assert finding["object"]["name"] == "team-dev-web"
    assert (finding["file"], finding["line"]) == (os.path.relpath(tmp_path / "team/side.yaml"), 10)
    _, data = lint(capsys, tmp_path / "dev")
    [finding] = data["findings"]
    assert (finding["file"], finding["line"]) == (os.path.relpath(tmp_path / "dev/side.yaml"), 10)


def test_a_field_no_patch_sets_stays_in_the_base(tmp_path, capsys):
    """The patch touches the container (and its image), not its securityContext, which the base sets."""
    deployment = DEPLOYMENT.replace("          image: registry.example.com/side:1.0.0\n",
                                    "          image: registry.example.com/side:1.0.0\n"
                                    "          securityContext:\n            privileged: true\n")
    patch = SIDE_LATEST.replace("side:latest", "side:2.0.0")
    write_tree(tmp_path, {"base/kustomization.yaml": BASE["base/kustomization.yaml"],
                          "base/deployment.yaml": deployment, "dev/side.yaml": patch,
                          "dev/kustomization.yaml": "namePrefix: dev-\nresources: [../base]\n"
                                                    "patches:\n  - path: side.yaml\n"})
    _, data = lint(capsys, tmp_path / "dev", rule="privileged-container")
    [finding] = data["findings"]
    base = tmp_path / "base/deployment.yaml"
    assert (finding["file"], finding["line"]) == (os.path.relpath(base), line_of(base, "privileged: true"))
    assert "patch" not in finding["message"]


def test_the_base_value_of_an_unpatched_container_stays_in_the_base(tmp_path, capsys):
    deployment = DEPLOYMENT.replace("web:1.0.0", "web:latest")
    write_tree(tmp_path, {"base/kustomization.yaml": BASE["base/kustomization.yaml"],
                          "base/deployment.yaml": deployment,
                          "dev/side.yaml": SIDE_LATEST.replace("side:latest", "side:2.0.0"),
                          "dev/kustomization.yaml": "resources: [../base]\npatches:\n  - path: side.yaml\n"})
    _, data = lint(capsys, tmp_path / "dev")
    [finding] = data["findings"]
    base = tmp_path / "base/deployment.yaml"
    assert (finding["file"], finding["line"]) == (os.path.relpath(base), line_of(base, "web:latest"))
    assert "patch" not in finding["message"]


def test_an_ignore_comment_on_the_patched_line_suppresses_the_finding(tmp_path, capsys):
    patch = SIDE_LATEST.replace("side:latest", "side:latest  # k8slint: ignore[image-tag-latest] dev builds")
    write_tree(tmp_path, {**BASE, "dev/side.yaml": patch,
                          "dev/kustomization.yaml": "resources: [../base]\npatches:\n  - path: side.yaml\n"})
    code, data = lint(capsys, tmp_path / "dev")
    assert code == 0
    assert data["findings"] == []
    [kept] = data["suppressed"]
    assert kept["file"] == os.path.relpath(tmp_path / "dev/side.yaml") and kept["line"] == 10
    assert kept["suppression"]["kind"] == "comment" and kept["suppression"]["reason"] == "dev builds"


def test_an_ignore_comment_above_an_inline_patch_line_suppresses_the_finding(tmp_path, capsys):
    kustomization = textwrap.dedent("""\
        resources: [../base]
        patches:
          - target: {kind: Deployment}
            patch: |-
              - op: replace
                path: /spec/template/spec/containers/0/image
                # k8slint: ignore[image-tag-latest] dev builds
                value: registry.example.com/web:latest
        """)
    write_tree(tmp_path, {**BASE, "dev/kustomization.yaml": kustomization})
    code, data = lint(capsys, tmp_path / "dev")
    assert code == 0 and data["findings"] == []
    [kept] = data["suppressed"]
    assert kept["file"] == os.path.relpath(tmp_path / "dev/kustomization.yaml") and kept["line"] == 8


def test_an_index_into_a_list_a_patch_reordered_is_not_trusted(tmp_path, capsys):
    """A strategic-merge patch of one container puts it first; the JSON patch's index 0 then named
    that container, but which one it named cannot be told from the index: the finding stays in the
    base, with a note."""
    write_tree(tmp_path, {**BASE, "dev/side.yaml": SIDE_LATEST.replace("side:latest", "side:2.0.0"),
                          "dev/image.yaml": "- op: replace\n  path: /spec/template/spec/containers/0/image\n"
                                            "  value: registry.example.com/web:latest\n",
                          "dev/kustomization.yaml": "resources: [../base]\npatches:\n  - path: side.yaml\n"
                                                    "  - path: image.yaml\n    target: {kind: Deployment}\n"})
    _, data = lint(capsys, tmp_path / "dev")
    [finding] = data["findings"]
    assert finding["file"] == os.path.relpath(tmp_path / "base/deployment.yaml")
    assert finding["message"].endswith(f"(value may come from patch {os.path.relpath(tmp_path / 'dev/image.yaml')})")


def test_a_patch_chosen_by_label_selector_is_named_not_trusted(tmp_path, capsys):
    deployment = DEPLOYMENT.replace("  name: web\n", "  name: web\n  labels: {app: web}\n", 1)
    write_tree(tmp_path, {"base/kustomization.yaml": BASE["base/kustomization.yaml"],
                          "base/deployment.yaml": deployment,
                          "dev/image.yaml": "- op: replace\n  path: /spec/template/spec/containers/1/image\n"
                                            "  value: registry.example.com/side:latest\n",
                          "dev/kustomization.yaml": "resources: [../base]\npatches:\n  - path: image.yaml\n"
                                                    "    target: {labelSelector: 'app in (web)'}\n"})
    _, data = lint(capsys, tmp_path / "dev")
    [finding] = data["findings"]
    assert finding["file"] == os.path.relpath(tmp_path / "base/deployment.yaml")
    assert "(value may come from patch" in finding["message"]


def test_an_equality_label_selector_the_resource_file_satisfies_is_trusted(tmp_path, capsys):
    deployment = DEPLOYMENT.replace("  name: web\n", "  name: web\n  labels: {app: web}\n", 1)
    write_tree(tmp_path, {"base/kustomization.yaml": BASE["base/kustomization.yaml"],
                          "base/deployment.yaml": deployment,
                          "dev/image.yaml": "- op: replace\n  path: /spec/template/spec/containers/1/image\n"
                                            "  value: registry.example.com/side:latest\n",
                          "dev/kustomization.yaml": "resources: [../base]\npatches:\n  - path: image.yaml\n"
                                                    "    target: {labelSelector: app=web}\n"})
    _, data = lint(capsys, tmp_path / "dev")
    [finding] = data["findings"]
    assert (finding["file"], finding["line"]) == (os.path.relpath(tmp_path / "dev/image.yaml"), 3)


def test_a_copy_operation_is_named_as_setting_the_value(tmp_path, capsys):
    kustomization = textwrap.dedent("""\
        resources: [../base]
        patches:
          - target: {kind: Deployment}
            patch: |-
              - op: replace
                path: /spec/template/spec/containers/0/image
                value: registry.example.com/web:latest
              - op: copy
                from: /spec/template/spec/containers/0/image
                path: /spec/template/spec/containers/1/image
        """)
    write_tree(tmp_path, {**BASE, "dev/kustomization.yaml": kustomization})
    _, data = lint(capsys, tmp_path / "dev")
    path = os.path.relpath(tmp_path / "dev/kustomization.yaml")
    web, side = sorted(data["findings"], key=lambda f: f["path"])
    assert (web["file"], web["line"]) == (path, 7)
    base = tmp_path / "base/deployment.yaml"
    assert (side["file"], side["line"]) == (os.path.relpath(base), line_of(base, "side:1.0.0"))
    assert side["message"].endswith(f"(value set by a patch in {path})")


def test_a_missing_field_stays_at_its_container_in_the_base_whatever_the_order(tmp_path, capsys):
    """The patched container comes first in the build; each finding still names its own container
    in the resource file, told by name."""
    write_tree(tmp_path, {**BASE, "dev/side.yaml": SIDE_LATEST.replace("side:latest", "side:2.0.0"),
                          "dev/kustomization.yaml": "resources: [../base]\npatches:\n  - path: side.yaml\n"})
    _, data = lint(capsys, tmp_path / "dev", rule="privilege-escalation-allowed")
    base = tmp_path / "base/deployment.yaml"
    places = {f["message"].split("'")[1]: (f["file"], f["line"], f["column"]) for f in data["findings"]}
    assert places == {"web": (os.path.relpath(base), line_of(base, "- name: web"), 11),
                      "side": (os.path.relpath(base), line_of(base, "- name: side"), 11)}


def test_a_value_changed_after_the_patch_is_not_placed_in_the_patch(tmp_path, capsys):
    """The patch sets the image, `images:` then changes its tag to latest: the patch's line holds
    another value."""
    write_tree(tmp_path, {**BASE, "dev/side.yaml": SIDE_LATEST.replace("side:latest", "side:2.0.0"),
                          "dev/kustomization.yaml": "resources: [../base]\npatches:\n  - path: side.yaml\n"
                                                    "images:\n  - name: registry.example.com/side\n"
                                                    "    newTag: latest\n"})
    _, data = lint(capsys, tmp_path / "dev")
    [finding] = data["findings"]
    assert finding["file"] == os.path.relpath(tmp_path / "base/deployment.yaml")
    assert "(value may come from patch" in finding["message"]


def test_a_component_patch_maps_too(tmp_path, capsys):
    write_tree(tmp_path, {**BASE,
                          "debug/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\n"
                                                      "kind: Component\npatches:\n  - path: side.yaml\n",
                          "debug/side.yaml": SIDE_LATEST,
                          "dev/kustomization.yaml": "resources: [../base]\ncomponents: [../debug]\n"})
    _, data = lint(capsys, tmp_path / "dev")
    [finding] = data["findings"]
    assert (finding["file"], finding["line"]) == (os.path.relpath(tmp_path / "debug/side.yaml"), 10)


def test_the_build_annotations_are_taken_off_the_objects(tmp_path, capsys):
    """The rules see each object as before: neither kustomize annotation, and no empty annotations."""
    from k8slint.load import LoadResult, render_source
    from k8slint.load.render import RenderOptions

    write_tree(tmp_path, {**BASE, "dev/side.yaml": SIDE_LATEST,
                          "dev/kustomization.yaml": "resources: [../base]\npatches:\n  - path: side.yaml\n"
                                                    "commonAnnotations: {team: shop}\n"})
    result = LoadResult()
    render_source("kustomize", str(tmp_path / "dev"), RenderOptions(), result)
    [doc] = result.documents
    assert doc.data["metadata"] == {"name": "web", "annotations": {"team": "shop"}}
    assert doc.origin == str(tmp_path / "base/deployment.yaml")
    kustomization = str(tmp_path / "dev/kustomization.yaml")
    assert [(t.file, t.kind) for t in doc.transformations] == [(kustomization, "PatchTransformer"),
                                                               (kustomization, "AnnotationsTransformer")]


def test_take_transformations_reads_and_removes_the_annotation():
    data = {"metadata": {"name": "x", "annotations": {
        "config.kubernetes.io/origin": "path: ../base/a.yaml\n",
        TRANSFORMATIONS_ANNOTATION: "- configuredIn: ../o/kustomization.yaml\n"
                                    "  configuredBy: {apiVersion: builtin, kind: PatchTransformer}\n"
                                    "- configuredIn: ../o/t.yaml\n"
                                    "  configuredBy: {apiVersion: builtin, kind: PatchTransformer, name: t}\n"
                                    "- configuredIn: base/kustomization.yaml\n  repo: https://example.com/r\n"
                                    "  configuredBy: {apiVersion: builtin, kind: PrefixTransformer}\n"}}}
    assert take_origin(data, "/w") == "/base/a.yaml"
    assert take_transformations(data, "/w") == [Transformation("/o/kustomization.yaml", "PatchTransformer", True),
                                                Transformation("/o/t.yaml", "PatchTransformer", False),
                                                Transformation(None, "PrefixTransformer", True)]
    assert data == {"metadata": {"name": "x"}}
    assert take_transformations(data, "/w") == []


@pytest.mark.parametrize("path", ["spec.template.spec.containers[0].image", "metadata.name", "a[0][1]",
                                  'metadata.annotations["a.b/c"].x', "kind"])
def test_a_finding_path_reads_back(path):
    from k8slint.paths import render

    parsed = parse_path(path)
    assert parsed is not None and render(parsed) == path
    assert parse_path("a..b") is None and parse_path("[x]") is None
