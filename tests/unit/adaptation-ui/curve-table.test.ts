/**
 * The evaluation table as the page renders it (issue 12): the distinct
 * tasks / classes the episodes came from, the warning below 30 of them,
 * "no interval" from a single one, and the references next to the
 * meta-learned model with the best one marked — here raw-feature prototypes
 * beating the ProtoNet, as on digits-like data.
 */
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { CurveTable } from '../../../src/ui/adaptation/CurveTable';
import type { EvaluationCurve } from '../../../src/worker/adapt-types';

const row = (mean: number, ci: number | null) => ({
  mean: [mean],
  ci95: [ci],
  median: [mean],
  diverged: [0],
});

const curve = (distinct: number, ci: number | null = 0.05): EvaluationCurve => ({
  algorithm: 'protonet',
  metric: 'accuracy',
  steps: [0],
  order: ['protonet', 'pretrain', 'scratch', 'untrained', 'prototypes'],
  models: {
    protonet: row(0.86, ci),
    pretrain: row(0.46, ci),
    scratch: row(1 / 3, ci),
    untrained: row(0.82, ci),
    prototypes: row(1, ci),
  },
  protocol: {
    episodes: 600,
    shots: 1,
    ways: 3,
    queries: 5,
    innerLr: 0.01,
    seed: 4,
    maxSteps: 0,
    backend: 'cpu',
    unitKind: 'classes',
    distinctUnits: distinct,
    ciMethod: 'cluster-robust standard error',
  },
  durationMs: 10,
});

const render = (c: EvaluationCurve) =>
  renderToStaticMarkup(createElement(CurveTable, { curve: c }));
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('evaluation table', () => {
  it('names the references and marks raw-feature prototypes as best when they win', () => {
    const html = render(curve(3));
    const t = text(html);
    expect(t).toContain('Nearest prototype (raw features) 100%');
    expect(t).toContain('Untrained network 82%');
    const bestRow = html.match(/<tr data-model="([a-z]+)">(?:(?!<\/tr>).)*adaptation-best/);
    expect(bestRow?.[1]).toBe('prototypes');
  });

  it('says how many distinct classes the 600 episodes come from and warns below 30', () => {
    const few = text(render(curve(3)));
    expect(few).toContain('600 episodes drawn from 3 distinct classes');
    expect(few).toContain('Only 3 distinct meta-test classes');
    const many = text(render(curve(40)));
    expect(many).toContain('drawn from 40 distinct classes');
    expect(many).not.toContain('Only 40');
  });

  it('reports a non-finite mean in words, never NaN', () => {
    const c = curve(40);
    c.models.pretrain = { mean: [null], ci95: [null], median: [null], diverged: [600] };
    const t = text(render(c));
    expect(t).toContain('Pre-trained + fine-tuning diverged (not a finite number)');
    expect(t).not.toMatch(/NaN|Infinity/);
  });

  it('writes "no interval" instead of a number when there is one unit', () => {
    const t = text(render(curve(1, null)));
    expect(t).toContain('86% (no interval)');
    expect(t).toContain('drawn from 1 distinct class;');
  });
});
