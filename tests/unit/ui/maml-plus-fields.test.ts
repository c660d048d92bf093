/**
 * The MAML++ checkboxes as the page renders them: enabled for MAML on the
 * MLP; disabled with the reason for another method and for the conv net; a
 * box left on where it cannot be stays enabled (to switch it off) and the
 * validation message shows.
 */
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import {
  MAMLPP_ALGORITHM_MESSAGE,
  MAMLPP_CONV_MESSAGE,
  defaultConfig,
  type TrainConfig,
} from '../../../src/core/spec/config';
import { MamlPlusFields } from '../../../src/ui/config/MamlPlusFields';

const render = (config: TrainConfig) =>
  renderToStaticMarkup(createElement(MamlPlusFields, { config }));
const boxes = (html: string) => html.match(/<input[^>]*>/g) ?? [];

describe('MAML++ fields', () => {
  it('are two named checkboxes, enabled for MAML on the MLP', () => {
    const html = render(defaultConfig('maml'));
    expect(html).toContain('Multi-step loss (MAML++)');
    expect(html).toContain('Learned per-layer, per-step inner rates (MAML++)');
    expect(boxes(html)).toHaveLength(2);
    expect(boxes(html).some((b) => b.includes('disabled'))).toBe(false);
    expect(html).not.toContain('Off here');
  });

  it('are disabled with the reason for another method and for the conv net', () => {
    const reptile = render(defaultConfig('reptile'));
    expect(boxes(reptile).every((b) => b.includes('disabled'))).toBe(true);
    expect(reptile).toContain(`Off here: ${MAMLPP_ALGORITHM_MESSAGE}`);
    const conv = render({ ...defaultConfig('fomaml'), backbone: 'conv4' });
    expect(conv).toContain(MAMLPP_CONV_MESSAGE.replace(/'/g, '&#x27;'));
  });

  it('leave a box that is on where it cannot be enabled, with the validation message', () => {
    const html = render({ ...defaultConfig('fomaml'), multiStepLoss: true });
    const [msl, lslr] = boxes(html);
    expect(msl).not.toContain('disabled');
    expect(lslr).toContain('disabled');
    expect(html).toContain('field-error');
    expect(html).toContain(MAMLPP_ALGORITHM_MESSAGE);
  });
});
