#!/usr/bin/env nu
# Install Cilium into the cluster with Helm, using the rendered values.yaml.
# kubernetes comes from its taskserv (a dependency); this runs on a control-plane node.
# Called by `provisioning taskserv create cilium --infra ENV` with:
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
        $m => { error make {msg: $"cilium: unsupported machine ($m)"} }
    }
}

# Install helm from get.helm.sh (sha256 checked against the published .sha256sum) unless present.
def ensure-helm [check: bool, version: string] {
    if (which helm | is-not-empty) {
        return
    }
    let tarball = $"helm-v($version)-linux-(release-arch).tar.gz"
    let url = $"https://get.helm.sh/($tarball)"
    if $check {
        print $"[check] download ($url), verify against ($url).sha256sum, install /usr/local/bin/helm"
        return
    }
    let work = (mktemp -d)
    http get --raw $url | save --force ($work | path join $tarball)
    let expected = (http get --raw $"($url).sha256sum" | into string | split row " " | first)
    let actual = (open --raw ($work | path join $tarball) | hash sha256)
    if $actual != $expected {
        rm -rf $work
        error make {msg: $"checksum mismatch for ($tarball): expected ($expected), got ($actual)"}
    }
    ^tar -xzf ($work | path join $tarball) -C $work
    ^install -m 0755 ($work | path join $"linux-(release-arch)" "helm") /usr/local/bin/helm
    rm -rf $work
}

def main [--settings: path, --rendered: path, --check] {
    let s = (open $settings)
    let values = ($rendered | path join "values.yaml")
    if not ($values | path exists) {
        error make {msg: $"($values) is missing: render the templates first"}
    }
    if not $check and not ($s.kubeconfig_path | path exists) {
        error make {msg: $"no kubeconfig at ($s.kubeconfig_path): install the kubernetes taskserv first"}
    }
    ensure-helm $check $s.helm_version
    step $check helm repo add cilium https://helm.cilium.io --force-update
    step $check helm upgrade --install cilium cilium/cilium --version $s.version --namespace $s.namespace --kubeconfig $s.kubeconfig_path --values $values --wait --timeout 10m
    print $"cilium ($s.version) installed in ($s.namespace)"
}
