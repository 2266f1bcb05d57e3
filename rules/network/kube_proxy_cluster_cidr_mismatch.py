"""## What it does
Compares a `KubeProxyConfiguration`'s `clusterCIDR` with the pod network of
the kubeadm `ClusterConfiguration` (`networking.podSubnet`) in the same unit
(the same folder, chart render or kustomize build), and flags a mismatch.
Both may list an IPv4 and an IPv6 range (dual stack, comma-separated); the
ranges are compared as networks, so `10.244.0.0/16` and `10.244.0.1/16` are
the same.

Stays silent when either is missing or empty, when the unit holds several
`ClusterConfiguration`s that disagree (nothing says which one the nodes
use), and for values that are not CIDR ranges (schema validation's
business).

## Why is this bad?
kube-proxy uses `clusterCIDR` to tell pod traffic from traffic that comes
from outside the cluster: with the default `detectLocalMode: ClusterCIDR`,
packets to a Service from a source outside that range are masqueraded
(source-NATed to the node's address). With a range that is not the pod
network, pod-to-Service traffic is rewritten or external traffic is not:
backends see node addresses instead of pod addresses, NetworkPolicies that
allow by pod IP stop matching, and `externalTrafficPolicy: Local` loses the
client address. kubeadm sets kube-proxy's `clusterCIDR` from `podSubnet`
when it generates the configuration, so a hand-written one drifts the moment
either is edited alone.

## How to fix
Use the pod network in both places:

```yaml
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/16
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clusterCIDR: 10.244.0.0/16
```

## References
- kube-proxy configuration, `clusterCIDR` and `detectLocalMode`: https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/
- kubeadm configuration, `networking.podSubnet`: https://kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta4/#kubeadm-k8s-io-v1beta4-Networking
- Customizing components with kubeadm (kube-proxy's configuration): https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/control-plane-flags/
- Operations practice: the kubeadm file sets `networking.podSubnet: 10.244.0.0/16` and kube-proxy's `clusterCIDR: 10.244.0.0/16` together.
"""

import ipaddress

from k8slint.engine import Finding, rule
from k8slint.model import mapping, written_in

PROXY_KINDS = {"KubeProxyConfiguration", "KubeProxyConfiguration.kubeproxy.config.k8s.io"}


def _networks(value) -> frozenset | None:
    """The set of networks in a comma-separated CIDR list, or None when one is not a CIDR."""
    if not isinstance(value, str) or not value.strip():
        return None
    out = set()
    for part in value.split(","):
        try:
            out.add(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            return None
    return frozenset(out)


def _pod_subnets(ctx, obj):
    """(ClusterConfiguration, its podSubnet networks) for those of the proxy configuration's unit."""
    out = []
    for other in ctx.run_graph.objects:
        if other.kind == "ClusterConfiguration" and other.group == "kubeadm.k8s.io" and other.unit is obj.unit:
            networks = _networks(mapping(other.raw.get("networking")).get("podSubnet"))
            if networks is not None:
                out.append((other, networks))
    return out


@rule(id="kube-proxy-cluster-cidr-mismatch", severity="warning", category="correctness", applies_to=PROXY_KINDS,
      summary="kube-proxy's clusterCIDR differs from the cluster's pod subnet")
def check(obj, ctx):
    if obj.group != "kubeproxy.config.k8s.io":
        return
    cidr = obj.raw.get("clusterCIDR")
    proxy = _networks(cidr)
    if proxy is None:
        return
    clusters = _pod_subnets(ctx, obj)
    if not clusters or len({networks for _, networks in clusters}) > 1:
        return  # none, or several that disagree: nothing says which one the nodes use
    cluster, pod_subnet = clusters[0]
    if proxy != pod_subnet:
        subnet = mapping(cluster.raw.get("networking")).get("podSubnet")
        yield Finding(("clusterCIDR",),
                      f"clusterCIDR {cidr!r} is not the pod subnet {subnet!r} of ClusterConfiguration "
                      f"({written_in(cluster)}): kube-proxy masquerades pod traffic it takes for external, "
                      "so backends and NetworkPolicies see node addresses instead of pod addresses")
