// Weights as base64 float32: bit-exact round trips, the finite-values rule,
// shape mismatches, and the base64 codec itself (checked against Node's).
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from '../../../src/sessions/base64';
import { SessionFormatError, decodeWeights, encodeWeights } from '../../../src/sessions';

function bitsOf(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

describe('weights codec', () => {
  const shapes = [[3, 4], [4], [4, 2], [2], []];
  const edge = [
    0,
    -0,
    1,
    -1,
    Math.fround(Math.PI),
    3.4028234663852886e38,
    -3.4028234663852886e38,
    1.401298464324817e-45,
    1.1754942106924411e-38,
    -1.401298464324817e-45,
    0.1,
    1e-20,
  ];
  const arrays = [
    Float32Array.from(edge),
    Float32Array.from([1, 2, 3, 4]),
    Float32Array.from({ length: 8 }, (_, i) => Math.sin(i) * 1e5),
    Float32Array.from([Number.EPSILON, -Number.EPSILON]),
    Float32Array.from([42]),
  ];

  it('round-trips bit for bit (signed zero, subnormals, extremes)', () => {
    const stored = encodeWeights(arrays, shapes);
    expect(stored.dtype).toBe('float32');
    expect(stored.shapes).toEqual(shapes);
    const back = decodeWeights(stored);
    expect(back.map(bitsOf)).toEqual(arrays.map(bitsOf));
  });

  it('stores little-endian float32 bytes, in order', () => {
    const stored = encodeWeights([Float32Array.from([1, -2])], [[2]]);
    expect(Array.from(Buffer.from(stored.base64, 'base64'))).toEqual([
      0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0,
    ]);
  });

  it('round-trips random weights of a realistic size', () => {
    const big = Float32Array.from({ length: 40 * 40 + 40 }, (_, i) => Math.cos(i * 0.7) / (i + 1));
    const back = decodeWeights(
      encodeWeights([big.subarray(0, 1600), big.subarray(1600)], [[40, 40], [40]]),
    );
    expect(bitsOf(back[0]!).concat(bitsOf(back[1]!))).toEqual(bitsOf(big));
  });

  it('gives every decoded tensor its own buffer', () => {
    const back = decodeWeights(encodeWeights(arrays, shapes));
    const buffers = new Set(back.map((a) => a.buffer));
    expect(buffers.size).toBe(back.length);
    back.forEach((a) => expect(a.byteOffset).toBe(0));
  });

  it('refuses NaN and Infinity when saving', () => {
    expect(() => encodeWeights([Float32Array.from([1, NaN])], [[2]])).toThrow(
      /tensor 0 holds NaN at index 1; the run has probably diverged/,
    );
    expect(() => encodeWeights([Float32Array.from([Infinity])], [[1]])).toThrow(SessionFormatError);
  });

  it('refuses NaN hidden in stored data', () => {
    const nanBytes = new Uint8Array(new Float32Array([1, NaN]).buffer);
    const stored = {
      shapes: [[2]],
      dtype: 'float32' as const,
      base64: Buffer.from(nanBytes).toString('base64'),
    };
    expect(() => decodeWeights(stored)).toThrow(/value 1 is NaN, not a finite number/);
  });

  it('refuses arrays that do not match their shapes', () => {
    expect(() => encodeWeights([new Float32Array(5)], [[2, 3]])).toThrow(
      'Cannot save weights: tensor 0 has 5 values but its shape [2, 3] needs 6.',
    );
    expect(() => encodeWeights([new Float32Array(1)], [[1], [1]])).toThrow(
      /1 arrays were given for 2 shapes/,
    );
    const stored = encodeWeights([new Float32Array(6)], [[2, 3]]);
    expect(() => decodeWeights({ ...stored, shapes: [[2, 4]] })).toThrow(
      'The weights do not match their shapes: the data holds 24 bytes but the shapes need 32 (8 float32 values).',
    );
    expect(() => decodeWeights({ ...stored, shapes: [[2, 1.5]] })).toThrow(SessionFormatError);
  });
});

describe('base64', () => {
  it('matches Node for every length and both variants', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 0xff);
      const b64 = encodeBase64(bytes);
      expect(b64).toBe(Buffer.from(bytes).toString('base64'));
      expect(encodeBase64(bytes, 'base64url')).toBe(Buffer.from(bytes).toString('base64url'));
      const back = decodeBase64(b64);
      const backUrl = decodeBase64(encodeBase64(bytes, 'base64url'), 'base64url');
      expect(back.ok && Array.from(back.bytes)).toEqual(Array.from(bytes));
      expect(backUrl.ok && Array.from(backUrl.bytes)).toEqual(Array.from(bytes));
    }
  });

  it('reports bad characters and lengths with a position', () => {
    expect(decodeBase64('QUJD!A==')).toEqual({
      ok: false,
      problem: 'it contains the character "!"',
      position: 4,
    });
    expect(decodeBase64('QUJDR')).toMatchObject({
      ok: false,
      problem: 'its length is not a multiple of 4',
    });
    expect(decodeBase64('QUJDR', 'base64url')).toMatchObject({
      ok: false,
      problem: 'it ends in the middle of a byte',
    });
    expect(decodeBase64('QU+/', 'base64url')).toMatchObject({ ok: false, position: 2 });
    expect(decodeBase64('QUJDé===')).toMatchObject({ ok: false });
  });
});
