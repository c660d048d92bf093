// restoreSession: the v0 → v1 → v2 migrations on the committed fixtures, refusals of
// newer versions and foreign formats, and that it never throws.
import { describe, expect, it } from 'vitest';
import {
  MIGRATIONS,
  SESSION_VERSION,
  builtinDatasetSha256,
  decodeWeights,
  restoreSession,
} from '../../../src/sessions';
import { fixture } from './fixtures';

function errorOf(input: unknown): string {
  const r = restoreSession(input);
  if (r.ok) throw new Error('expected the input to be refused');
  return r.error;
}

describe('restoreSession', () => {
  it('opens the v2 fixture without migrating', () => {
    const r = restoreSession(fixture('v2-example'));
    expect(r).toEqual({ ok: true, session: fixture('v2-example') });
  });

  it('migrates the v1 fixture: the new outer-update settings get what v1 runs used', () => {
    const v1 = fixture('v1-example');
    const r = restoreSession(v1);
    if (!r.ok) throw new Error(r.error);
    expect(r.migratedFrom).toBe(1);
    expect(r.session.version).toBe(2);
    expect(r.session.config).toEqual({
      ...v1.config,
      metaOptimizer: 'adam',
      weightDecay: 0,
      cosineSchedule: false,
      dropout: 0,
    });
    // nothing else changes: the v2 fixture is the v1 one with these four fields
    expect(r.session).toEqual(fixture('v2-example'));
  });

  it('refuses a v1 document that already carries a v2 field, naming it', () => {
    const v1 = fixture('v1-example');
    v1.config.dropout = 0.5;
    expect(errorOf(v1)).toBe(
      'This session uses the older format version 1 and could not be upgraded: config.dropout: not a field of format version 1',
    );
  });

  it('migrates the v0 fixture to the current version', async () => {
    const v0 = fixture('v0-example');
    const r = restoreSession(v0);
    if (!r.ok) throw new Error(r.error);
    expect(r.migratedFrom).toBe(0);
    const s = r.session;
    expect(s.format).toBe('meta-learning-playground/session');
    expect(s.version).toBe(2);
    expect(s.id).toBe(v0.id);
    expect(s.createdAt).toBe('2024-06-01T12:00:00.000Z');
    expect(s.updatedAt).toBe(s.createdAt);
    expect(s.config).toEqual({
      ...v0.config,
      patience: 0,
      metaOptimizer: 'adam',
      weightDecay: 0,
      cosineSchedule: false,
      dropout: 0,
    });
    expect(s.seed).toBe(v0.config.seed);
    expect(s.backend).toBe('unknown');
    expect(s.history.train).toEqual(
      v0.history.trainLoss.map((trainLoss: number, i: number) => ({ step: i + 1, trainLoss })),
    );
    expect(s.history.stepsDone).toBe(5);
    expect(s.history.bestStep).toBe(5);
    expect(s.evaluation).toBeNull();
    expect(s.checkpoint).toBeNull();
    // v0's plain numbers become the same float32 values, bit for bit.
    const arrays = decodeWeights(s.weights!);
    expect(arrays.map((a) => a.length)).toEqual([4, 4, 4, 1]);
    const flat = arrays.flatMap((a) => Array.from(a));
    expect(flat).toEqual(Array.from(Float32Array.from(v0.weights.values)));
    // The v0 builtin hash is the same canonical hash the app computes today.
    expect(s.dataset.sha256).toBe(await builtinDatasetSha256('sinusoid', {}));
  });

  it('migrates a v0 normalization to per-column encodings', () => {
    const v0 = fixture('v0-example');
    v0.dataset = {
      source: 'csv',
      name: 'old.csv',
      sha256: 'a'.repeat(64),
      schema: { taskColumn: 't', target: 'y', features: ['a', 'b'], kind: 'regression' },
      normalization: { featureMean: [1, 2], featureStd: [0.5, 1], targetMean: 3, targetStd: 2 },
    };
    v0.weights.shapes[0] = [2, 4];
    v0.weights.values.push(0.5, 0.25, 0.125, 1);
    const r = restoreSession(v0);
    if (!r.ok) throw new Error(r.error);
    expect(r.session.dataset.normalization).toEqual({
      features: [
        { column: 'a', type: 'numeric', mean: 1, std: 0.5 },
        { column: 'b', type: 'numeric', mean: 2, std: 1 },
      ],
      target: { column: 'y', mean: 3, std: 2 },
      inputDim: 2,
    });
    v0.dataset.normalization.featureStd = [0.5];
    expect(errorOf(v0)).toContain('dataset.normalization: has 2 means and 1 standard deviations');
  });

  it('reports a broken v0 document as an upgrade failure with a path', () => {
    const v0 = fixture('v0-example');
    v0.weights.values.pop();
    expect(errorOf(v0)).toBe(
      'This session uses the older format version 0 and could not be upgraded: weights.values: holds 12 numbers but the shapes need 13',
    );
    const v0b = fixture('v0-example');
    v0b.savedAt = 'last week';
    expect(errorOf(v0b)).toContain('savedAt: expected a number (got "last week")');
  });

  it('refuses a newer version with a clear message', () => {
    const doc = fixture('v2-example');
    doc.version = 3;
    expect(errorOf(doc)).toBe(
      'This session was saved by a newer version of the app (format version 3); this app reads up to version 2. Update the app to open it.',
    );
  });

  it('refuses another format', () => {
    const doc = fixture('v2-example');
    doc.format = 'excalidraw';
    expect(errorOf(doc)).toBe(
      'This is not a Meta-Learning Playground session (its format is "excalidraw").',
    );
  });

  it('refuses documents that are not sessions at all', () => {
    expect(errorOf(null)).toContain('expected a JSON object');
    expect(errorOf([1, 2])).toContain('expected a JSON object');
    expect(errorOf('session')).toContain('expected a JSON object');
    expect(errorOf({ hello: 'world' })).toContain('no "format" or "version" field');
    const noFormat = fixture('v2-example');
    delete noFormat.format;
    expect(errorOf(noFormat)).toContain('the "format" field is missing');
    const badVersion = fixture('v2-example');
    badVersion.version = '1';
    expect(errorOf(badVersion)).toContain('no valid format version');
  });

  it('prefixes schema problems so people know the file was not opened', () => {
    const doc = fixture('v2-example');
    doc.config.innerLr = -1;
    expect(errorOf(doc)).toBe(
      'This session could not be opened: config.innerLr: expected a positive number (got -1)',
    );
  });

  it('never throws, even on hostile objects', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    expect(() => restoreSession(hostile)).not.toThrow();
    expect(errorOf(hostile)).toContain('could not be read: boom');
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const doc = fixture('v2-example');
    doc.dataset.options = { deep };
    expect(() => restoreSession(doc)).not.toThrow();
    expect(restoreSession(doc).ok).toBe(false);
  });

  it('has a complete chain of migrations up to the current version', () => {
    expect(MIGRATIONS).toHaveLength(SESSION_VERSION);
    MIGRATIONS.forEach((m, i) => {
      expect(m.from).toBe(i);
      expect(m.to).toBe(i + 1);
    });
  });
});
