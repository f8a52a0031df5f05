#!/usr/bin/env nu
# Health check: the cilium DaemonSet and operator are rolled out. Exits non-zero otherwise.
#   --settings FILE  effective values (defaults.yaml deep-merged with the infra settings), YAML

def main [--settings: path] {
    let s = (open $settings)
    for target in ["daemonset/cilium", "deployment/cilium-operator"] {
        let r = (do { ^kubectl --kubeconfig $s.kubeconfig_path -n $s.namespace rollout status $target --timeout 120s } | complete)
        if $r.exit_code != 0 {
            error make {msg: $"($target) in ($s.namespace) is not ready: ($r.stderr | str trim)"}
        }
    }
    print $"cilium ($s.version) healthy in ($s.namespace)"
}
