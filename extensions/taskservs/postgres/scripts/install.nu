#!/usr/bin/env nu
# Install PostgreSQL from the PGDG apt repository and put the rendered configuration in place.
# Called by `provisioning taskserv create postgres --infra ENV` with:
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
    let major = ($s.major | into string)
    let etc = $"/etc/postgresql/($major)/($s.cluster)"
    for f in ["postgresql.conf", "pg_hba.conf"] {
        if not ($rendered | path join $f | path exists) {
            error make {msg: $"($rendered | path join $f) is missing: render the templates first"}
        }
    }
    let codename = (open /etc/os-release | lines | parse "{k}={v}" | where k == "VERSION_CODENAME" | get v.0? | default "bookworm")
    let repo = $"deb [signed-by=/usr/share/keyrings/postgresql.asc] https://apt.postgresql.org/pub/repos/apt ($codename)-pgdg main"
    step $check curl -fsSL -o /usr/share/keyrings/postgresql.asc https://www.postgresql.org/media/keys/ACCC4CF8.asc
    if $check {
        print $"[check] write /etc/apt/sources.list.d/pgdg.list: ($repo)"
    } else {
        $repo | save --force /etc/apt/sources.list.d/pgdg.list
    }
    step $check apt-get update
    step $check apt-get install -y --no-install-recommends $"postgresql-($major)" $"postgresql-client-($major)"
    step $check install -o postgres -g postgres -m 0644 ($rendered | path join "postgresql.conf") $"($etc)/postgresql.conf"
    step $check install -o postgres -g postgres -m 0640 ($rendered | path join "pg_hba.conf") $"($etc)/pg_hba.conf"
    step $check systemctl enable $"postgresql@($major)-($s.cluster)"
    step $check systemctl restart $"postgresql@($major)-($s.cluster)"
    print $"postgresql ($major)/($s.cluster) on port ($s.port)"
}
