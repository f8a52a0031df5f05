/**
 * The simple-signing payload cosign signs (docs/signing.md, "Format"): which manifest digest, in
 * which repository, plus the signer's free-form `optional` annotations. Parsing is strict — one
 * `SIGNATURE_PAYLOAD_INVALID` line naming what is wrong — because the payload is attacker-supplied.
 */
import { isValidDigest, ProvisioningError } from '@provisioning/schemas';

export const SIMPLE_SIGNING_TYPE = 'cosign container image signature';
/** Payloads are a few hundred bytes; anything much larger is not a signature payload. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

export interface SignaturePayload {
  /** `critical.identity.docker-reference`: the repository, `host/ns/name`. */
  dockerReference: string;
  /** `critical.image.docker-manifest-digest`. */
  manifestDigest: string;
  /** `optional`, values as strings. */
  annotations: Record<string, string>;
}

/** The payload bytes for `manifestDigest` in `dockerReference` (key order as cosign writes it). */
export function buildPayload(payload: SignaturePayload): Buffer {
  const optional = Object.keys(payload.annotations).length > 0 ? payload.annotations : null;
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': payload.dockerReference },
        image: { 'docker-manifest-digest': payload.manifestDigest },
        type: SIMPLE_SIGNING_TYPE,
      },
      optional,
    }),
  );
}

/** Parse payload bytes; `where` names the signature in the error. */
export function parsePayload(bytes: Uint8Array, where: string): SignaturePayload {
  if (bytes.length > MAX_PAYLOAD_BYTES)
    throw payloadInvalid(where, `is ${bytes.length} bytes, over ${MAX_PAYLOAD_BYTES}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw payloadInvalid(where, 'is not UTF-8 JSON');
  }
  const top = object(json, where, 'the payload');
  only(top, ['critical', 'optional'], where, 'the payload');
  const critical = object(top.critical, where, '"critical"');
  only(critical, ['identity', 'image', 'type'], where, '"critical"');
  const identity = object(critical.identity, where, '"critical.identity"');
  const image = object(critical.image, where, '"critical.image"');
  if (critical.type !== SIMPLE_SIGNING_TYPE) {
    throw payloadInvalid(
      where,
      `has critical.type ${JSON.stringify(critical.type)}, not "${SIMPLE_SIGNING_TYPE}"`,
    );
  }
  const reference = identity['docker-reference'];
  if (typeof reference !== 'string' || reference.length === 0 || reference.length > 1024) {
    throw payloadInvalid(where, 'has no critical.identity.docker-reference string');
  }
  const digest = image['docker-manifest-digest'];
  if (typeof digest !== 'string' || !isValidDigest(digest)) {
    throw payloadInvalid(where, 'has no valid critical.image.docker-manifest-digest');
  }
  const annotations: Record<string, string> = {};
  if (top.optional !== undefined && top.optional !== null) {
    const optional = object(top.optional, where, '"optional"');
    for (const [key, value] of Object.entries(optional)) {
      annotations[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return { dockerReference: reference, manifestDigest: digest, annotations };
}

/**
 * `namespace/name` of a docker reference: the registry host (a first component with `.` or `:`,
 * or `localhost`) and any tag or digest are dropped, so a mirror's copy compares equal.
 */
export function repositoryPath(dockerReference: string): string {
  let rest = dockerReference.replace(/^[a-z]+:\/\//, '');
  const at = rest.indexOf('@');
  if (at >= 0) rest = rest.slice(0, at);
  const parts = rest.split('/');
  const last = parts[parts.length - 1]!;
  const colon = last.indexOf(':');
  if (colon >= 0 && parts.length > 1) parts[parts.length - 1] = last.slice(0, colon);
  if (parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost')) parts.shift();
  return parts.join('/');
}

type JsonObject = Record<string, unknown>;

function object(value: unknown, where: string, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw payloadInvalid(where, `has ${what} that is not a JSON object`);
  }
  return value as JsonObject;
}

function only(value: JsonObject, keys: string[], where: string, what: string): void {
  const extra = Object.keys(value).find((key) => !keys.includes(key));
  if (extra !== undefined)
    throw payloadInvalid(where, `has an unknown key ${JSON.stringify(extra)} in ${what}`);
}

function payloadInvalid(where: string, what: string): ProvisioningError {
  return new ProvisioningError('SIGNATURE_PAYLOAD_INVALID', `signature payload ${where} ${what}`, {
    kind: 'input',
    hint: 'the signature was not made by cosign or provisioning; sign the artifact again',
    details: { signature: where },
  });
}
