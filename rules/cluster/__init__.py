"""Rules about the configuration files of the cluster components: kubeadm, the kubelet, kube-proxy."""
