#!/usr/bin/env nu
# Install buildkitd on a builder node: upstream release tarball (sha256 verified when pinned),
# rendered buildkitd.toml and systemd unit. containerd comes from its taskserv (a dependency).
# Called by `provisioning cluster create buildkit --infra ENV` with:
#   --settings FILE  effective values (defaults.yaml deep-merged with the infra settings), YAML
#   --rendered DIR   templates/ rendered with those values (file names without .j2)
#   --check          print every action instead of changing the host

# Run an external command, or only show it in check mode.
def --wrapped step [check: bool, cmd: string, ...args: string] {
    if $check {
        print $"[check] ($cmd) ($args | str join ' ')"
    } else {
        run-external $cmd ...$args
    }
}

# Release architecture name of this machine.
def release-arch [] {
    match ((uname).machine) {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        $m => { error make {msg: $"buildkit: unsupported machine ($m)"} }
    }
}

def main [--settings: path, --rendered: path, --check] {
    let s = (open $settings)
    let v = $s.version
    let arch = (release-arch)
    if not $check and not ($s.containerd_address | path exists) {
        error make {msg: $"containerd is not running at ($s.containerd_address): install the containerd taskserv first"}
    }
    let tarball = $"buildkit-v($v).linux-($arch).tar.gz"
    let url = $"https://github.com/moby/buildkit/releases/download/v($v)/($tarball)"
    let pinned = ($s.sha256 | get -o $arch | default "")
    let work = (mktemp -d)
    let file = ($work | path join $tarball)
    if $check {
        print $"[check] download ($url)"
    } else {
        http get --raw $url | save --force $file
        if ($pinned | is-empty) {
            print $"warning: ($tarball) not verified; set sha256.($arch) in the settings to pin it"
        } else if (open --raw $file | hash sha256) != $pinned {
            rm -rf $work
            error make {msg: $"checksum mismatch for ($tarball): expected ($pinned)"}
        }
    }
    # the tarball holds bin/buildkitd, bin/buildctl and helpers
    step $check tar -xzf $file -C /usr/local
    rm -rf $work
    step $check install -d -m 0755 /etc/buildkit
    step $check install -d -m 0700 $s.root
    step $check install -m 0644 ($rendered | path join "buildkitd.toml") /etc/buildkit/buildkitd.toml
    step $check install -m 0644 ($rendered | path join "buildkit.service") /etc/systemd/system/buildkit.service
    step $check systemctl daemon-reload
    step $check systemctl enable --now buildkit
    if not $check {
        let r = (do { ^buildctl --addr unix:///run/buildkit/buildkitd.sock debug workers } | complete)
        if $r.exit_code != 0 {
            error make {msg: $"buildkitd does not answer: ($r.stderr | str trim)"}
        }
    }
    print $"buildkit ($v) running with the containerd worker \(namespace ($s.containerd_namespace)\)"
}
