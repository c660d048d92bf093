/**
 * The safetensors writer against the format's definition: the header length,
 * the JSON header, the byte layout of the data (little-endian float32,
 * packed in order), alignment, a round trip through the reader, and the
 * PyTorch layout of MLP weights (Linear.weight [out, in] under Sequential's
 * names).
 */
import { describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from '../../../src/core/export/safetensors';
import { mlpTorchTensors, transpose2d } from '../../../src/core/export/torch-layout';

describe('writeSafetensors', () => {
  const a = { name: 'a', shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) };
  const b = { name: 'b.bias', shape: [1], data: Float32Array.of(-0.5) };

  it('writes an 8-byte little-endian header length, a JSON header and packed little-endian float32 data', () => {
    const bytes = writeSafetensors([a, b], { format: 'pt' });
    const view = new DataView(bytes.buffer);
    const n = Number(view.getBigUint64(0, true));
    expect(n % 8).toBe(0); // data section aligned
    expect(bytes.length).toBe(8 + n + 4 * 7);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({
      __metadata__: { format: 'pt' },
      a: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] },
      'b.bias': { dtype: 'F32', shape: [1], data_offsets: [24, 28] },
    });
    // 1.0f is 00 00 80 3f little-endian; -0.5f is 00 00 00 bf
    expect([...bytes.subarray(8 + n, 8 + n + 4)]).toEqual([0x00, 0x00, 0x80, 0x3f]);
    expect([...bytes.subarray(8 + n + 24, 8 + n + 28)]).toEqual([0x00, 0x00, 0x00, 0xbf]);
  });

  it('reads back what it wrote, names, shapes, values and metadata', () => {
    const weird = Float32Array.of(Math.PI, -0, 1e-38, 3.4e38, -7.25);
    const back = readSafetensors(
      writeSafetensors([a, { name: 'w', shape: [5], data: weird }, b], { k: 'v' }),
    );
    expect(back.metadata).toEqual({ k: 'v' });
    expect(back.tensors.map((t) => [t.name, t.shape])).toEqual([
      ['a', [2, 3]],
      ['w', [5]],
      ['b.bias', [1]],
    ]);
    expect([...back.tensors[1]!.data]).toEqual([...weird]);
  });

  it('refuses a shape that does not match the data, duplicate names, and a truncated file', () => {
    expect(() => writeSafetensors([{ name: 'x', shape: [4], data: new Float32Array(3) }])).toThrow(
      /shape \[4\] holds 4 values, got 3/,
    );
    expect(() => writeSafetensors([a, a])).toThrow(/duplicate tensor name a/);
    const bytes = writeSafetensors([a]);
    expect(() => readSafetensors(bytes.subarray(0, bytes.length - 4))).toThrow(/data offsets/);
    expect(() => readSafetensors(new Uint8Array(4))).toThrow(/not a safetensors file/);
  });
});

describe('PyTorch layout of an MLP', () => {
  it('transposes W [in, out] to Linear.weight [out, in] and names layers as nn.Sequential does', () => {
    expect([...transpose2d(Float32Array.of(1, 2, 3, 4, 5, 6), 2, 3)]).toEqual([1, 4, 2, 5, 3, 6]);
    // 2 → 3 → 1: W0 [2, 3], b0 [3], W1 [3, 1], b1 [1]
    const arrays = [
      Float32Array.of(1, 2, 3, 4, 5, 6),
      Float32Array.of(7, 8, 9),
      Float32Array.of(10, 11, 12),
      Float32Array.of(13),
    ];
    const t = mlpTorchTensors({ inputDim: 2, hidden: [3], outputDim: 1 }, arrays);
    expect(t.map((x) => [x.name, x.shape])).toEqual([
      ['0.weight', [3, 2]],
      ['0.bias', [3]],
      ['2.weight', [1, 3]],
      ['2.bias', [1]],
    ]);
    // weight[o][i] = W[i][o]
    expect([...t[0]!.data]).toEqual([1, 4, 2, 5, 3, 6]);
    expect([...t[2]!.data]).toEqual([10, 11, 12]);
    expect(() =>
      mlpTorchTensors({ inputDim: 2, hidden: [3], outputDim: 1 }, arrays.slice(1)),
    ).toThrow(/has 4 tensors, got 3/);
  });
});
