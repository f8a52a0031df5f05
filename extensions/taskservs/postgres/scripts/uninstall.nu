#!/usr/bin/env nu
# Stop and remove PostgreSQL. Databases under /var/lib/postgresql stay unless --purge-data is given.
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
    let major = ($s.major | into string)
    step $check systemctl disable --now $"postgresql@($major)-($s.cluster)"
    step $check apt-get remove -y $"postgresql-($major)"
    if $purge_data {
        step $check pg_dropcluster --stop $major $s.cluster
    }
}
