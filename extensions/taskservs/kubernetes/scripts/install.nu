#!/usr/bin/env nu
# Install kubelet, kubeadm and kubectl from pkgs.k8s.io (held at the configured version), then
# `kubeadm init` a control plane (with the external etcd) or `kubeadm join` a worker.
# containerd and etcd come from their taskservs (dependencies), installed first.
# Called by `provisioning taskserv create kubernetes --infra ENV` with:
#   --settings FILE  effective values (defaults.yaml deep-merged with the infra settings), YAML
#   --rendered DIR   templates/ rendered with those values (file names without .j2)
#   --check          print every action instead of changing the host

# Run an external command, or only show it in check mode.
def --wrapped step [check: bool, cmd: string, ...args: string] {
    if $check {
        print $"[check] ($cmd) ($args | str join ' ')"
    } else {
        run-external $cmd ...$args
    }
}

# Write text to a file (mode 0644), or only show it in check mode.
def write-file [check: bool, dest: path, text: string] {
    if $check {
        print $"[check] write ($dest)"
    } else {
        $text | save --force $dest
    }
}

# Kernel modules and sysctls every Kubernetes node needs.
def prepare-host [check: bool] {
    write-file $check /etc/modules-load.d/kubernetes.conf "overlay\nbr_netfilter\n"
    step $check modprobe overlay
    step $check modprobe br_netfilter
    write-file $check /etc/sysctl.d/99-kubernetes.conf "net.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\nnet.ipv4.ip_forward = 1\n"
    step $check sysctl --system
    # the kubelet refuses to start with swap on (failSwapOn: true)
    step $check swapoff -a
}

# Add the pkgs.k8s.io repository of the minor release and install the pinned packages.
def install-packages [check: bool, version: string] {
    let minor = ($version | split row "." | first 2 | str join ".")
    let repo = $"https://pkgs.k8s.io/core:/stable:/v($minor)/deb/"
    step $check apt-get update
    step $check apt-get install -y --no-install-recommends apt-transport-https ca-certificates curl gpg
    step $check install -d -m 0755 /etc/apt/keyrings
    if $check {
        print $"[check] fetch ($repo)Release.key into /etc/apt/keyrings/kubernetes-apt-keyring.gpg"
    } else {
        http get --raw $"($repo)Release.key" | ^gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
    }
    write-file $check /etc/apt/sources.list.d/kubernetes.list $"deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] ($repo) /\n"
    step $check apt-get update
    let pins = (["kubelet", "kubeadm", "kubectl"] | each {|p| $"($p)=($version)-1.1" })
    step $check apt-get install -y --allow-change-held-packages ...$pins
    step $check apt-mark hold kubelet kubeadm kubectl
}

# A client certificate for the admin user, signed by the cluster CA (system:masters, 1.28 semantics).
def issue-admin-cert [check: bool, pki: string, user: string] {
    let dir = $"($pki)/users"
    step $check install -d -m 0700 $dir
    step $check openssl ecparam -name prime256v1 -genkey -noout -out $"($dir)/($user).key"
    step $check openssl req -new -key $"($dir)/($user).key" -subj $"/CN=($user)/O=system:masters" -out $"($dir)/($user).csr"
    step $check openssl x509 -req -in $"($dir)/($user).csr" -CA $"($pki)/ca.crt" -CAkey $"($pki)/ca.key" -CAcreateserial -days 365 -sha256 -out $"($dir)/($user).crt"
    step $check chmod 0600 $"($dir)/($user).key"
}

def main [--settings: path, --rendered: path, --check] {
    let s = (open $settings)
    for f in ["kubeadm-config.yaml", "kubelet-config.yaml", "kubeconfig"] {
        if not ($rendered | path join $f | path exists) {
            error make {msg: $"($rendered | path join $f) is missing: render the templates first"}
        }
    }
    if not $check and not ($s.container_runtime_endpoint | str replace "unix://" "" | path exists) {
        error make {msg: $"no container runtime at ($s.container_runtime_endpoint): install the containerd taskserv first"}
    }
    prepare-host $check
    install-packages $check $s.version
    # kubeadm takes the kubelet configuration as one more document of its config file
    let config = "/etc/kubernetes/provisioning-kubeadm.yaml"
    step $check install -d -m 0755 /etc/kubernetes
    # created 0600 before anything is written: the worker variant holds the join token
    step $check install -m 0600 /dev/null $config
    write-file $check $config ([(open --raw ($rendered | path join "kubeadm-config.yaml")), (open --raw ($rendered | path join "kubelet-config.yaml"))] | str join "\n---\n")
    if $s.role == "worker" {
        step $check kubeadm join --config $config
    } else {
        step $check kubeadm init --config $config --upload-certs
        issue-admin-cert $check $s.pki_dir $s.kube_user
        step $check install -D -m 0600 ($rendered | path join "kubeconfig") $s.kubeconfig_path
    }
    step $check systemctl enable kubelet
    print $"kubernetes ($s.version) ($s.role) ready"
}
