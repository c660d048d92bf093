/**
 * The settings in the address (src/store/url): every setting survives a
 * round trip through the fragment; bad values, unknown keys, bad encoding and
 * newer versions become messages and defaults, never exceptions; share links
 * and views are not settings; and the table accepts and refuses the same edge
 * values as the session schema's configSchema, so the two cannot drift.
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_FAMILIES } from '../../../src/core/spec/builtin';
import { defaultConfig, imageDefaultConfig, type TrainConfig } from '../../../src/core/spec/config';
import { CONFIG_LIMITS as L } from '../../../src/sessions/limits';
import { configSchema } from '../../../src/sessions/schema';
import {
  fragmentKind,
  readUrl,
  settingsHash,
  URL_VERSION,
  type UrlMigration,
} from '../../../src/store/url/codec';
import {
  BACKEND_PICKS,
  defaultSettings,
  URL_ALGORITHMS,
  URL_SETTINGS,
  type UrlSettings,
} from '../../../src/store/url/settings';

/** Values each shareable setting must carry unchanged, edges included. */
const SAMPLES: Record<string, unknown[]> = {
  data: [...BUILTIN_FAMILIES],
  algorithm: [...URL_ALGORITHMS],
  shots: [1, 5, L.shots],
  ways: [1, 20, L.ways],
  queries: [1, 15, L.queries],
  innerLr: [1e-7, 0.4, 0.1 + 0.2, 3],
  innerSteps: [0, 5, L.innerSteps],
  metaLr: [1e-12, 0.001, 1 / 3],
  metaBatch: [1, 4, L.metaBatch],
  metaSteps: [1, 300, L.metaSteps],
  hidden: [[1], [40, 40], Array.from({ length: L.hiddenLayers }, () => L.hiddenUnits)],
  seed: [0, 3, -17, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER],
  evalInnerSteps: [0, 10, L.evalInnerSteps],
  valEvery: [1, 50, L.valEvery],
  valTasks: [1, 600, L.valTasks],
  patience: [0, 3, L.patience],
  backend: [...BACKEND_PICKS],
  backbone: ['mlp', 'conv4'],
  filters: [32, 64],
  metaOptimizer: ['adam', 'adagrad', 'sgd-momentum'],
  weightDecay: [0, 1e-4, L.weightDecay],
  cosineSchedule: [true, false],
  dropout: [0, 0.5, 0.9],
  multiStepLoss: [true, false],
  perStepRates: [true, false],
};

/** Text each config setting must refuse, as configSchema refuses the value. */
const REFUSED: Partial<Record<keyof TrainConfig, string[]>> = {
  shots: ['0', String(L.shots + 1), '2.5', '-1'],
  ways: ['0', String(L.ways + 1)],
  queries: ['0', String(L.queries + 1)],
  innerLr: ['0', '-0.1'],
  innerSteps: ['-1', String(L.innerSteps + 1), '1.5'],
  metaLr: ['0', '-1'],
  metaBatch: ['0', String(L.metaBatch + 1)],
  metaSteps: ['0', String(L.metaSteps + 1)],
  seed: ['1.5'],
  evalInnerSteps: ['-1', String(L.evalInnerSteps + 1)],
  valEvery: ['0', String(L.valEvery + 1)],
  valTasks: ['0', String(L.valTasks + 1)],
  patience: ['-1', String(L.patience + 1)],
  weightDecay: ['-0.1', String(L.weightDecay + 1)],
  dropout: ['-0.1', '0.95', '1'],
};

const withValue = (key: string, value: unknown): UrlSettings => {
  const setting = URL_SETTINGS.find((s) => s.key === key);
  if (!setting) throw new Error(key);
  return setting.set(defaultSettings(), value);
};

describe('the settings table', () => {
  it('has a sample for every shareable setting, and covers every TrainConfig field', () => {
    const shareable = URL_SETTINGS.filter((s) => s.home === 'hash').map((s) => s.key);
    expect(shareable.sort()).toEqual(Object.keys(SAMPLES).sort());
    for (const key of Object.keys(defaultConfig())) expect(shareable).toContain(key);
  });

  it('accepts what configSchema accepts at the edges, and refuses what it refuses', () => {
    for (const s of URL_SETTINGS) {
      if (!(s.key in defaultConfig())) continue;
      for (const v of SAMPLES[s.key] ?? []) {
        const config = { ...defaultConfig(), [s.key]: v };
        expect(configSchema.safeParse(config).success, `${s.key}=${String(v)}`).toBe(true);
        expect(s.type.parse(s.type.format(v)), `${s.key}=${String(v)}`).toEqual(v);
      }
      for (const text of REFUSED[s.key as keyof TrainConfig] ?? []) {
        expect(s.type.parse(text), `${s.key}=${text}`).toBeUndefined();
        const config = { ...defaultConfig(), [s.key]: Number(text) };
        expect(configSchema.safeParse(config).success, `schema ${s.key}=${text}`).toBe(false);
      }
    }
    const hidden = URL_SETTINGS.find((s) => s.key === 'hidden')!;
    for (const text of ['', '40,0', `40,${L.hiddenUnits + 1}`, Array(L.hiddenLayers + 1).fill(8)])
      expect(hidden.type.parse(String(text)), `hidden=${String(text)}`).toBeUndefined();
  });
});

describe('settingsHash and readUrl', () => {
  it('round-trips every value of every shareable setting through the fragment', () => {
    for (const [key, values] of Object.entries(SAMPLES)) {
      for (const v of values) {
        const settings = withValue(key, v);
        const hash = settingsHash(settings);
        const read = readUrl('', hash);
        expect(read.problems, `${key}=${String(v)}: ${hash}`).toEqual([]);
        // On an image family an MLP is written out (backbone=mlp), so it reads back named.
        const expected =
          key === 'data' && v === 'omniglot'
            ? { ...settings, config: { ...settings.config, backbone: 'mlp' } }
            : settings;
        expect(read.settings, `${key}=${String(v)}`).toEqual(expected);
      }
    }
  });

  it('opens an image family with the image defaults unless the address names the network', () => {
    const images = readUrl('', '#data=omniglot&shots=5');
    expect(images.problems).toEqual([]);
    expect(images.settings.config).toEqual({ ...imageDefaultConfig('protonet'), shots: 5 });
    const anil = readUrl('', '#data=omniglot&algorithm=anil');
    expect(anil.settings.config).toEqual(imageDefaultConfig('anil'));
    const mlp = readUrl('', '#data=omniglot&backbone=mlp');
    expect(mlp.settings.config).toEqual({ ...defaultConfig('maml'), backbone: 'mlp' });
  });

  it('round-trips a setup with every field changed at once', () => {
    const settings: UrlSettings = {
      ...defaultSettings(),
      config: {
        algorithm: 'reptile',
        metaSteps: 321,
        metaBatch: 7,
        shots: 3,
        ways: 4,
        queries: 9,
        innerLr: 0.025,
        innerSteps: 6,
        evalInnerSteps: 12,
        metaLr: 0.15,
        hidden: [64, 32, 16],
        seed: 42,
        valEvery: 25,
        valTasks: 80,
        patience: 0,
        metaOptimizer: 'sgd-momentum',
        weightDecay: 0.001,
        cosineSchedule: true,
        dropout: 0.25,
      },
      family: 'blobs',
      backend: 'wasm',
    };
    const hash = settingsHash(settings);
    expect(hash).toBe(
      '#v=1&data=blobs&algorithm=reptile&shots=3&ways=4&queries=9&innerLr=0.025&innerSteps=6' +
        '&metaLr=0.15&metaBatch=7&metaSteps=321&hidden=64,32,16&seed=42&evalInnerSteps=12' +
        '&valEvery=25&valTasks=80&patience=0&metaOptimizer=sgd-momentum&weightDecay=0.001' +
        '&cosineSchedule=1&dropout=0.25&backend=wasm',
    );
    expect(readUrl('', hash)).toEqual({ settings, problems: [] });
  });

  it('writes the version first and leaves out the visit switches and a CSV family', () => {
    const hash = settingsHash({
      ...defaultSettings(),
      family: null,
      hideWebgpu: true,
      debug: true,
    });
    expect(hash.startsWith(`#v=${URL_VERSION}&algorithm=maml&`)).toBe(true);
    expect(hash).not.toMatch(/data=|nowebgpu|debug/);
  });

  it('reads the short form, filling the rest with the defaults of the algorithm named', () => {
    const read = readUrl('', '#algorithm=fomaml&shots=5&seed=3');
    expect(read.problems).toEqual([]);
    expect(read.settings.config).toEqual({ ...defaultConfig('fomaml'), shots: 5, seed: 3 });
    const reptile = readUrl('', '#algorithm=reptile').settings.config;
    expect(reptile).toEqual(defaultConfig('reptile'));
  });

  it('reads the query-string switches, the fragment winning over the query', () => {
    const read = readUrl('?backend=wasm&nowebgpu=1&debug=1&utm_source=mail', '');
    expect(read.problems).toEqual([]);
    expect(read.settings).toMatchObject({ backend: 'wasm', hideWebgpu: true, debug: true });
    expect(readUrl('?backend=wasm&shots=4', '#backend=cpu').settings).toMatchObject({
      backend: 'cpu',
      config: { shots: 4 },
    });
    expect(readUrl('?nowebgpu=0', '').settings.hideWebgpu).toBe(false);
  });
});

describe('bad addresses', () => {
  it('replaces bad values by the defaults, naming the parameter, the value and the default', () => {
    const read = readUrl(
      '?backend=quantum',
      '#algorithm=reptile&shots=abc&innerSteps=-2&innerLr=0&hidden=40,x&data=mnist&seed=&metaSteps=0x10',
    );
    expect(read.settings).toEqual(defaultSettings('reptile'));
    const byKey = Object.fromEntries(read.problems.map((p) => [p.key, p]));
    expect(Object.keys(byKey).sort()).toEqual(
      ['backend', 'data', 'hidden', 'innerLr', 'innerSteps', 'metaSteps', 'seed', 'shots'].sort(),
    );
    expect(byKey.shots?.message).toBe(
      'shots=abc: expected a whole number from 1 to 10,000; the default 10 is used.',
    );
    // The algorithm's own default: Reptile takes 5 inner steps.
    expect(byKey.innerSteps?.message).toMatch(/^innerSteps=-2: .*the default 5 is used\.$/);
    expect(byKey.innerLr?.message).toMatch(
      /^innerLr=0: expected a positive number; the default 0.02/,
    );
    expect(byKey.hidden?.message).toMatch(/^hidden=40,x: .*the default 40,40 is used/);
    expect(byKey.data?.message).toMatch(
      /^data=mnist: expected one of sinusoid, linear, blobs\b.*; the default sinusoid/,
    );
    expect(byKey.backend?.message).toMatch(
      /^backend=quantum: expected one of auto, fastest, webgpu/,
    );
    expect(byKey.seed?.message).toBe(
      'seed has no value (expected a whole number); the default 1 is used.',
    );
    expect(byKey.metaSteps?.value).toBe('0x10');
  });

  it('falls back to MAML when the algorithm is unknown or not offered', () => {
    for (const bad of ['scratch', 'MAML2']) {
      const read = readUrl('', `#algorithm=${bad}&shots=5`);
      expect(read.settings.config).toEqual({ ...defaultConfig('maml'), shots: 5 });
      expect(read.problems.map((p) => p.message)).toEqual([
        `algorithm=${bad}: expected one of ${URL_ALGORITHMS.join(', ')}; the default maml is used.`,
      ]);
    }
  });

  it('reports unknown keys in the fragment (with a hint) and ignores unknown query parameters', () => {
    const read = readUrl('?ref=news', '#Shots=5&inner_lr=0.1&colour=red');
    expect(read.settings).toEqual(defaultSettings());
    expect(read.problems.map((p) => p.message)).toEqual([
      'Shots=5: not a setting of this app (did you mean shots?); it was ignored.',
      'inner_lr=0.1: not a setting of this app (did you mean innerLr?); it was ignored.',
      'colour=red: not a setting of this app; it was ignored.',
    ]);
  });

  it('reports bad encoding, repeated keys and cuts long values short', () => {
    const long = 'x'.repeat(5000);
    const read = readUrl('', `#shots=%E0%A4%A&seed=2&seed=4&ways=${long}`);
    expect(read.settings.config.seed).toBe(4);
    expect(read.settings.config.shots).toBe(10);
    const messages = read.problems.map((p) => p.message);
    expect(messages[0]).toBe(
      '"shots=%E0%A4%A" in the address is not valid URL encoding; it was ignored.',
    );
    expect(messages[1]).toBe('seed is given twice (2, 4); the last one is used.');
    expect(messages[2]).toMatch(/^ways=x{40}…: expected/);
    expect(messages[2]!.length).toBeLessThan(200);
  });

  it('never throws, whatever the address', () => {
    for (const hash of ['#=', '#&&&', '#=5', '#%', '#a=b=c', '#v', '#shots', '#hidden=,,,']) {
      const read = readUrl('?%', hash);
      expect(read.settings.config).toEqual(defaultConfig());
    }
  });
});

describe('versions and other fragments', () => {
  it('reads a newer version as far as it can, and says so', () => {
    const read = readUrl('', '#v=2&shots=5&future=1');
    expect(read.settings.config.shots).toBe(5);
    expect(read.problems.map((p) => p.key)).toEqual(['v', 'future']);
    expect(read.problems[0]?.message).toMatch(/newer version of the app/);
    expect(readUrl('', '#v=one&shots=5').problems[0]?.message).toMatch(/^v=one: not a version/);
  });

  it('migrates an older version through the migrations, in order', () => {
    // A pretend version 3, where v1's "k" became v2's "kshots" and then "shots".
    const migrations: UrlMigration[] = [
      (p) => new Map([...p].map(([k, v]) => [k === 'k' ? 'kshots' : k, v])),
      (p) => new Map([...p].map(([k, v]) => [k === 'kshots' ? 'shots' : k, v])),
    ];
    const opts = { version: 3, migrations };
    expect(readUrl('', '#v=1&k=4', opts)).toEqual({
      settings: { ...defaultSettings(), config: { ...defaultConfig(), shots: 4 } },
      problems: [],
    });
    expect(readUrl('', '#v=2&kshots=6', opts).settings.config.shots).toBe(6);
    expect(readUrl('', '#v=3&shots=7', opts).settings.config.shots).toBe(7);
  });

  it('leaves share links and views alone: they are not settings', () => {
    expect(fragmentKind('')).toBe('none');
    expect(fragmentKind('#')).toBe('none');
    expect(fragmentKind('#benchmark')).toBe('other');
    expect(fragmentKind('#s1.H4sIAAAAAAAAA-shots=5')).toBe('share');
    expect(fragmentKind('#s2.abc=')).toBe('share');
    expect(fragmentKind('#shots=5')).toBe('settings');
    for (const hash of ['#s1.H4sI=shots=5', '#benchmark']) {
      expect(readUrl('?backend=cpu', hash)).toEqual({
        settings: { ...defaultSettings(), backend: 'cpu' },
        problems: [],
      });
    }
  });
});
