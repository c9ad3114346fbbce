/**
 * FNV-1a, 64-bit, as 16 hex digits: the screen fingerprint of `sap-rl trace`.
 * Computed on two 32-bit halves (BigInt per byte would be ~50x slower); multiplying by the
 * FNV prime 2^40 + 0x1b3 is (h * 0x1b3) + (h << 40).
 */
export function fnv1a64(bytes: Uint8Array): string {
  let lo = 0x84222325;
  let hi = 0xcbf29ce4;
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ bytes[i]!) >>> 0;
    const l = lo * 0x1b3; // < 2^41: exact in a double
    const carry = Math.floor(l / 0x100000000);
    hi = (Math.imul(hi, 0x1b3) + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = l >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
