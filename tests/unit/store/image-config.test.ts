/**
 * Image tasks in the page's store (issue 13): the image defaults, the
 * refusal of second-order MAML on Conv-4 (one message for the form, the
 * Train button and the CLI), and picking Omniglot — the configuration
 * switches and says so, the download's progress is shown, and a failed
 * download puts back the family, data and configuration of before.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  CONV_MAML_MESSAGE,
  defaultConfig,
  imageDefaultConfig,
  validateConfig,
  type AlgorithmName,
} from '../../../src/core/spec/config';
import { createActions, type Actions } from '../../../src/store/actions';
import { configForFamily } from '../../../src/store/family-config';
import { initialState, type AppState } from '../../../src/store/slices';
import { fitProblems } from '../../../src/ui/train/fit';
import type { Command, DataSummary } from '../../../src/worker/protocol';

const sinusoid: DataSummary = {
  name: 'sinusoid',
  kind: 'regression',
  inputDim: 1,
  description: '',
  splitSizes: { train: null, val: null, test: null },
};
const omniglot: DataSummary = {
  name: 'omniglot',
  kind: 'classification',
  inputDim: 784,
  description: '',
  splitSizes: { train: 3472, val: 384, test: 2636 },
  imageShape: { height: 28, width: 28, channels: 1 },
};

describe('image defaults', () => {
  it('are ProtoNet on Conv-4 with 32 filters, 5-way 1-shot, within 20 drawings a class', () => {
    const c = imageDefaultConfig();
    expect(c).toMatchObject({
      algorithm: 'protonet',
      backbone: 'conv4',
      filters: 32,
      ways: 5,
      shots: 1,
    });
    expect(c.shots + c.queries).toBeLessThanOrEqual(20);
    expect(validateConfig(c)).toEqual([]);
  });

  it('are valid for every method that runs on conv nets, and refuse second-order MAML', () => {
    for (const a of ['protonet', 'fomaml', 'anil', 'reptile', 'pretrain'] as AlgorithmName[])
      expect(validateConfig(imageDefaultConfig(a)), a).toEqual([]);
    expect(validateConfig(imageDefaultConfig('maml'))).toEqual([CONV_MAML_MESSAGE]);
    expect(validateConfig({ ...defaultConfig('maml'), backbone: 'mlp' })).toEqual([]);
  });

  it('says why MAML is off in words, and the Train button gives the same reason', () => {
    expect(CONV_MAML_MESSAGE).toMatch(/no second derivative of conv2d/);
    expect(CONV_MAML_MESSAGE).toMatch(/first-order MAML.*ANIL.*Prototypical Networks/);
    expect(fitProblems(imageDefaultConfig('maml'), omniglot)).toEqual([CONV_MAML_MESSAGE]);
    expect(fitProblems(imageDefaultConfig('protonet'), omniglot)).toEqual([]);
    expect(fitProblems(imageDefaultConfig('protonet'), sinusoid)[0]).toMatch(
      /Conv-4 needs image data/,
    );
  });
});

describe('configForFamily', () => {
  it('switches to the image defaults for Omniglot, keeping the seed, and says so', () => {
    const { config, note } = configForFamily({ ...defaultConfig('maml'), seed: 42 }, 'omniglot');
    expect(config).toEqual({ ...imageDefaultConfig('protonet'), seed: 42 });
    expect(note).toMatch(/image defaults — Prototypical Networks on Conv-4 with 32 filters/);
  });

  it('keeps a conv configuration on images and an MLP one on features; switches back otherwise', () => {
    const conv = { ...imageDefaultConfig('anil'), filters: 64 as const };
    expect(configForFamily(conv, 'omniglot')).toEqual({ config: conv, note: null });
    const mlp = { ...defaultConfig('reptile'), seed: 9 };
    expect(configForFamily(mlp, 'blobs')).toEqual({ config: mlp, note: null });
    const back = configForFamily({ ...conv, seed: 9 }, 'sinusoid');
    expect(back.config).toEqual({ ...defaultConfig('maml'), seed: 9 });
    expect(back.note).toMatch(/MAML on an MLP/);
  });
});

describe('picking Omniglot in the store', () => {
  let sent: Command[];
  let store: StoreApi<AppState>;
  let a: Actions;
  const s = () => store.getState();

  beforeEach(() => {
    sent = [];
    store = createStore<AppState>()(() => initialState());
    a = createActions(store, { send: (c) => sent.push(c) }, () => 0);
    a.init({ backend: 'auto', hideWebgpu: false });
    a.receive([{ type: 'data-loaded', summary: sinusoid }]);
  });

  it('switches the configuration, shows the download, and clears it once loaded', () => {
    a.setFamily('omniglot');
    expect(sent.at(-1)).toEqual({ type: 'load-data', data: { kind: 'builtin', name: 'omniglot' } });
    expect(s().setup.config).toMatchObject({ algorithm: 'protonet', backbone: 'conv4' });
    expect(s().setup.configNote).toMatch(/image defaults/);
    expect(s().setup.load).toMatchObject({ family: 'omniglot', loaded: 0, total: null });
    a.receive([{ type: 'data-progress', name: 'omniglot', loaded: 1000, total: 4000 }]);
    expect(s().setup.load).toMatchObject({ loaded: 1000, total: 4000 });
    a.receive([{ type: 'data-loaded', summary: omniglot }]);
    expect(s().setup.load).toBeNull();
    expect(s().setup.data?.imageShape).toEqual({ height: 28, width: 28, channels: 1 });
    // A new algorithm on Conv-4 takes its image defaults and keeps the network.
    a.setConfig('filters', 64);
    a.setAlgorithm('anil');
    expect(s().setup.config).toEqual({
      ...imageDefaultConfig('anil'),
      filters: 64,
      seed: s().setup.config.seed,
      metaSteps: imageDefaultConfig().metaSteps,
    });
  });

  it('puts back the family, data and configuration when the download fails', () => {
    const before = s().setup;
    a.setFamily('omniglot');
    a.receive([{ type: 'data-failed', name: 'omniglot', message: 'HTTP 404.' }]);
    expect(s().setup.family).toBe('sinusoid');
    expect(s().setup.data).toBe(before.data);
    expect(s().setup.config).toEqual(before.config);
    expect(s().setup.load).toBeNull();
    expect(s().setup.configNote).toBeNull();
    expect(s().setup.loadError).toEqual({ name: 'omniglot', message: 'HTTP 404.' });
    // Picking again clears the message while it loads.
    a.setFamily('omniglot');
    expect(s().setup.loadError).toBeNull();
  });
});
