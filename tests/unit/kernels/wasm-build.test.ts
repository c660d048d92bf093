/**
 * The committed kernel binary is its source's: recompiles
 * src/core/kernels/wasm/assembly/mlp.ts with the asc of node_modules (the
 * flags of scripts/build-kernels.ts) and compares mlp.wasm and the base64
 * module byte for byte. Slow (the compiler takes 10–50 s on this machine), so
 * it lives in its own file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BINARY, MODULE, compileKernels, moduleText } from '../../../scripts/build-kernels';

describe('kernel build', () => {
  it('mlp.wasm and mlp-wasm.ts match a fresh compile of assembly/mlp.ts', async () => {
    const fresh = await compileKernels();
    expect(Buffer.compare(Buffer.from(fresh), readFileSync(BINARY))).toBe(0);
    expect(readFileSync(MODULE, 'utf8')).toBe(moduleText(fresh));
  }, 180_000);
});
