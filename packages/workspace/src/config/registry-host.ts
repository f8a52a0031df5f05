import {
  configuredRegistryProblem,
  isValidRegistry,
  ProvisioningError,
  REGISTRY_NAME_HINT,
} from '@provisioning/schemas';

export interface RegistryEndpoint {
  /** `host[:port]`, lower-cased host. */
  host: string;
  /** Set when the value carried a scheme: `https://` → true, `http://` → false. */
  tls: boolean | undefined;
}

/** Where a value came from, for error messages: a file + key, an env var or a flag. */
export interface ValueLocation {
  /** e.g. `/ws/config/provisioning.yaml: dependencies.registry.oci.endpoint`, `PROVISIONING_REGISTRY`, `--registry` */
  where: string;
  code: 'CONFIG_INVALID' | 'ENV_INVALID' | 'FLAG_INVALID';
}

/**
 * Accepts `host`, `host:port`, `[::1]:5000` and the same with an `http://` / `https://` scheme
 * (the seed writes `endpoint: "https://harbor.company.com"`); the scheme decides TLS and is removed.
 * `oci://` is accepted too and leaves TLS to the other settings.
 */
export function parseRegistryEndpoint(raw: string, location: ValueLocation): RegistryEndpoint {
  let value = raw.trim();
  let tls: boolean | undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    if (name !== 'https' && name !== 'http' && name !== 'oci') {
      throw invalid(raw, location, `unsupported scheme "${name}://" (use https://, http://, oci:// or none)`);
    }
    // oci:// names the registry without saying anything about TLS.
    if (name !== 'oci') tls = name === 'https';
    value = value.slice(scheme[0].length);
  }
  value = value.replace(/\/+$/, '');
  if (!isValidRegistry(value)) {
    const reason = value.includes('/')
      ? 'a registry is host[:port] without a path (put the path in the namespace)'
      : 'expected host[:port] with a DNS name, IPv4 or [IPv6] address and a port 1-65535';
    throw invalid(raw, location, reason);
  }
  const host = value.toLowerCase();
  // `myreg` is a valid host, but references formatted with it would not parse back.
  const ambiguous = configuredRegistryProblem(host);
  if (ambiguous !== null) throw invalid(raw, location, ambiguous, REGISTRY_NAME_HINT);
  return { host, tls };
}

/** localhost, 127.0.0.0/8 and ::1 — registries that default to plain HTTP. */
export function isLoopbackRegistry(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '::1' || /^127(?:\.\d{1,3}){3}$/.test(name);
}

function invalid(
  raw: string,
  { where, code }: ValueLocation,
  reason: string,
  hint = 'write the registry as host[:port], e.g. localhost:5000 or harbor.company.com',
): ProvisioningError {
  return new ProvisioningError(code, `${where}: invalid registry "${raw}": ${reason}`, {
    kind: code === 'FLAG_INVALID' ? 'usage' : 'input',
    hint,
    details: { value: raw, where },
  });
}
