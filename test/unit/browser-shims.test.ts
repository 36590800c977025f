// The browser build's stand-ins agree with Node where the engine relies on them: SHA-256 (credential
// digests), timingSafeEqual, base64 credentials, UTF-8 byte lengths.
import { createHash as nodeHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHash, timingSafeEqual } from '../../src/hosts/browser-shims/crypto.js';
import { Buffer as ShimBuffer } from '../../src/hosts/browser-shims/globals.js';

describe('browser stand-ins', () => {
  it('SHA-256 equals node:crypto for lengths around the block edges', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const text = 'aé'.repeat(n).slice(0, n);
      expect(createHash('sha256').update(text).digest('hex')).toBe(nodeHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });
  it('timingSafeEqual compares bytes', () => {
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
  });
  it('Buffer: base64 to UTF-8 text and byte lengths as Node', () => {
    for (const text of ['admin:admin', 'jürgen:pässword', '', 'a:b:c']) {
      const b64 = Buffer.from(text, 'utf8').toString('base64');
      expect(ShimBuffer.from(b64, 'base64').toString()).toBe(Buffer.from(b64, 'base64').toString('utf8'));
      expect(ShimBuffer.byteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });
});
