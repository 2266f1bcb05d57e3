"""Schema validation: built-in kinds per version, CRD structural schemas, --crds, --strict-kinds."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from k8slint.cli import main
from k8slint.kube import schemas, versions


def test_every_known_version_has_schemas():
    for version in versions.known():
        store = schemas.builtin(versions.parse(version))
        assert store.available and store.validator("apps/v1", "Deployment") is not None


def test_validators_are_built_once_per_version_and_kind():
    store = schemas.builtin((1, 37))
    assert store.validator("v1", "Pod") is store.validator("v1", "Pod")
    assert store.validator("extensions/v1beta1", "Deployment") is None
    assert store.validator("example.com/v1", "Widget") is None


def test_structural_translation():
    crd = {"type": "object", "properties": {
        "spec": {"type": "object", "required": ["a", "b"], "properties": {
            "a": {"type": "string"},
            "b": {"type": "integer", "default": 1},
            "n": {"type": "integer", "nullable": True, "minimum": 0, "exclusiveMinimum": True},
            "ios": {"x-kubernetes-int-or-string": True},
            "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        }}}}
    out = schemas.structural(crd, root=True)
    spec = out["properties"]["spec"]
    assert spec["required"] == ["a"]                       # b has a default
    assert spec["additionalProperties"] is False           # strict: unknown fields rejected
    assert spec["properties"]["n"] == {"type": ["integer", "null"], "exclusiveMinimum": 0}
    assert {"type": "string"} in spec["properties"]["ios"]["anyOf"]
    assert "additionalProperties" not in spec["properties"]["free"]
    assert spec["properties"]["labels"]["additionalProperties"] == {"type": "string"}
    assert set(out["properties"]) >= {"apiVersion", "kind", "metadata"}


CR = """\
apiVersion: backup.example.com/v1
kind: Schedule
metadata: {name: nightly}
spec:
  cron: "0 2 * * *"
  target: {kind: PostgresCluster, nmae: main}
"""


def test_crds_flag_learns_schemas_without_linting_the_crds(tmp_path, capsys):
    cr = tmp_path / "cr.yaml"
    cr.write_text(CR)
    crd = str(FIXTURES / "schema-violation" / "crd.yaml")
    code = main(["--format", "json", str(cr)])
    assert code == 0 and not json.loads(capsys.readouterr().out)["findings"]
    code = main(["--format", "json", "--crds", crd, str(cr)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    assert [(f["rule"], f["line"], f["message"]) for f in findings] == [
        ("schema-violation", 6, "unknown field `nmae` in `target` — did you mean `name`?")]
    assert all(f["file"] == str(cr) for f in findings)


def test_strict_kinds(tmp_path, capsys):
    cr = tmp_path / "cr.yaml"
    cr.write_text(CR)
    assert main([str(cr)]) == 0
    capsys.readouterr()
    assert main(["--strict-kinds", "--format", "json", str(cr)]) == 1
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert finding["rule"] == "schema-unknown-kind" and finding["line"] == 2
    crd = str(FIXTURES / "schema-violation" / "crd.yaml")
    assert main(["--strict-kinds", "--crds", crd, "--format", "json", str(cr)]) == 1
    assert {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]} == {"schema-violation"}


def test_missing_crds_path_is_an_error(tmp_path, capsys):
    cr = tmp_path / "cr.yaml"
    cr.write_text(CR)
    assert main(["--crds", str(tmp_path / "nope"), str(cr)]) == 2


@pytest.mark.parametrize("version, fires", [("1.29", True), ("1.30", False)])
def test_schemas_follow_the_target_version(tmp_path, capsys, version, fires):
    svc = tmp_path / "svc.yaml"
    svc.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
                   "spec: {selector: {app: a}, trafficDistribution: PreferClose, ports: [{port: 80}]}\n")
    main(["--kube-version", version, "--format", "json", str(svc)])
    rules = {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert ("schema-violation" in rules) is fires


def test_kept_schemas_validate_as_the_whole_bundle(tmp_path, monkeypatch):
    """A validator built from a kind's kept, cut-down bundle finds exactly the errors the whole
    bundle's does, on every built-in object of the fixtures; a second run reads only kept files."""
    from k8slint.load import load
    from k8slint.model import build_objects

    objects = [o for o in build_objects(load([str(FIXTURES)]).documents)[0] if o.builtin]
    assert len({(o.api_version, o.kind) for o in objects}) > 20

    def errors(store):
        out = []
        for obj in objects:
            validator = store.validator(obj.api_version, obj.kind)
            if validator is not None:
                out.append(sorted((list(e.instance_path), e.message) for e in validator.iter_errors(obj.raw)))
            else:
                out.append(None)
        return out

    whole = errors(schemas.Schemas((1, 37)))
    monkeypatch.setattr(schemas, "cache_dir", str(tmp_path))
    first = schemas.Schemas((1, 37))
    assert errors(first) == whole
    [kept] = list(tmp_path.iterdir())
    assert (kept / "index").is_file() and len(list(kept.glob("def-*"))) > 20
    second = schemas.Schemas((1, 37))
    assert errors(second) == whole
    assert second._whole is None  # the 1.8 MB bundle was never read
    assert any(e for e in whole)  # the fixtures hold schema errors, so the comparison says something
