/**
 * Does the configuration fit the data in use? The reasons Train is disabled,
 * each quoting the value in the form now (never a value of an earlier run),
 * saying why the data limits it and how to get more: "10 classes split 6/2/2;
 * meta-test has 2 classes". Pure functions of the configuration and the
 * data summary, so the Train button, the form and the tests agree.
 *
 * The limits are those of every non-empty meta-split (the trainer samples
 * all three), as the worker reports them in DataSummary.limits; a built-in
 * family has none.
 */
import { backboneOf, CONV_MAML_MESSAGE, type TrainConfig } from '../../core/spec/config';
import type { DataSummary } from '../../worker/protocol';
import { capFor, type CappedKey } from '../../store/data-slice';

const LABELS: Record<CappedKey, string> = {
  shots: 'Shots (K)',
  ways: 'Ways (N)',
  queries: 'Queries',
};

/** A summary carries limits only when it is an uploaded CSV (see reduce.ts). */
export function isCsvData(data: DataSummary | null | undefined): boolean {
  return data?.limits !== undefined && data.upload !== 'images';
}

/** The data trained on is an uploaded image set. */
export function isImageUpload(data: DataSummary | null | undefined): boolean {
  return data?.upload === 'images';
}

/** "10 classes split 6/2/2; meta-test has 2 classes" — null without finite split sizes. */
export function splitWords(data: DataSummary): string | null {
  const { train, val, test } = data.splitSizes;
  if (train === null || val === null || test === null) return null;
  const unit = data.kind === 'classification' ? 'classes' : 'tasks';
  const total = train + val + test;
  const sizes = [
    ['meta-train', train],
    ['meta-val', val],
    ['meta-test', test],
  ] as const;
  const smallest = sizes.filter(([, n]) => n > 0).sort((a, b) => a[1] - b[1])[0];
  const tail = smallest ? `; ${smallest[0]} has ${smallest[1]} ${unit}` : '';
  return `${total} ${unit} split ${train}/${val}/${test}${tail}`;
}

/** Why N cannot be larger, and how to get more. */
function waysWhy(data: DataSummary): string {
  const split = splitWords(data);
  // In the episodic mode classes are split across meta-train/val/test, so the smallest split caps N.
  return split
    ? `every episode draws N classes from one meta-split, and ${split}. Lower N, or give meta-val and meta-test more classes (set the split below)`
    : 'every episode must find N classes in each task. Lower N';
}

/**
 * The problems that keep Train disabled, in the order a person would fix
 * them (K, then queries with that K, then N). Empty when the configuration fits.
 */
export function fitProblems(config: TrainConfig, data: DataSummary | null | undefined): string[] {
  return [...networkProblems(config, data), ...fitProblemsByKey(config, data).map((p) => p.text)];
}

/** Why the network cannot train on this data: second-order MAML through convolutions, Conv-4 without images. */
export function networkProblems(
  config: TrainConfig,
  data: DataSummary | null | undefined,
): string[] {
  if (backboneOf(config) !== 'conv4') return [];
  const out: string[] = [];
  if (config.algorithm === 'maml') out.push(CONV_MAML_MESSAGE);
  if (data && !data.imageShape)
    out.push('Conv-4 needs image data: pick the MLP network, or an image family (Omniglot).');
  return out;
}

/** The same problems, each with the field it is about (the form marks that field). */
export function fitProblemsByKey(
  config: TrainConfig,
  data: DataSummary | null | undefined,
): { key: CappedKey; text: string }[] {
  if (!data) return [];
  const out: { key: CappedKey; text: string }[] = [];
  const limits = data.limits;
  const shotsCap = capFor('shots', limits, config);
  if (shotsCap !== null && config.shots > shotsCap)
    out.push({
      key: 'shots',
      text: `${LABELS.shots} is ${config.shots}, but this data allows at most ${shotsCap} (the smallest task or class must keep one example to test on): set K to ${shotsCap} or less.`,
    });
  const queriesCap = capFor('queries', limits, config);
  if (
    queriesCap !== null &&
    config.queries > queriesCap &&
    config.shots <= (shotsCap ?? Infinity)
  ) {
    const k = smallerK(config, data);
    out.push({
      key: 'queries',
      text: `${LABELS.queries} is ${config.queries}, but with K = ${config.shots} the smallest task (or class) has only ${queriesCap} example${queriesCap === 1 ? '' : 's'} left for the query: set Queries to ${queriesCap}${k !== null ? `, or lower K to ${k} to keep ${queriesFor(k, data)} for the query` : ''}.`,
    });
  }
  if (data.kind === 'classification') {
    const waysCap = capFor('ways', limits, config);
    if (waysCap !== null && config.ways > waysCap)
      out.push({
        key: 'ways',
        text: `${LABELS.ways} is ${config.ways}, but this data allows at most ${waysCap}: ${waysWhy(data)}.`,
      });
    else if (config.ways < 2)
      out.push({
        key: 'ways',
        text: `${LABELS.ways} is ${config.ways}: an episode needs at least 2 classes to tell apart.`,
      });
  }
  return out;
}

function queriesFor(k: number, data: DataSummary): number {
  const q = data.limits?.queries;
  return q === null || q === undefined ? Infinity : q + 1 - k;
}

/**
 * A K that leaves as many examples for the query as for the support (half of
 * the smallest task), when the current K leaves one query or fewer; null when
 * no smaller K helps.
 */
export function smallerK(config: TrainConfig, data: DataSummary): number | null {
  const q = data.limits?.queries;
  if (q === null || q === undefined) return null;
  const left = q + 1 - config.shots;
  if (left > 1) return null;
  const k = Math.max(1, Math.floor((q + 1) / 2));
  return k < config.shots ? k : null;
}

/** A note for the help line of K, N or queries: why the data limits it (empty when it does not). */
export function limitNote(
  key: CappedKey,
  config: TrainConfig,
  data: DataSummary | null | undefined,
): string {
  if (!data?.limits) return '';
  const cap = capFor(key, data.limits, config);
  if (cap === null) return '';
  if (key === 'ways' && data.kind === 'classification') {
    const split = splitWords(data);
    return ` At most ${cap} for this data${split ? ` (${split})` : ''}.`;
  }
  if (key === 'shots') {
    const k = smallerK(config, data);
    return k !== null
      ? ` At most ${cap} for this data. K = ${config.shots} leaves one example per task for the query; K = ${k} leaves ${queriesFor(k, data)}.`
      : ` At most ${cap} for this data.`;
  }
  return ` At most ${cap} for this data.`;
}
