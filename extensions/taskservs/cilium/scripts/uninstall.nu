#!/usr/bin/env nu
# Remove the Cilium Helm release. Pods lose networking until another CNI is installed.
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
    step $check helm uninstall cilium --namespace $s.namespace --kubeconfig $s.kubeconfig_path --wait
}
