/**
 * ECDSA P-256 / SHA-256 over the payload bytes, the signature DER-encoded and base64'd as cosign
 * stores it (docs/signing.md, "Format"). Node's `crypto` does the work; `openssl dgst -sha256
 * -verify` checks the same bytes.
 */
import { type KeyObject, sign, verify } from 'node:crypto';

export function signPayload(privateKey: KeyObject, payload: Uint8Array): string {
  return sign('sha256', payload, { key: privateKey, dsaEncoding: 'der' }).toString('base64');
}

/** False for a wrong key, a changed payload, or a signature that is not base64 DER. */
export function verifyPayload(publicKey: KeyObject, payload: Uint8Array, signature: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature) || signature.length > 1024) return false;
  try {
    return verify(
      'sha256',
      payload,
      { key: publicKey, dsaEncoding: 'der' },
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}
