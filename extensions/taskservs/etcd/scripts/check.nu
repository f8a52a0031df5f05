#!/usr/bin/env nu
# Health check: `etcdctl endpoint health` succeeds on the advertised client URLs. Exits non-zero otherwise.
#   --settings FILE  effective values (defaults.yaml deep-merged with the infra settings), YAML

def main [--settings: path] {
    let s = (open $settings)
    let endpoints = ($s.advertise_client_urls | str join ",")
    let tls_args = if $s.tls {
        [$"--cacert=($s.cert_dir)/ca.crt" $"--cert=($s.cert_dir)/server.crt" $"--key=($s.cert_dir)/server.key"]
    } else {
        []
    }
    let r = (do { ^etcdctl $"--endpoints=($endpoints)" ...$tls_args endpoint health } | complete)
    if $r.exit_code != 0 {
        error make {msg: $"etcd ($endpoints) unhealthy: ($r.stderr | str trim)"}
    }
    print ($r.stdout | str trim)
}
