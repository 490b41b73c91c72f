// SigV4 in the browser, for the console's login request: the secret key signs here and is never sent.
// WebCrypto does the hashing where the page is a secure context (https, localhost, 127.0.0.1); an admin
// address reached over plain http elsewhere has no crypto.subtle, so a small SHA-256 stands in there.

const enc = new TextEncoder();
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);

const ror = (x, n) => (x >>> n) | (x << (32 - n));

/** SHA-256 of bytes, in plain JavaScript (FIPS 180-4). */
export function sha256Plain(data) {
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const padded = new Uint8Array(((data.length + 9 + 63) >> 6) << 6);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bits = data.length * 8;
  view.setUint32(padded.length - 8, Math.floor(bits / 0x100000000));
  view.setUint32(padded.length - 4, bits >>> 0);
  const w = new Uint32Array(64);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + 4 * i);
    for (let i = 16; i < 64; i++) {
      const s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let [a, b, c, d, e, f, g, k] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      const t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  h.forEach((v, i) => outView.setUint32(4 * i, v));
  return out;
}

function hmacPlain(key, message) {
  const k = key.length > 64 ? sha256Plain(key) : key;
  const block = new Uint8Array(64);
  block.set(k);
  const inner = new Uint8Array(64 + message.length);
  const outer = new Uint8Array(64 + 32);
  for (let i = 0; i < 64; i++) {
    inner[i] = block[i] ^ 0x36;
    outer[i] = block[i] ^ 0x5c;
  }
  inner.set(message, 64);
  outer.set(sha256Plain(inner), 64);
  return sha256Plain(outer);
}

/** The hashing to sign with: WebCrypto when the page may use it (or unless told not to), else plain code. */
function hashing(plain) {
  const subtle = !plain && globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle) {
    return { sha256: async b => sha256Plain(b), hmac: async (k, m) => hmacPlain(k, m) };
  }
  return {
    sha256: async b => new Uint8Array(await subtle.digest('SHA-256', b)),
    hmac: async (k, m) => {
      const key = await subtle.importKey('raw', k, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      return new Uint8Array(await subtle.sign('HMAC', key, m));
    },
  };
}

export const hex = bytes => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');

/** 20260131T235959Z */
export function amzDate(date) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The headers that sign a request without a body and without a query with SigV4 (service s3): the
 * Authorization, x-amz-date and x-amz-content-sha256 headers. The browser sends Host itself, as
 * {@code host} says.
 */
export async function signedHeaders({ method, path, host, region, accessKeyId, secretKey, date, plain }) {
  const c = hashing(plain);
  const stamp = amzDate(date);
  const day = stamp.slice(0, 8);
  const scope = `${day}/${region}/s3/aws4_request`;
  const canonical = [method, path, '', `host:${host}`, `x-amz-content-sha256:${EMPTY_SHA256}`,
    `x-amz-date:${stamp}`, '', 'host;x-amz-content-sha256;x-amz-date', EMPTY_SHA256].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', stamp, scope, hex(await c.sha256(enc.encode(canonical)))].join('\n');
  let key = enc.encode('AWS4' + secretKey);
  for (const part of [day, region, 's3', 'aws4_request']) {
    key = await c.hmac(key, enc.encode(part));
  }
  const signature = hex(await c.hmac(key, enc.encode(toSign)));
  return {
    'Authorization': `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, `
      + `SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${signature}`,
    'x-amz-date': stamp,
    'x-amz-content-sha256': EMPTY_SHA256,
  };
}
