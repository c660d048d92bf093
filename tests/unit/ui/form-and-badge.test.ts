/** The configuration form's parsing and checks, and the backend badge's words. */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/core/spec/config';
import { parseHidden, withField } from '../../../src/ui/config/fields';
import { badgeText } from '../../../src/ui/header/badge';

describe('configuration fields', () => {
  const c = defaultConfig('maml');

  it('accepts valid values and says why others are refused, with the form label', () => {
    expect(withField(c, 'metaSteps', '300')).toEqual({ config: { ...c, metaSteps: 300 } });
    expect(withField(c, 'metaLr', '1e-2')).toEqual({ config: { ...c, metaLr: 0.01 } });
    expect(withField(c, 'metaBatch', '0')).toEqual({
      problem: 'Meta-batch must be a whole number ≥ 1 (got 0).',
    });
    expect(withField(c, 'shots', '2.5')).toMatchObject({
      problem: expect.stringMatching(/^Shots \(K\)/),
    });
    expect(withField(c, 'innerLr', 'abc')).toEqual({
      problem: 'Inner learning rate (α): type a number.',
    });
    expect(withField(c, 'hidden', '64, 32')).toEqual({ config: { ...c, hidden: [64, 32] } });
    expect(withField(c, 'hidden', '64,0')).toMatchObject({
      problem: expect.stringMatching(/^Hidden sizes/),
    });
    expect(parseHidden(' , ')).toBeNull();
  });
});

describe('backend badge', () => {
  const base = {
    requested: 'auto' as const,
    adapterInfo: null,
    fallbackReason: null,
    recovery: null,
  };

  it('names the WebGPU adapter', () => {
    expect(
      badgeText({
        ...base,
        active: 'webgpu',
        adapterInfo: { vendor: 'google', architecture: 'swiftshader', description: '', device: '' },
      }),
    ).toBe('WebGPU · swiftshader');
  });

  it('gives the short reason of a fallback, or says the backend was chosen', () => {
    expect(
      badgeText({
        ...base,
        active: 'wasm',
        fallbackReason: 'no WebGPU in this browser; WebGL failed to start: no context',
      }),
    ).toBe('WASM (no WebGPU in this browser)');
    expect(badgeText({ ...base, requested: 'cpu', active: 'cpu' })).toBe('CPU (selected)');
    expect(badgeText({ ...base, active: null })).toMatch(/Starting/);
  });

  it('says when a run moved here after the GPU failed', () => {
    expect(
      badgeText({
        ...base,
        active: 'webgl',
        recovery: {
          from: 'webgpu',
          reason: 'The GPU device was lost (destroyed).',
          resumedFromStep: 12,
        },
      }),
    ).toBe('WebGL (WebGPU device lost)');
  });

  it('a run moved on request shows the backend picked, not a failure', () => {
    expect(
      badgeText({
        ...base,
        requested: 'wasm',
        active: 'wasm',
        recovery: { from: 'webgpu', reason: 'moved on request', resumedFromStep: 12, moved: true },
      }),
    ).toBe('WASM (selected)');
  });
});
