#!/usr/bin/env nu
# Install Redis from the distribution and put the rendered redis.conf in place.
# Called by `provisioning taskserv create redis --infra ENV` with:
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
    let conf = ($rendered | path join "redis.conf")
    if not ($conf | path exists) {
        error make {msg: $"($conf) is missing: render the templates first"}
    }
    step $check apt-get update
    step $check apt-get install -y --no-install-recommends redis-server redis-tools
    step $check install -d -o redis -g redis -m 0750 $s.data_dir
    # 0640: the file may hold requirepass
    step $check install -o redis -g redis -m 0640 $conf /etc/redis/redis.conf
    step $check systemctl enable redis-server
    step $check systemctl restart redis-server
    print $"redis listening on ($s.bind):($s.port)"
}
