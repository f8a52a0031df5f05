#!/usr/bin/env nu
# Make the AWS provider usable on this host: AWS CLI installed and the profile's credentials valid.
# With --create-server, launch the server described by the rendered RunInstances spec and cloud-init.
# Called by `provisioning` with:
#   --settings FILE  effective values (defaults.yaml deep-merged with the infra settings), YAML
#   --rendered DIR   templates/ rendered with those values (file names without .j2)
#   --check          print every action instead of changing anything

# Run an external command, or only show it in check mode.
def --wrapped step [check: bool, cmd: string, ...args: string] {
    if $check {
        print $"[check] ($cmd) ($args | str join ' ')"
    } else {
        run-external $cmd ...$args
    }
}

def main [--settings: path, --rendered: path, --check, --create-server] {
    let s = (open $settings)
    if (which aws | is-empty) {
        step $check apt-get update
        step $check apt-get install -y --no-install-recommends awscli
    }
    # fails early with AWS's own message when the profile has no valid credentials
    step $check aws sts get-caller-identity --profile $s.profile --region $s.region --output json
    if $create_server {
        let spec = ($rendered | path join "run-instances.json")
        let user_data = ($rendered | path join "cloud-init.yaml")
        step $check aws ec2 run-instances --profile $s.profile --region $s.region --cli-input-json $"file://($spec)" --user-data $"file://($user_data)" --output json
    }
    print $"aws provider ready \(profile ($s.profile), region ($s.region)\)"
}
