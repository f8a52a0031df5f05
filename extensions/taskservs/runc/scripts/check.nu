#!/usr/bin/env nu
# Health check: the installed runc runs and reports the expected version. Exits non-zero otherwise.
#   --settings FILE  effective values (defaults.yaml deep-merged with the infra settings), YAML

def main [--settings: path] {
    let s = (open $settings)
    let r = (do { run-external $s.install_path "--version" } | complete)
    if $r.exit_code != 0 {
        error make {msg: $"($s.install_path) does not run: ($r.stderr | str trim)"}
    }
    let first = ($r.stdout | lines | first)
    if $first != $"runc version ($s.version)" {
        error make {msg: $"($s.install_path) reports '($first)', expected runc version ($s.version)"}
    }
    print $first
}
