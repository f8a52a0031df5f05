#!/usr/bin/env nu
# Install containerd from the upstream release (checksum verified), its config.toml and systemd unit.
# runc comes from the runc taskserv (a dependency), installed first.
# Called by `provisioning taskserv create containerd --infra ENV` with:
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
        $m => { error make {msg: $"containerd: unsupported machine ($m)"} }
    }
}

# Download url to dest and compare its sha256 with the entry in the release's checksum file.
def fetch-verified [check: bool, url: string, sums_url: string, dest: path] {
    if $check {
        print $"[check] download ($url), verify against ($sums_url)"
        return
    }
    http get --raw $url | save --force $dest
    let file = ($url | path basename)
    let expected = (http get --raw $sums_url | into string | lines
        | parse -r '^(?<hash>[0-9a-f]{64})\s+\*?(?<file>\S+)$' | where file == $file | get hash.0?)
    if $expected == null {
        rm $dest
        error make {msg: $"($file) is not listed in ($sums_url)"}
    }
    let actual = (open --raw $dest | hash sha256)
    if $actual != $expected {
        rm $dest
        error make {msg: $"checksum mismatch for ($file): expected ($expected), got ($actual)"}
    }
}

def main [--settings: path, --rendered: path, --check] {
    let s = (open $settings)
    let v = $s.version
    if not $check and not ($s.runc_path | path exists) {
        error make {msg: $"runc is missing at ($s.runc_path): install the runc taskserv first"}
    }
    let tarball = $"containerd-($v)-linux-(release-arch).tar.gz"
    let url = $"https://github.com/containerd/containerd/releases/download/v($v)/($tarball)"
    let work = (mktemp -d)
    fetch-verified $check $url $"($url).sha256sum" ($work | path join $tarball)
    # the tarball holds bin/containerd, bin/ctr, bin/containerd-shim-runc-v2, ...
    step $check tar -xzf ($work | path join $tarball) -C /usr/local
    rm -rf $work
    # kernel prerequisites for the CRI plugin
    step $check modprobe overlay
    step $check modprobe br_netfilter
    step $check install -d -m 0755 /etc/containerd $s.registry_config_path
    step $check install -m 0644 ($rendered | path join "config.toml") /etc/containerd/config.toml
    step $check install -m 0644 ($rendered | path join "containerd.service") /etc/systemd/system/containerd.service
    step $check systemctl daemon-reload
    step $check systemctl enable --now containerd
    print $"containerd ($v) listening on ($s.grpc_address)"
}
