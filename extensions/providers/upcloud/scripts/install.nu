#!/usr/bin/env nu
# Make the UpCloud provider usable on this host: the API answers with the account's credentials.
# With --create-server, POST the rendered server spec to the API.
# Credentials come from UPCLOUD_USERNAME and UPCLOUD_PASSWORD (an API subaccount), never from settings.
# Called by `provisioning` with:
#   --settings FILE  effective values (defaults.yaml deep-merged with the infra settings), YAML
#   --rendered DIR   templates/ rendered with those values (file names without .j2)
#   --check          print every action instead of changing anything

def main [--settings: path, --rendered: path, --check, --create-server] {
    let s = (open $settings)
    let spec = ($rendered | path join "server.json")
    if not ($spec | path exists) {
        error make {msg: $"($spec) is missing: render the templates first"}
    }
    # parse it here so a broken spec fails before any request
    let body = (open --raw $spec | from json)
    if $check {
        print $"[check] GET ($s.api_url)/account"
        if $create_server {
            print $"[check] POST ($s.api_url)/server \(($body.server.hostname) in ($body.server.zone), plan ($body.server.plan)\)"
        }
        return
    }
    let user = ($env.UPCLOUD_USERNAME? | default "")
    let password = ($env.UPCLOUD_PASSWORD? | default "")
    if ($user | is-empty) or ($password | is-empty) {
        error make {msg: "UPCLOUD_USERNAME and UPCLOUD_PASSWORD must be set (an API subaccount)"}
    }
    let account = (http get --user $user --password $password $"($s.api_url)/account")
    print $"upcloud account ($account.account.username), credits ($account.account.credits)"
    if $create_server {
        let created = (http post --user $user --password $password --content-type application/json $"($s.api_url)/server" ($body | to json))
        print $"server ($created.server.hostname) ($created.server.uuid) is ($created.server.state)"
    }
}
