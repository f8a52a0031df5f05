#!/usr/bin/env nu
# Set up the web front: nginx with the rendered site, and the app's environment file.
# postgres and redis come from their taskservs (dependencies); the app itself is deployed by its own pipeline.
# Called by `provisioning cluster create web --infra ENV` with:
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

def main [--settings: path, --rendered: path, --check] {
    let s = (open $settings)
    let site = $"/etc/nginx/sites-available/($s.site_name).conf"
    for f in ["nginx-site.conf", "app.env"] {
        if not ($rendered | path join $f | path exists) {
            error make {msg: $"($rendered | path join $f) is missing: render the templates first"}
        }
    }
    if $s.tls and not $check {
        for f in [$s.tls_cert, $s.tls_key] {
            if not ($f | path exists) {
                error make {msg: $"TLS is on but ($f) does not exist: install the certificate first"}
            }
        }
    }
    step $check apt-get update
    step $check apt-get install -y --no-install-recommends nginx
    step $check install -m 0644 ($rendered | path join "nginx-site.conf") $site
    step $check ln -sfn $site $"/etc/nginx/sites-enabled/($s.site_name).conf"
    # the stock default site would answer for unknown hosts on the same port
    step $check rm -f /etc/nginx/sites-enabled/default
    step $check install -d -m 0755 /etc/app
    step $check install -m 0644 ($rendered | path join "app.env") /etc/app/app.env
    # refuse to reload a broken configuration
    step $check nginx -t
    step $check systemctl enable nginx
    step $check systemctl reload-or-restart nginx
    if not $check {
        let code = (http get --full --allow-errors $"http://127.0.0.1:($s.listen_port)/" | get status)
        print $"nginx answers on port ($s.listen_port) with HTTP ($code)"
    }
    print $"web site ($s.site_name) for ($s.server_names | str join ', ') installed"
}
