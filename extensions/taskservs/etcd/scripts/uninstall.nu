#!/usr/bin/env nu
# Stop and remove etcd. The data directory stays unless --purge-data is given (it is the cluster's state).
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
    step $check systemctl disable --now etcd
    step $check rm -f /etc/systemd/system/etcd.service /usr/local/bin/etcd /usr/local/bin/etcdctl /usr/local/bin/etcdutl
    step $check systemctl daemon-reload
    if $purge_data {
        step $check rm -rf $s.data_dir
    }
}
