#!/usr/bin/env nu
# Install the static runc binary from the upstream release (checksum verified) and pin the distro package out.
# Called by `provisioning taskserv create runc --infra ENV` with:
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
        $m => { error make {msg: $"runc: unsupported machine ($m)"} }
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
    let asset = $"runc.(release-arch)"
    let base = $"https://github.com/opencontainers/runc/releases/download/v($v)"
    let work = (mktemp -d)
    fetch-verified $check $"($base)/($asset)" $"($base)/runc.sha256sum" ($work | path join $asset)
    step $check install -D -m 0755 ($work | path join $asset) $s.install_path
    rm -rf $work
    step $check install -m 0644 ($rendered | path join "runc-apt-pin.pref") /etc/apt/preferences.d/provisioning-runc
    print $"runc ($v) installed at ($s.install_path)"
}
