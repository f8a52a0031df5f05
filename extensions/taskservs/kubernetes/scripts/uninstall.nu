#!/usr/bin/env nu
# Reset the node (kubeadm reset) and remove the packages. External etcd data is left to the etcd taskserv.
#   --settings FILE  effective values, YAML
#   --check          print every action instead of changing the host

def --wrapped step [check: bool, cmd: string, ...args: string] {
    if $check {
        print $"[check] ($cmd) ($args | str join ' ')"
    } else {
        run-external $cmd ...$args
    }
}

def main [--settings: path, --check] {
    let s = (open $settings)
    step $check kubeadm reset --force --cri-socket $s.container_runtime_endpoint
    step $check apt-mark unhold kubelet kubeadm kubectl
    step $check apt-get remove -y kubelet kubeadm kubectl
    step $check rm -rf /etc/kubernetes/provisioning-kubeadm.yaml $"($s.pki_dir)/users" $s.kubeconfig_path
}
