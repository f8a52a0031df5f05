#!/usr/bin/env nu
# Health check: the server answers PING on the configured address. Exits non-zero otherwise.
#   --settings FILE  effective values (defaults.yaml deep-merged with the infra settings), YAML

def main [--settings: path] {
    let s = (open $settings)
    let active = (do { ^systemctl is-active redis-server } | complete)
    if $active.exit_code != 0 {
        error make {msg: $"redis-server is not active: ($active.stdout | str trim)"}
    }
    # REDISCLI_AUTH keeps the password out of the process list.
    let pong = (with-env {REDISCLI_AUTH: $s.requirepass} {
        do { ^redis-cli -h $s.bind -p ($s.port | into string) ping } | complete
    })
    if ($pong.stdout | str trim) != "PONG" {
        error make {msg: $"redis on ($s.bind):($s.port) did not answer PING: ($pong.stderr | str trim)"}
    }
    print $"redis ($s.bind):($s.port) healthy"
}
