// The session schema on the v1 fixture and tampered copies of it: what it
// accepts, what it refuses, and that every refusal names the field.
import { describe, expect, it } from 'vitest';
import { ALGORITHMS, defaultConfig } from '../../../src/core/spec/config';
import { configSchema, sessionSchema, validateSession } from '../../../src/sessions';
import { fixture } from './fixtures';

function errorOf(doc: unknown): string {
  const r = validateSession(doc);
  if (r.ok) throw new Error('expected the document to be refused');
  return r.error;
}

describe('session schema', () => {
  it('accepts the v1 fixture as it is', () => {
    const doc = fixture('v2-example');
    const r = validateSession(doc);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.session).toEqual(doc);
  });

  it.each(ALGORITHMS)('accepts the default config of %s', (algorithm) => {
    expect(configSchema.safeParse(defaultConfig(algorithm)).success).toBe(true);
  });

  it('refuses a negative innerLr with its path', () => {
    const doc = fixture('v2-example');
    doc.config.innerLr = -0.01;
    expect(errorOf(doc)).toContain('config.innerLr: expected a positive number (got -0.01)');
  });

  it('refuses "NaN" written as a string', () => {
    const doc = fixture('v2-example');
    doc.config.metaLr = 'NaN';
    expect(errorOf(doc)).toContain('config.metaLr: expected a positive number (got "NaN")');
  });

  it('refuses a missing field and says it is missing', () => {
    const doc = fixture('v2-example');
    delete doc.config.metaSteps;
    expect(errorOf(doc)).toContain('config.metaSteps: expected a whole number from 1 to');
    expect(errorOf(doc)).toContain('but it is missing');
  });

  it('refuses out-of-range whole numbers', () => {
    const doc = fixture('v2-example');
    doc.config.metaBatch = 1e9;
    expect(errorOf(doc)).toContain(
      'config.metaBatch: expected a whole number from 1 to 10000 (got 1000000000)',
    );
    doc.config.metaBatch = 2.5;
    expect(errorOf(doc)).toContain('config.metaBatch');
  });

  it('refuses huge arrays with their path', () => {
    const doc = fixture('v2-example');
    doc.config.hidden = Array.from({ length: 1000 }, () => 8);
    expect(errorOf(doc)).toContain('config.hidden: expected at most 16 items (got 1000 items)');

    const doc2 = fixture('v2-example');
    doc2.dataset.schema.features = Array.from({ length: 5000 }, (_, i) => `f${i}`);
    expect(errorOf(doc2)).toContain('dataset.schema.features: expected at most 4096 items');

    const doc3 = fixture('v2-example');
    doc3.weights.shapes = [[1 << 20, 1 << 20]];
    expect(errorOf(doc3)).toContain('weights.shapes');
  });

  it('refuses an unknown algorithm and lists the allowed ones', () => {
    const doc = fixture('v2-example');
    doc.config.algorithm = 'sgd';
    expect(errorOf(doc)).toContain('config.algorithm: expected one of "maml", "fomaml"');
  });

  it('refuses too long names', () => {
    const doc = fixture('v2-example');
    doc.name = 'x'.repeat(201);
    expect(errorOf(doc)).toContain('name: expected at most 200 characters (got 201 characters)');
  });

  it('refuses a bad date, id and sha256', () => {
    const doc = fixture('v2-example');
    doc.createdAt = 'yesterday';
    doc.id = '../../etc/passwd';
    doc.dataset.sha256 = 'abc';
    const error = errorOf(doc);
    expect(error).toContain('id: expected an id');
    expect(error).toContain('createdAt: expected a date-time');
    expect(error).toContain('dataset.sha256: expected 64 lowercase hexadecimal digits');
  });

  it('reports at most three problems and counts the rest', () => {
    const doc = fixture('v2-example');
    Object.assign(doc.config, { metaSteps: -1, metaBatch: -1, shots: -1, ways: -1, queries: -1 });
    const error = errorOf(doc);
    expect(error.split('; ')).toHaveLength(4);
    expect(error).toMatch(/and 2 more problems$/);
  });

  it('keeps markup in names verbatim, as text', () => {
    const doc = fixture('v2-example');
    const markup = '<img src=x onerror=alert(1)>';
    doc.name = markup;
    doc.dataset.name = `${markup}.csv`;
    doc.dataset.rows[0].rows[0][0] = '<script>alert(1)</script>';
    const r = validateSession(doc);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.session.name).toBe(markup);
      expect(r.session.dataset.name).toBe(`${markup}.csv`);
      expect(r.session.dataset.rows?.[0]?.rows[0]?.[0]).toBe('<script>alert(1)</script>');
    }
  });

  it('stores non-finite measured values as null', () => {
    const doc = fixture('v2-example');
    doc.history.train[0].trainLoss = NaN;
    doc.evaluation.models.scratch.mean[3] = Infinity;
    const r = validateSession(doc);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.session.history.train[0]?.trainLoss).toBeNull();
      expect(r.session.evaluation?.models.scratch?.mean[3]).toBeNull();
    }
  });

  it('refuses NaN where a value must be finite', () => {
    const doc = fixture('v2-example');
    doc.dataset.normalization.target.std = NaN;
    expect(errorOf(doc)).toContain('dataset.normalization.target.std: expected a positive number');
  });

  it('checks lengths that must agree', () => {
    const doc = fixture('v2-example');
    doc.evaluation.models.maml.mean.pop();
    expect(errorOf(doc)).toContain(
      'evaluation.models.maml.mean: has 3 entries for 4 evaluated steps',
    );

    const doc2 = fixture('v2-example');
    doc2.dataset.normalization.features[2].categories.push('loam');
    expect(errorOf(doc2)).toContain(
      'dataset.normalization.inputDim: is 4 but the feature encodings make 5 inputs',
    );

    const doc3 = fixture('v2-example');
    doc3.history.bestStep = 500;
    expect(errorOf(doc3)).toContain('history.bestStep: bestStep cannot be later than stepsDone');
  });

  it('refuses an unknown feature encoding', () => {
    const doc = fixture('v2-example');
    doc.dataset.normalization.features[0].type = 'log';
    expect(errorOf(doc)).toContain(
      'dataset.normalization.features[0].type: expected a numeric or categorical feature encoding',
    );
  });

  it('requires the column roles of a CSV dataset', () => {
    const doc = fixture('v2-example');
    doc.dataset.schema = {};
    const error = errorOf(doc);
    expect(error).toContain('dataset.schema.target: is required for a CSV dataset');
    expect(error).toContain('dataset.schema.features');
  });

  it('refuses record keys that touch prototypes', () => {
    const text = JSON.stringify(fixture('v2-example'));
    const doc = JSON.parse(text.replace('"pretrain":', '"constructor":'));
    expect(errorOf(doc)).toContain('uses a reserved name as a key');
    // zod itself never copies a "__proto__" key: the entry is dropped, nothing is polluted.
    const r = validateSession(JSON.parse(text.replace('"pretrain":', '"__proto__":')));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Object.keys(r.session.evaluation?.models ?? {})).toEqual(['maml', 'scratch']);
      expect(Object.getPrototypeOf(r.session.evaluation?.models)).toBe(Object.prototype);
    }
  });

  it('refuses weights whose data does not match the shapes', () => {
    const doc = fixture('v2-example');
    doc.weights.shapes[0] = [4, 9];
    expect(errorOf(doc)).toContain(
      'weights.base64: the data holds 196 bytes but the shapes need 212 (53 float32 values)',
    );
    const doc2 = fixture('v2-example');
    doc2.checkpoint.optimizer.base64 = `!${doc2.checkpoint.optimizer.base64.slice(1)}`;
    expect(errorOf(doc2)).toContain('checkpoint.optimizer.base64: the data is not valid base64');
  });

  it('drops unknown fields instead of keeping them', () => {
    const doc = fixture('v2-example');
    doc.extra = { surprise: true };
    const r = sessionSchema.safeParse(doc);
    expect(r.success && 'extra' in r.data).toBe(false);
  });
});
