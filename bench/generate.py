"""Generate a realistic, deterministic manifest corpus for the benchmark.

Default: 5,000 objects in 500 files of 10 (Deployments with full pod
templates, Services, ConfigMaps, CronJobs, Ingresses, ServiceAccounts,
Secrets, PVCs), written in kubectl's block style, in one folder: a repository
of plain manifests, which is one unit, not known to be complete (the objects
its Deployments reference are mostly not generated, as in a repository whose
ConfigMaps and Secrets come from elsewhere). The same seed always gives the
same bytes.

    python bench/generate.py OUT_DIR [--objects 5000] [--per-file 10] [--seed 42]
"""

from __future__ import annotations

import argparse
import os
import random

import yaml

KINDS = [("Deployment", 28), ("Service", 28), ("ConfigMap", 20), ("CronJob", 8), ("Ingress", 8),
         ("ServiceAccount", 4), ("Secret", 2), ("PersistentVolumeClaim", 2)]


def container(rng: random.Random, app: str, i: int, volumes: list) -> dict:
    port = 8080 + i
    c = {
        "name": f"{app}-c{i}",
        "image": f"registry.example.com/team/{app}:{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
        "imagePullPolicy": "IfNotPresent",
        "ports": [{"name": f"http{i}", "containerPort": port, "protocol": "TCP"},
                  {"name": f"metrics{i}", "containerPort": 9100 + i}],
        "env": [{"name": f"VAR_{k}", "value": f"value-{rng.randint(0, 10**6)}"} for k in range(rng.randint(2, 8))] + [
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            {"name": "MEM_LIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory"}}},
            {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": f"{app}-db", "key": "password"}}},
            {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": f"{app}-config", "key": "mode"}}},
        ],
        "envFrom": [{"configMapRef": {"name": f"{app}-env"}}],
        "resources": {"requests": {"cpu": f"{rng.choice([50, 100, 250, 500])}m",
                                   "memory": f"{rng.choice([64, 128, 256, 512])}Mi"},
                      "limits": {"memory": f"{rng.choice([256, 512, 1024])}Mi"}},
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "runAsNonRoot": True, "capabilities": {"drop": ["ALL"]}},
        "volumeMounts": [],
    }
    if rng.random() < 0.8:
        c["readinessProbe"] = {"httpGet": {"path": "/ready", "port": f"http{i}"}, "periodSeconds": 5}
    if rng.random() < 0.7:
        c["livenessProbe"] = {"httpGet": {"path": "/healthz", "port": port}, "failureThreshold": 6}
    if rng.random() < 0.3:
        c["startupProbe"] = {"tcpSocket": {"port": port}, "failureThreshold": 30}
    for v in volumes:
        mount = {"name": v["name"], "mountPath": f"/etc/{v['name']}"}
        if "configMap" in v and rng.random() < 0.2:
            mount["mountPath"] += "/app.conf"
            mount["subPath"] = "app.conf"
        c["volumeMounts"].append(mount)
    return c


def deployment(rng, ns, app):
    volumes = [{"name": "config", "configMap": {"name": f"{app}-config"}},
               {"name": "creds", "secret": {"secretName": f"{app}-db", "defaultMode": 0o400}},
               {"name": "cache", "emptyDir": {"sizeLimit": "1Gi"}}]
    if rng.random() < 0.3:
        volumes.append({"name": "data", "persistentVolumeClaim": {"claimName": f"{app}-data"}})
    spec = {
        "serviceAccountName": app,
        "securityContext": {"runAsUser": 10001, "fsGroup": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [container(rng, app, i, volumes) for i in range(rng.randint(1, 3))],
        "volumes": volumes,
    }
    if rng.random() < 0.5:
        spec["affinity"] = {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
            "weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname",
                                               "labelSelector": {"matchLabels": {"app": app}}}}]}}
    if rng.random() < 0.3:
        spec["tolerations"] = [{"key": "dedicated", "operator": "Equal", "value": "apps", "effect": "NoSchedule"}]
    if rng.random() < 0.4:
        spec["nodeSelector"] = {"kubernetes.io/os": "linux", "pool": rng.choice(["a", "b", "c"])}
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": app, "namespace": ns, "labels": {"app": app, "team": ns},
                     "annotations": {"deployment.kubernetes.io/revision": str(rng.randint(1, 40))}},
        "spec": {"replicas": rng.randint(1, 6), "revisionHistoryLimit": 5,
                 "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
                 "selector": {"matchLabels": {"app": app}},
                 "template": {"metadata": {"labels": {"app": app, "team": ns},
                                           "annotations": {"prometheus.io/scrape": "true"}},
                              "spec": spec}},
    }


def cronjob(rng, ns, app):
    d = deployment(rng, ns, app)
    pod = d["spec"]["template"]
    pod["spec"]["restartPolicy"] = "OnFailure"
    for c in pod["spec"]["containers"]:
        c.pop("readinessProbe", None)
        c.pop("livenessProbe", None)
        c.pop("startupProbe", None)
    spec = {"schedule": rng.choice(["*/5 * * * *", "0 2 * * *", "30 3 * * 1-5", "@hourly", "0 */6 * * *"]),
            "concurrencyPolicy": "Forbid", "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
            "jobTemplate": {"spec": {"backoffLimit": 2, "template": pod}}}
    if rng.random() < 0.6:
        spec["startingDeadlineSeconds"] = 300
    return {"apiVersion": "batch/v1", "kind": "CronJob",
            "metadata": {"name": f"{app}-job", "namespace": ns, "labels": {"app": app}}, "spec": spec}


def service(rng, ns, app, target=None):
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": app, "namespace": ns, "labels": {"app": target or app}},
            "spec": {"type": rng.choice(["ClusterIP", "ClusterIP", "NodePort"]), "selector": {"app": target or app},
                     "ports": [{"name": "http", "port": 80, "targetPort": "http0"},
                               {"name": "metrics", "port": 9100, "targetPort": 9100}]}}


def configmap(rng, ns, app):
    conf = "\n".join(f"setting_{k} = {rng.randint(0, 10**6)}" for k in range(rng.randint(10, 40))) + "\n"
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": f"{app}-config", "namespace": ns, "labels": {"app": app}},
            "data": {"app.conf": conf, "mode": rng.choice(["fast", "safe"]), "level": "info"}}


def ingress(rng, ns, app, target=None):
    hosts = [f"{app}-{k}.example.com" for k in range(rng.randint(2, 4))]
    backend = target or app
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": app, "namespace": ns,
                         "annotations": {"cert-manager.io/cluster-issuer": "letsencrypt"}},
            "spec": {"ingressClassName": "nginx", "tls": [{"hosts": hosts, "secretName": f"{app}-tls"}],
                     "rules": [{"host": h, "http": {"paths": [
                         {"path": p, "pathType": "Prefix",
                          "backend": {"service": {"name": backend, "port": {"name": "http"}}}}
                         for p in ("/", "/api")]}} for h in hosts]}}


def service_account(rng, ns, app):
    sa = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": app, "namespace": ns}}
    if rng.random() < 0.5:
        sa["automountServiceAccountToken"] = False
    return sa


def secret(rng, ns, app):
    return {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": f"{app}-db", "namespace": ns},
            "data": {"password": "cGFzc3dvcmQ=", "username": "YWRtaW4="}}


def pvc(rng, ns, app):
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": f"{app}-data", "namespace": ns},
            "spec": {"accessModes": [rng.choice(["ReadWriteOnce", "ReadWriteMany"])],
                     "resources": {"requests": {"storage": "10Gi"}}}}


MAKERS = {"Deployment": deployment, "Service": service, "ConfigMap": configmap, "CronJob": cronjob,
          "Ingress": ingress, "ServiceAccount": service_account, "Secret": secret, "PersistentVolumeClaim": pvc}


def generate(out: str, objects: int = 5000, per_file: int = 10, seed: int = 42) -> list[str]:
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    weights = [w for _, w in KINDS]
    kinds = [k for k, _ in KINDS]
    paths = []
    for f in range(0, objects, per_file):
        ns = f"team-{f // per_file % 20}"
        docs = []
        deployments, services = [], []  # Services select this file's Deployments, Ingresses route to its Services
        for i in range(min(per_file, objects - f)):
            kind = rng.choices(kinds, weights)[0]
            app = f"app{f + i}"
            if kind == "Service" and deployments:
                made = service(rng, ns, app, rng.choice(deployments))
                services.append(app)
            elif kind == "Ingress" and services:
                made = ingress(rng, ns, app, rng.choice(services))
            else:
                made = MAKERS[kind](rng, ns, app)
                if kind == "Deployment":
                    deployments.append(app)
            body = yaml.dump(made, Dumper=yaml.CSafeDumper, sort_keys=False,
                             default_flow_style=False, width=120)
            docs.append(f"---\n# {kind.lower()} {app}\n{body}")
        path = os.path.join(out, f"manifests-{f // per_file:04d}.yaml")
        with open(path, "w") as fh:
            fh.write("".join(docs))
        paths.append(path)
    return paths


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--objects", type=int, default=5000)
    p.add_argument("--per-file", type=int, default=10)
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()
    paths = generate(args.out, args.objects, args.per_file, args.seed)
    print(f"{args.objects} objects in {len(paths)} files under {args.out}")


if __name__ == "__main__":
    main()
