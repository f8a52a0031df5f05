#!/usr/bin/env nu
# Health check: the kubelet runs; on a control plane the API server is ready and this node is Ready.
# Exits non-zero otherwise.
#   --settings FILE  effective values (defaults.yaml deep-merged with the infra settings), YAML

def main [--settings: path] {
    let s = (open $settings)
    let kubelet = (do { ^systemctl is-active kubelet } | complete)
    if $kubelet.exit_code != 0 {
        error make {msg: $"kubelet is not active: ($kubelet.stdout | str trim)"}
    }
    if $s.role == "worker" {
        print "kubelet active (worker: readiness is checked from the control plane)"
        return
    }
    let ready = (do { ^kubectl --kubeconfig $s.kubeconfig_path get --raw /readyz } | complete)
    if ($ready.stdout | str trim) != "ok" {
        error make {msg: $"API server not ready: ($ready.stderr | str trim)"}
    }
    let node = if ($s.node_name | is-empty) { (sys host).hostname } else { $s.node_name }
    let status = (do { ^kubectl --kubeconfig $s.kubeconfig_path get node $node -o "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}" } | complete)
    if ($status.stdout | str trim) != "True" {
        error make {msg: $"node ($node) is not Ready: ($status.stdout | str trim) ($status.stderr | str trim)"}
    }
    print $"kubernetes ($s.version): API ready, node ($node) Ready"
}
