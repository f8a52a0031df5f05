/**
 * cosign key files (docs/signing.md, "Keys"). The private key is a PEM block
 * `ENCRYPTED SIGSTORE PRIVATE KEY` (older cosign: `ENCRYPTED COSIGN PRIVATE KEY`) whose body is a
 * JSON envelope: scrypt (N=32768, r=8, p=1, 32-byte salt, 32-byte key) derives the key of a NaCl
 * secretbox (24-byte nonce) sealing the PKCS#8 DER of an ECDSA P-256 key. The public key is a
 * `PUBLIC KEY` (SPKI) PEM. Decoding is strict: anything else is one `KEY_INVALID` line.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  scryptSync,
} from 'node:crypto';
import { ProvisioningError } from '@provisioning/schemas';
import nacl from 'tweetnacl';

export const PRIVATE_KEY_PEM_TYPE = 'ENCRYPTED SIGSTORE PRIVATE KEY';
const ACCEPTED_PRIVATE_TYPES = [PRIVATE_KEY_PEM_TYPE, 'ENCRYPTED COSIGN PRIVATE KEY'];
const SCRYPT = { N: 32768, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
/** Envelopes with a higher cost are refused: decoding one must not be a denial of service. */
const MAX_SCRYPT_N = 1 << 20;

export interface KeyPairFiles {
  /** `ENCRYPTED SIGSTORE PRIVATE KEY` PEM. */
  privateKey: string;
  /** SPKI `PUBLIC KEY` PEM. */
  publicKey: string;
}

/** A new ECDSA P-256 key pair in cosign's file formats. */
export function generateSigningKeyPair(password: string): KeyPairFiles {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey: encryptPrivateKey(privateKey, password),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Seal a private key into the cosign envelope (fresh salt and nonce). */
export function encryptPrivateKey(key: KeyObject, password: string): string {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const salt = randomBytes(32);
  const nonce = randomBytes(nacl.secretbox.nonceLength);
  const secret = deriveKey(password, salt, SCRYPT);
  const ciphertext = nacl.secretbox(new Uint8Array(der), new Uint8Array(nonce), secret);
  const envelope = {
    kdf: { name: 'scrypt', params: SCRYPT, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(ciphertext).toString('base64'),
  };
  return pemEncode(PRIVATE_KEY_PEM_TYPE, Buffer.from(JSON.stringify(envelope)));
}

/** Open a cosign private key file; `file` names it in errors. */
export function decryptPrivateKey(text: string, password: string, file: string): KeyObject {
  const block = pemDecode(text, file);
  if (!ACCEPTED_PRIVATE_TYPES.includes(block.type)) {
    throw keyInvalid(file, `is a "${block.type}" PEM block, not an encrypted cosign private key`);
  }
  const envelope = parseEnvelope(block.body, file);
  const secret = deriveKey(password, envelope.salt, envelope.params);
  const opened = nacl.secretbox.open(envelope.ciphertext, envelope.nonce, secret);
  if (!opened) {
    throw new ProvisioningError('KEY_PASSWORD_WRONG', `${file}: wrong password for this private key`, {
      kind: 'input',
      hint: 'set PROVISIONING_KEY_PASSWORD to the password the key was created with',
      details: { file },
    });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(opened), format: 'der', type: 'pkcs8' });
  } catch {
    throw keyInvalid(file, 'holds no PKCS#8 private key');
  }
  assertP256(key, file);
  return key;
}

/** A `PUBLIC KEY` (SPKI) PEM, ECDSA P-256. */
export function readPublicKey(text: string, file: string): KeyObject {
  const block = pemDecode(text, file);
  if (block.type !== 'PUBLIC KEY') {
    throw keyInvalid(file, `is a "${block.type}" PEM block, not a PUBLIC KEY`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: block.body, format: 'der', type: 'spki' });
  } catch {
    throw keyInvalid(file, 'holds no SPKI public key');
  }
  assertP256(key, file);
  return key;
}

/** The public key's SPKI PEM: a stable text to compare keys and name them in output. */
export function publicKeyPem(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'pem' }).toString();
}

interface Envelope {
  params: { N: number; r: number; p: number };
  salt: Uint8Array;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

function parseEnvelope(body: Buffer, file: string): Envelope {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw keyInvalid(file, 'has a PEM body that is not the JSON key envelope');
  }
  const kdf = field(json, 'kdf');
  const cipher = field(json, 'cipher');
  const params = field(kdf, 'params');
  if (field(kdf, 'name') !== 'scrypt') throw keyInvalid(file, 'uses a key derivation other than scrypt');
  if (field(cipher, 'name') !== 'nacl/secretbox')
    throw keyInvalid(file, 'uses a cipher other than nacl/secretbox');
  const N = field(params, 'N');
  const r = field(params, 'r');
  const p = field(params, 'p');
  const valid = (v: unknown, max: number): v is number =>
    Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= max;
  if (!valid(N, MAX_SCRYPT_N) || (N & (N - 1)) !== 0 || N < 2 || !valid(r, 32) || !valid(p, 16)) {
    throw keyInvalid(
      file,
      'has scrypt parameters outside what cosign writes (N a power of two up to 2^20, r ≤ 32, p ≤ 16)',
    );
  }
  const salt = base64Field(kdf, 'salt', file);
  const nonce = base64Field(cipher, 'nonce', file);
  const ciphertext = base64Field(json, 'ciphertext', file);
  if (nonce.length !== nacl.secretbox.nonceLength)
    throw keyInvalid(file, 'has a secretbox nonce that is not 24 bytes');
  if (salt.length === 0) throw keyInvalid(file, 'has an empty scrypt salt');
  if (ciphertext.length <= nacl.secretbox.overheadLength)
    throw keyInvalid(file, 'has no encrypted key in it');
  return { params: { N, r, p }, salt, nonce, ciphertext };
}

function deriveKey(
  password: string,
  salt: Uint8Array,
  params: { N: number; r: number; p: number },
): Uint8Array {
  const maxmem = 256 * params.N * params.r + 16 * 1024 * 1024;
  return new Uint8Array(scryptSync(password, salt, KEY_BYTES, { ...params, maxmem }));
}

function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function base64Field(value: unknown, key: string, file: string): Uint8Array {
  const text = field(value, key);
  if (typeof text !== 'string' || !BASE64.test(text))
    throw keyInvalid(file, `has no base64 "${key}" in its envelope`);
  return new Uint8Array(Buffer.from(text, 'base64'));
}

interface PemBlock {
  type: string;
  body: Buffer;
}

const PEM = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]*?)\r?\n?-----END \1-----\r?\n?$/;

/** Exactly one PEM block (surrounding blank lines allowed). */
function pemDecode(text: string, file: string): PemBlock {
  const match = PEM.exec(text.trim() + '\n');
  if (!match) throw keyInvalid(file, 'is not a single PEM block');
  const base64 = match[2]!.replace(/\r?\n/g, '');
  if (!BASE64.test(base64) || base64.length === 0)
    throw keyInvalid(file, 'has a PEM body that is not base64');
  return { type: match[1]!, body: Buffer.from(base64, 'base64') };
}

function pemEncode(type: string, body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

function assertP256(key: KeyObject, file: string): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw keyInvalid(file, 'is not an ECDSA P-256 key (cosign key pairs are P-256)');
  }
}

function keyInvalid(file: string, what: string): ProvisioningError {
  return new ProvisioningError('KEY_INVALID', `${file} ${what}`, {
    kind: 'input',
    hint: 'use a key pair from `provisioning oci key generate` or `cosign generate-key-pair`',
    details: { file },
  });
}
