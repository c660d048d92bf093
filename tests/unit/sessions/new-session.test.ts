// Creating sessions: ids, timestamps, validation, and builtin dataset hashes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../../src/core/spec/config';
import { APP_VERSION } from '../../../src/core/spec/version';
import {
  SessionFormatError,
  builtinDatasetSha256,
  newSession,
  newSessionId,
  parseSessionBytes,
  serializeSession,
  type SessionDataset,
} from '../../../src/sessions';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function sinusoid(): Promise<SessionDataset> {
  return {
    source: 'builtin',
    name: 'sinusoid',
    sha256: await builtinDatasetSha256('sinusoid', { amplitude: [0.1, 5], phase: [0, Math.PI] }),
    schema: { kind: 'regression' },
    normalization: null,
    options: { amplitude: [0.1, 5], phase: [0, Math.PI] },
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('newSession', () => {
  it('creates a valid, empty session that survives a file round trip', async () => {
    const now = new Date('2025-05-01T10:00:00.000Z');
    const s = newSession({
      name: 'First try',
      dataset: await sinusoid(),
      config: defaultConfig('reptile'),
      backend: 'wasm',
      appVersion: '0.1.0',
      now,
    });
    expect(s.id).toMatch(UUID_V4);
    expect(s.createdAt).toBe('2025-05-01T10:00:00.000Z');
    expect(s.updatedAt).toBe(s.createdAt);
    expect(s.seed).toBe(s.config.seed);
    expect(s.history).toEqual({ train: [], validation: [], bestStep: 0, stepsDone: 0 });
    expect(s.weights).toBeNull();
    expect(s.evaluation).toBeNull();
    expect(parseSessionBytes(serializeSession(s, { gzip: true }))).toEqual({
      ok: true,
      session: s,
    });
  });

  it('copies the config and defaults the app version', async () => {
    const config = defaultConfig();
    const s = newSession({
      name: 'a',
      dataset: await sinusoid(),
      config,
      backend: 'cpu',
    });
    config.hidden.push(99);
    expect(s.config.hidden).toEqual([40, 40]);
    expect(s.appVersion).toBe(APP_VERSION);
  });

  it('refuses inputs that break the schema', async () => {
    const make = async () =>
      newSession({
        name: 'x'.repeat(500),
        dataset: await sinusoid(),
        config: defaultConfig(),
        backend: 'cpu',
        appVersion: '0.1.0',
      });
    await expect(make()).rejects.toThrow(SessionFormatError);
    await expect(make()).rejects.toThrow(/name: expected at most 200 characters/);
  });
});

describe('newSessionId', () => {
  it('makes distinct UUIDs', () => {
    const ids = new Set(Array.from({ length: 100 }, newSessionId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });

  it('falls back to getRandomValues where randomUUID is missing (plain http)', () => {
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: real.getRandomValues.bind(real) });
    expect(newSessionId()).toMatch(UUID_V4);
  });
});

describe('builtinDatasetSha256', () => {
  it('does not depend on the order of option keys', async () => {
    const a = await builtinDatasetSha256('sinusoid', { a: 1, b: [1, 2] });
    const b = await builtinDatasetSha256('sinusoid', { b: [1, 2], a: 1 });
    expect(a).toBe(b);
    expect(a).not.toBe(await builtinDatasetSha256('sinusoid', { a: 2, b: [1, 2] }));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});
