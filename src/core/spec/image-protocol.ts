/**
 * The few-shot image papers' evaluation protocol as plain data the page may
 * import: the three settings, the published Omniglot figures, the episode
 * count and query images per class, and the shape of its result (what the
 * CLI's `evaluate --json` prints for an image session and the app's
 * protocol table shows). The computation is core/train/image-protocol.ts.
 */
import type { AlgorithmName } from './config';

export interface ImageSetting {
  ways: number;
  shots: number;
}

export const PAPER_SETTINGS: readonly ImageSetting[] = [
  { ways: 5, shots: 1 },
  { ways: 5, shots: 5 },
  { ways: 20, shots: 1 },
];

/**
 * Published Omniglot test accuracy (%) in PAPER_SETTINGS order: Snell et
 * al. 2017 (Prototypical Networks), Finn et al. 2017 (MAML and its
 * first-order approximation).
 */
export const PAPER_OMNIGLOT: Partial<Record<AlgorithmName, readonly number[]>> = {
  protonet: [98.8, 99.7, 96.0],
  maml: [98.7, 99.9, 95.8],
  fomaml: [98.3, 99.2, 89.4],
};

/** Test episodes per setting in the papers. */
export const PAPER_EPISODES = 600;

/** Query images per class when evaluating image sessions (papers use 1–15; 5 keeps 20-way affordable). */
export const IMAGE_EVAL_QUERIES = 5;

export const settingLabel = (s: ImageSetting) => `${s.ways}-way ${s.shots}-shot`;

/** One model's accuracy at each reported step (null: not finite). */
export interface ProtocolRow {
  mean: (number | null)[];
  ci95: (number | null)[];
}

/** The result of the protocol: the CLI's `evaluate --json` object for an image session. */
export interface ImageProtocolJson {
  algorithm: AlgorithmName;
  metric: 'accuracy';
  /** the adaptation steps reported, in the order of every row's values */
  steps: number[];
  protocol: {
    episodes: number;
    queries: number;
    innerLr: number;
    seed: number;
    backend: string;
    seconds: number;
  };
  settings: {
    ways: number;
    shots: number;
    models: Record<string, ProtocolRow>;
    /** models left out of this setting, with the reason */
    skipped: Record<string, string>;
    /** the published figure of this algorithm in this setting, when there is one */
    paperPercent: number | null;
  }[];
}
