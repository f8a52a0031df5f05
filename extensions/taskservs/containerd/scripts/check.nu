#!/usr/bin/env nu
# Health check: the unit is active and the daemon answers on its socket. Exits non-zero otherwise.
#   --settings FILE  effective values (defaults.yaml deep-merged with the infra settings), YAML

def main [--settings: path] {
    let s = (open $settings)
    let active = (do { ^systemctl is-active containerd } | complete)
    if $active.exit_code != 0 {
        error make {msg: $"containerd is not active: ($active.stdout | str trim)"}
    }
    let r = (do { ^ctr --address $s.grpc_address version } | complete)
    if $r.exit_code != 0 {
        error make {msg: $"containerd does not answer on ($s.grpc_address): ($r.stderr | str trim)"}
    }
    let server = ($r.stdout | lines | skip until {|l| $l starts-with "Server:" } | where {|l| $l =~ 'Version:' } | first)
    print $"containerd healthy, server ($server | str trim)"
}
