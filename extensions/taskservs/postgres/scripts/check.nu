#!/usr/bin/env nu
# Health check: the cluster's unit is active and accepts connections. Exits non-zero otherwise.
#   --settings FILE  effective values (defaults.yaml deep-merged with the infra settings), YAML

def main [--settings: path] {
    let s = (open $settings)
    let unit = $"postgresql@($s.major)-($s.cluster)"
    let active = (do { ^systemctl is-active $unit } | complete)
    if $active.exit_code != 0 {
        error make {msg: $"($unit) is not active: ($active.stdout | str trim)"}
    }
    let ready = (do { ^pg_isready -h /var/run/postgresql -p ($s.port | into string) } | complete)
    if $ready.exit_code != 0 {
        error make {msg: $"postgres on port ($s.port) is not accepting connections: ($ready.stdout | str trim)"}
    }
    print $"($unit) healthy on port ($s.port)"
}
