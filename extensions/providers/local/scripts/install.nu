#!/usr/bin/env nu
# Make the local provider usable: OpenSSH client present, the rendered SSH configuration installed
# and included from ~/.ssh/config, and (unless --check) every server answering over SSH.
# Called by `provisioning` with:
#   --settings FILE  effective values (defaults.yaml deep-merged with the infra settings), YAML
#   --rendered DIR   templates/ rendered with those values (file names without .j2)
#   --check          print every action instead of changing anything

def main [--settings: path, --rendered: path, --check] {
    let s = (open $settings)
    let conf = ($s.ssh_config_path | path expand)
    let known = ($s.known_hosts_path | path expand)
    let main_config = ("~/.ssh/config" | path expand)
    let include = $"Include ($conf)"
    if (which ssh | is-empty) {
        if $check { print "[check] apt-get install -y openssh-client" } else { ^apt-get install -y openssh-client }
    }
    if $check {
        print $"[check] write ($conf) \(mode 0600\)"
        print $"[check] ensure ($main_config) starts with: ($include)"
        for srv in $s.servers { print $"[check] ssh ($srv.hostname) true" }
        return
    }
    mkdir ($conf | path dirname) ($known | path dirname)
    ^install -m 0600 ($rendered | path join "ssh_config") $conf
    let current = if ($main_config | path exists) { open --raw $main_config } else { "" }
    if not ($current | str contains $include) {
        # Include must come before any Host block to apply everywhere
        $"($include)\n($current)" | save --force $main_config
        ^chmod 0600 $main_config
    }
    for srv in $s.servers {
        let r = (do { ^ssh -F $main_config -o BatchMode=yes -o ConnectTimeout=10 $srv.hostname true } | complete)
        if $r.exit_code != 0 {
            error make {msg: $"server ($srv.hostname) at ($srv.address) is not reachable over SSH: ($r.stderr | str trim)"}
        }
        print $"($srv.hostname) reachable"
    }
}
