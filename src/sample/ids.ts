/**
 * Identifiers as the SOT writes them: SS58 addresses for the Substrate network and UUIDv5 alert
 * ids (`uuid.uuid5(NAMESPACE_DNS, f"{address}-{TYPOLOGY}-{date}")` in the SOT's typology
 * detector), so ids computed from the sample match ids computed the SOT's way.
 */
import { createHash, hash } from 'node:crypto';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const SS58_PREFIX = new TextEncoder().encode('SS58PRE');

/**
 * Base58 by repeated division of the big-endian number by 58^5, held in 16-bit limbs so every
 * intermediate stays below 2^53 (about ten times faster than the digit-by-digit textbook loop,
 * which matters for the half a million addresses of a large run).
 */
function base58(bytes: Uint8Array): string {
  const limbs: number[] = [];
  if (bytes.length % 2) limbs.push(bytes[0]!);
  for (let i = bytes.length % 2; i < bytes.length; i += 2) limbs.push((bytes[i]! << 8) | bytes[i + 1]!);
  const CHUNK = 656_356_768; // 58^5
  const digits: number[] = [];
  let start = 0;
  while (start < limbs.length) {
    let rem = 0;
    for (let i = start; i < limbs.length; i++) {
      const cur = rem * 65536 + limbs[i]!;
      limbs[i] = Math.floor(cur / CHUNK);
      rem = cur % CHUNK;
    }
    while (start < limbs.length && limbs[start] === 0) start++;
    for (let k = 0; k < 5; k++) {
      digits.push(rem % 58);
      rem = Math.floor(rem / 58);
    }
  }
  while (digits.length > 0 && digits[digits.length - 1] === 0) digits.pop();
  let out = '';
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) out += '1';
  for (let i = digits.length - 1; i >= 0; i--) out += BASE58[digits[i]!];
  return out;
}

/**
 * A valid SS58 address (network prefix 42, 32-byte public key, 2-byte blake2b checksum): 48
 * characters starting with "5", like real Substrate addresses.
 */
export function ss58Address(publicKey: Uint8Array, prefix = 42): string {
  // blake2b-512 over "SS58PRE" + prefix + key; the first two bytes are the checksum.
  const preimage = new Uint8Array(SS58_PREFIX.length + 33);
  preimage.set(SS58_PREFIX);
  preimage[SS58_PREFIX.length] = prefix;
  preimage.set(publicKey.subarray(0, 32), SS58_PREFIX.length + 1);
  const checksum = hash('blake2b512', preimage, 'buffer');
  const full = new Uint8Array(35);
  full.set(preimage.subarray(SS58_PREFIX.length));
  full[33] = checksum[0]!;
  full[34] = checksum[1]!;
  return base58(full);
}

/** RFC 4122 DNS namespace, the one the SOT passes to uuid5. */
const NAMESPACE_DNS = Buffer.from('6ba7b8109dad11d180b400c04fd430c8', 'hex');

/** UUID version 5 (SHA-1, name-based) of `name` in the DNS namespace. */
export function uuidv5(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE_DNS).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The SOT's alert id: UUIDv5 of `{address}-{TYPOLOGY}-{processing_date}`. */
export function alertId(address: string, typology: string, processingDate: string): string {
  return uuidv5(`${address}-${typology}-${processingDate}`);
}
