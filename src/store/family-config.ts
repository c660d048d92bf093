/**
 * The configuration that goes with a built-in family: image families train
 * Conv-4 (core/spec imageDefaultConfig), the others an MLP. Picking a family
 * of the other kind switches to that kind's defaults, keeping the seed, and
 * returns a sentence saying so; a configuration that already fits is kept
 * as it is (the person's edits survive switching between two image or two
 * feature families). Pure, so the store and its tests share it.
 */
import { builtinHasImages, type BuiltinName } from '../core/spec/builtin';
import {
  ALGORITHM_LABELS,
  backboneOf,
  defaultConfig,
  filtersOf,
  imageDefaultConfig,
  type TrainConfig,
} from '../core/spec/config';

export function configForFamily(
  config: TrainConfig,
  family: BuiltinName,
): { config: TrainConfig; note: string | null } {
  return configForData(config, builtinHasImages(family));
}

/** The same for any data: images (a built-in family or an uploaded image set) or feature rows. */
export function configForData(
  config: TrainConfig,
  images: boolean,
): { config: TrainConfig; note: string | null } {
  const conv = backboneOf(config) === 'conv4';
  if (images && !conv) {
    const next = { ...imageDefaultConfig('protonet'), seed: config.seed };
    return {
      config: next,
      note:
        `Image data: the configuration switched to the image defaults — ${ALGORITHM_LABELS[next.algorithm]} ` +
        `on Conv-4 with ${filtersOf(next)} filters, ${next.ways}-way ${next.shots}-shot, ` +
        `${next.queries} queries per class, ${next.metaSteps} meta-steps. Change any of them below.`,
    };
  }
  if (!images && conv) {
    const next = { ...defaultConfig('maml'), seed: config.seed };
    return {
      config: next,
      note: 'Not image data: the configuration switched back to the defaults of MAML on an MLP (Conv-4 needs images).',
    };
  }
  return { config, note: null };
}
