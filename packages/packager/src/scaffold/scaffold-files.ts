import { yamlSchemaModeline } from '@provisioning/schemas';
import type { ExtensionType } from '../extension-layout.js';

/** A file the scaffold writes: path relative to the extension, content, executable bit. */
export interface ScaffoldFile {
  path: string;
  content: string;
  executable?: boolean;
}

/** The version a new extension starts at: the architecture document's next steps package `NAME-1.0.0.tar.gz`. */
export const DEFAULT_SCAFFOLD_VERSION = '1.0.0';

/** `kube-proxy` → `KubeProxy`; KCL schema names must start with a letter. */
export function schemaName(name: string): string {
  const pascal = name
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return /^[A-Z]/.test(pascal) ? pascal : `X${pascal}`;
}

/** The smallest complete extension of each type that passes validate and test. */
export function scaffoldFiles(
  type: ExtensionType,
  name: string,
  version: string = DEFAULT_SCAFFOLD_VERSION,
): ScaffoldFile[] {
  const schema = schemaName(name);
  const template = `${name}.conf.j2`;
  const files: ScaffoldFile[] = [
    {
      path: 'manifest.yaml',
      content: [
        // Editors with yaml-language-server validate and complete the file (docs/extension-guide.md).
        yamlSchemaModeline('manifest'),
        `name: ${name}`,
        `type: ${type}`,
        `version: ${version}`,
        `description: ${name} ${type} (describe what it installs or manages)`,
        'author: Your Name <you@example.com>',
        'license: MIT',
        '# Other extensions this one needs, as npm-style semver ranges:',
        '# dependencies:',
        '#   containerd: ">=1.7.0"',
        'tags:',
        `  - ${type}`,
        'platforms:',
        '  - linux/amd64',
        '  - linux/arm64',
        'min_provisioning_version: "3.0.0"',
        '',
      ].join('\n'),
    },
    {
      path: 'kcl/kcl.mod',
      content: `[package]\nname = "${name}"\nedition = "v0.9.0"\nversion = "${version}"\n`,
    },
    {
      path: `kcl/${name}.k`,
      content: [
        `"""Main schema of the ${name} ${type}."""`,
        '',
        `schema ${schema}:`,
        `    """Settings of ${name}; defaults mirror defaults.yaml."""`,
        `    name: str = "${name}"`,
        '    port: int = 8080',
        '    bind: str = "127.0.0.1"',
        '',
        '    check:',
        '        1 <= port <= 65535, "port must be a TCP port"',
        '',
      ].join('\n'),
    },
    {
      path: 'scripts/install.nu',
      executable: true,
      content: [
        '#!/usr/bin/env nu',
        `# Install ${name}. Called by \`provisioning ${type} create\` with (docs/extension-guide.md):`,
        '#   --settings FILE  effective values (defaults.yaml deep-merged with the infra settings), YAML',
        '#   --rendered DIR   templates/ rendered with those values (file names without .j2)',
        '#   --check          print every action instead of changing the host',
        '',
        'def main [--settings: path, --rendered: path, --check] {',
        '  if $check {',
        `    print "would install ${name}"`,
        '    return',
        '  }',
        `  print "installing ${name}"`,
        '}',
        '',
      ].join('\n'),
    },
    {
      path: `templates/${template}`,
      content: [
        `# ${name} configuration, rendered by provisioning`,
        'port {{ port }}',
        '{% if bind %}bind {{ bind }}{% endif %}',
        '',
      ].join('\n'),
    },
    {
      path: 'defaults.yaml',
      content: `# Values every template renders with.\nport: 8080\nbind: 127.0.0.1\n`,
    },
    {
      path: 'tests/templates.test.yaml',
      content: [
        'cases:',
        '  - name: renders the default port',
        `    template: ${template}`,
        '    contains: ["port 8080", "bind 127.0.0.1"]',
        '  - name: renders an overridden port without binding',
        `    template: ${template}`,
        '    values: { port: 9090, bind: "" }',
        '    contains: ["port 9090"]',
        '    not_contains: ["bind "]',
        '',
      ].join('\n'),
    },
    {
      path: 'docs/README.md',
      content: [
        `# ${name}`,
        '',
        `A provisioning ${type}.`,
        '',
        '## Settings',
        '',
        '| key | default | meaning |',
        '|---|---|---|',
        '| `port` | `8080` | port to listen on |',
        '| `bind` | `127.0.0.1` | address to bind; empty to listen everywhere |',
        '',
        '## Develop',
        '',
        '```bash',
        `provisioning test extension ${name}`,
        `provisioning oci package validate ./extensions/${type}s/${name}`,
        `provisioning oci package ./extensions/${type}s/${name}`,
        '```',
        '',
      ].join('\n'),
    },
  ];

  if (type === 'taskserv') {
    files.push(
      {
        path: 'kcl/version.k',
        content: `"""Version of ${name} this taskserv installs."""\n\nschema ${schema}Version:\n    current: str = "${version}"\n`,
      },
      {
        path: 'kcl/dependencies.k',
        content: `"""Taskservs ${name} needs on the same server (keep in sync with manifest.yaml)."""\n\nschema ${schema}Dependencies:\n    requires: [str] = []\n`,
      },
      {
        path: 'scripts/check.nu',
        executable: true,
        content: `#!/usr/bin/env nu\n# Health check: exit non-zero when ${name} is not healthy.\n#   --settings FILE  effective values, YAML\n\ndef main [--settings: path] {\n  print "${name} ok"\n}\n`,
      },
      {
        path: 'scripts/uninstall.nu',
        executable: true,
        content: `#!/usr/bin/env nu\n# Remove ${name} from the server.\n#   --settings FILE  effective values, YAML\n#   --check          print every action instead of changing the host\n\ndef main [--settings: path, --check] {\n  if $check {\n    print "would uninstall ${name}"\n    return\n  }\n  print "uninstalling ${name}"\n}\n`,
      },
    );
  }
  if (type === 'provider') {
    files.push(
      {
        path: `kcl/defaults_${name}.k`,
        content: `"""Provider-wide defaults for ${name}."""\n\nschema ${schema}Defaults:\n    region: str = "default"\n`,
      },
      {
        path: `kcl/server_${name}.k`,
        content: `"""A server created by the ${name} provider."""\n\nschema ${schema}Server:\n    hostname: str\n    plan: str = "small"\n`,
      },
    );
  }
  return files;
}
