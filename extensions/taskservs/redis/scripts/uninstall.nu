#!/usr/bin/env nu
# Stop and remove Redis. Data in data_dir is kept unless --purge-data is given.
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
    step $check systemctl disable --now redis-server
    step $check apt-get remove -y redis-server
    if $purge_data {
        step $check rm -rf $s.data_dir
    }
}
