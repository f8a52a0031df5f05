#!/usr/bin/env nu
# Stop and remove containerd. Images and snapshots under root stay unless --purge-data is given.
#   --settings FILE  effective values, YAML
#   --check          print every action instead of changing the host

def --wrapped step [check: bool, cmd: string, ...args: string] {
    if $check {
        print $"[check] ($cmd) ($args | str join ' ')"
    } else {
        run-external $cmd ...$args
    }
}

def main [--settings: path, --check, --purge-data] {
    let s = (open $settings)
    step $check systemctl disable --now containerd
    let bins = ["containerd", "containerd-shim", "containerd-shim-runc-v1", "containerd-shim-runc-v2", "containerd-stress", "ctr"]
    step $check rm -f /etc/systemd/system/containerd.service ...($bins | each {|b| $"/usr/local/bin/($b)" })
    step $check systemctl daemon-reload
    if $purge_data {
        step $check rm -rf $s.root $s.state
    }
}
