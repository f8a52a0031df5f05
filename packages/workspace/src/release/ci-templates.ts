/**
 * The CI pipeline of an extensions repository (docs/releasing.md, "CI"), for GitHub Actions and
 * GitLab CI: on a release tag push, `oci release` of that tag; on a pull (merge) request, the checks
 * of every changed extension. Every step that does work is a plain command of this CLI, so the
 * pipeline can be replayed locally step by step.
 */

export type CiProvider = 'github' | 'gitlab';

export interface CiTemplate {
  provider: CiProvider;
  /** Where it goes in the repository. */
  path: string;
  content: string;
}

export interface CiTemplateOptions {
  /** The `@provisioning/cli` version the pipeline installs (default: this one). */
  cliVersion: string;
}

export function ciTemplate(provider: CiProvider, options: CiTemplateOptions): CiTemplate {
  return provider === 'github'
    ? { provider, path: '.github/workflows/extensions.yml', content: github(options) }
    : { provider, path: '.gitlab-ci.yml', content: gitlab(options) };
}

function github({ cliVersion }: CiTemplateOptions): string {
  return `# Written by \`provisioning generate ci --for extensions\` (docs/releasing.md, "CI").
# Secrets: PROVISIONING_REGISTRY (host[:port]), REGISTRY_USERNAME, REGISTRY_PASSWORD,
# and, to sign releases, RELEASE_KEY (the cosign private key file's text) and RELEASE_KEY_PASSWORD.
name: extensions

on:
  pull_request:
  push:
    tags:
      - "providers/*/v*"
      - "taskservs/*/v*"
      - "clusters/*/v*"

permissions:
  contents: read

jobs:
  test:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm install --global @provisioning/cli@${cliVersion}
      - run: provisioning test changed --since "origin/$GITHUB_BASE_REF"

  release:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    env:
      PROVISIONING_REGISTRY: \${{ secrets.PROVISIONING_REGISTRY }}
      PROVISIONING_KEY_PASSWORD: \${{ secrets.RELEASE_KEY_PASSWORD }}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm install --global @provisioning/cli@${cliVersion}
      - run: printf '%s' "$REGISTRY_PASSWORD" | provisioning oci login "$PROVISIONING_REGISTRY" --username "$REGISTRY_USERNAME" --password-stdin
        env:
          REGISTRY_USERNAME: \${{ secrets.REGISTRY_USERNAME }}
          REGISTRY_PASSWORD: \${{ secrets.REGISTRY_PASSWORD }}
      - run: printf '%s' "$RELEASE_KEY" > "$RUNNER_TEMP/release.key"
        env:
          RELEASE_KEY: \${{ secrets.RELEASE_KEY }}
      - run: provisioning oci release "$GITHUB_REF_NAME" --sign-key "$RUNNER_TEMP/release.key"
`;
}

function gitlab({ cliVersion }: CiTemplateOptions): string {
  return `# Written by \`provisioning generate ci --for extensions --provider gitlab\` (docs/releasing.md, "CI").
# CI/CD variables: PROVISIONING_REGISTRY (host[:port]), REGISTRY_USERNAME, REGISTRY_PASSWORD (masked),
# and, to sign releases, RELEASE_KEY (a file variable holding the cosign private key) and
# RELEASE_KEY_PASSWORD (masked).
default:
  image: node:20

test:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - npm install --global @provisioning/cli@${cliVersion}
    - git fetch origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    - provisioning test changed --since "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"

release:
  rules:
    - if: $CI_COMMIT_TAG =~ /^(providers|taskservs|clusters)\\/[^\\/]+\\/v/
  variables:
    PROVISIONING_KEY_PASSWORD: $RELEASE_KEY_PASSWORD
  script:
    - npm install --global @provisioning/cli@${cliVersion}
    - printf '%s' "$REGISTRY_PASSWORD" | provisioning oci login "$PROVISIONING_REGISTRY" --username "$REGISTRY_USERNAME" --password-stdin
    - provisioning oci release "$CI_COMMIT_TAG" --sign-key "$RELEASE_KEY"
`;
}
