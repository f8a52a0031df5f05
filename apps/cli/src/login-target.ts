import { ProvisioningError, parseReference } from '@provisioning/schemas';
import type { EffectiveConfig } from '@provisioning/workspace';

/**
 * The registry host a user typed (`localhost:5000`, `oci://harbor.company.com/`,
 * `https://127.0.0.1:5443`), validated, with its scheme: the one typed (`https://`, `http://`), else
 * the configured TLS setting when it is the configured registry (credentials are keyed by origin),
 * else the client default (docs/oci.md, "TLS and plain HTTP").
 */
export function loginTarget(
  input: string,
  config: EffectiveConfig,
  plainHttpFlag: boolean | undefined,
): { host: string; plainHttp: boolean | undefined } {
  const scheme = /^(oci|https?):\/\//i.exec(input)?.[1]?.toLowerCase();
  const host = input.replace(/^(oci|https?):\/\//i, '').replace(/\/+$/, '');
  let parsed: string | undefined;
  try {
    parsed = parseReference(`${host}/probe`).registry;
  } catch {
    parsed = undefined;
  }
  if (parsed !== host || host.includes('/')) {
    throw new ProvisioningError(
      'REGISTRY_INVALID',
      `invalid registry ${JSON.stringify(input.slice(0, 200))}`,
      {
        kind: 'input',
        hint: 'give a registry host[:port] such as localhost:5000 or harbor.company.com',
      },
    );
  }
  if (scheme === 'https' || scheme === 'http') return { host, plainHttp: scheme === 'http' };
  if (host === config.registry.value) return { host, plainHttp: !config.tlsEnabled.value };
  return { host, plainHttp: plainHttpFlag ? true : undefined };
}
