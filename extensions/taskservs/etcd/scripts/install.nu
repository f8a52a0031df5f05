#!/usr/bin/env nu
# Install etcd from the upstream release (checksum verified), its environment file and systemd unit.
# Called by `provisioning taskserv create etcd --infra ENV` with:
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
        $m => { error make {msg: $"etcd: unsupported machine ($m)"} }
    }
}

# Download url to dest and compare its sha256 with the entry in the release's checksum list.
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
    let base = $"etcd-v($v)-linux-(release-arch)"
    let url = $"https://github.com/etcd-io/etcd/releases/download/v($v)/($base).tar.gz"
    let sums = $"https://github.com/etcd-io/etcd/releases/download/v($v)/SHA256SUMS"
    let work = (mktemp -d)
    fetch-verified $check $url $sums ($work | path join $"($base).tar.gz")
    step $check tar -xzf ($work | path join $"($base).tar.gz") -C $work
    for bin in ["etcd", "etcdctl", "etcdutl"] {
        step $check install -m 0755 ($work | path join $base $bin) $"/usr/local/bin/($bin)"
    }
    rm -rf $work
    if $check {
        print "[check] create system user etcd"
    } else if (do { ^id etcd } | complete).exit_code != 0 {
        ^useradd --system --home-dir $s.data_dir --shell /usr/sbin/nologin etcd
    }
    step $check install -d -o etcd -g etcd -m 0700 $s.data_dir
    step $check install -d -m 0755 /etc/etcd
    step $check install -m 0644 ($rendered | path join "etcd.env") /etc/etcd/etcd.env
    step $check install -m 0644 ($rendered | path join "etcd.service") /etc/systemd/system/etcd.service
    step $check systemctl daemon-reload
    step $check systemctl enable --now etcd
    print $"etcd ($v) member ($s.name) installed"
}
