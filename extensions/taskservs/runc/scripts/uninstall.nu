#!/usr/bin/env nu
# Remove the runc binary and the apt pin.
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
    step $check rm -f $s.install_path /etc/apt/preferences.d/provisioning-runc
}
