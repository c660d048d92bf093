/**
 * The chart worker's drawings, rendered by recharts in Node exactly as in the
 * worker (linkedom document, no layout): what the page sends is what is
 * drawn, series break where values are missing, and the page's own scale
 * (which maps clicks and hovers) agrees with where recharts put the marks.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRenderer, type Renderer } from '../../../src/ui/charts/offthread/render';
import {
  SAMPLE_ADAPTATION,
  SAMPLE_BARS,
  SAMPLE_CURVE,
  SAMPLE_LINE,
  SAMPLE_PARALLEL,
  SAMPLE_SCATTER,
} from '../../../src/ui/charts/offthread/samples';
import { linearScale } from '../../../src/ui/charts/shape';
import { extent, panelDrawing } from '../../../src/ui/train/preview-extent';

let r: Renderer;
beforeAll(async () => {
  r = await makeRenderer();
});

const M = SAMPLE_LINE.margins;

function attr(markup: string, selector: RegExp): string[] {
  return [...markup.matchAll(selector)].map((m) => m[1] as string);
}

/** The path `d` of each element carrying `data-series` (attribute order varies). */
function seriesPaths(markup: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of markup.matchAll(/<path[^>]*>/g)) {
    const tag = m[0];
    const key = /data-series="([^"]+)"/.exec(tag)?.[1];
    const d = / d="([^"]+)"/.exec(tag)?.[1];
    if (key && d && tag.includes('recharts-line-curve')) out.set(key, d);
  }
  return out;
}

describe('chart worker drawings (recharts in a document without layout)', () => {
  const line = SAMPLE_LINE;

  it('draws a path per series at the page scale, broken where a value is missing', async () => {
    const svg = await r.draw(1, line);
    const paths = seriesPaths(svg);
    expect([...paths.keys()].sort()).toEqual(['a', 'b']);
    // the plot area is the page's: x 62…484, y 8…156 for these margins
    const sx = linearScale(0, 10, M.left, 500 - M.right);
    const sy = linearScale(0, 4, 190 - M.bottom, M.top);
    const first = /^M([\d.]+),([\d.]+)/.exec(paths.get('a') ?? '');
    expect(Number(first?.[1])).toBeCloseTo(sx(0), 1);
    expect(Number(first?.[2])).toBeCloseTo(sy(0), 1);
    // b is missing at step 5: two runs, so two move-to commands
    expect(paths.get('b')?.match(/M/g)?.length).toBe(2);
    // the ticks are the page's values with the page's labels, and the axes are named
    expect(attr(svg, /<text[^>]*>([^<]* u)<\/text>/g)).toEqual(['0 u', '2 u', '4 u']);
    expect(svg).toContain('>meta-step</text>');
    expect(svg).toContain('>MSE</text>');
    // coordinates to a tenth of a pixel (the page parses this markup on its main thread)
    expect(svg).not.toMatch(/ (d|x1|y1|cx)="[^"]*\d\.\d\d/);
    // a picture only: nothing in it takes focus
    expect(svg).not.toMatch(/tabindex|role=/);
  });

  it('writes text as text: a label cannot become markup on the page', async () => {
    const evil = '<img src=x onerror="alert(1)">&"';
    const svg = await r.draw(5, {
      ...line,
      y: { ...line.y, name: evil, labels: line.y.labels.map(() => evil) },
    });
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img src=x onerror=');
    r.drop(5);
  });

  it('redraws in place and forgets a dropped chart', async () => {
    const again = await r.draw(1, { ...line, rows: line.rows.slice(0, 3) });
    expect(seriesPaths(again).get('a')?.match(/L/g)?.length).toBe(2);
    r.drop(1);
    const fresh = await r.draw(1, line);
    expect(seriesPaths(fresh).size).toBe(2);
    r.drop(1);
  });

  it('puts support markers where the page maps clicks', async () => {
    const d = SAMPLE_ADAPTATION;
    const svg = await r.draw(2, d);
    const marker = /<path[^>]*data-testid="adapt-support"[^>]*>/.exec(svg)?.[0] ?? '';
    expect(marker).toContain('data-x="2.5"');
    const sx = linearScale(-5, 5, 44, 400 - 14);
    const sy = linearScale(-2, 2, 300 - 26, 10);
    const at = / d="M([\d.]+),([\d.]+)/.exec(marker);
    expect(Number(at?.[1])).toBeCloseTo(sx(2.5), 0);
    expect(Number(at?.[2]) + 6).toBeCloseTo(sy(1), 0);
    expect(svg.match(/data-model="truth"/g)?.length).toBe(1);
    r.drop(2);
  });

  it('draws a band, a mean line with dots and the diverged marks per model', async () => {
    const d = SAMPLE_CURVE;
    const svg = await r.draw(3, d);
    expect(svg.match(/data-testid="curve-band"/g)?.length).toBe(2);
    expect(svg.match(/data-testid="curve-line"/g)?.length).toBe(2);
    expect(svg.match(/<path[^>]*data-testid="curve-line"/g)?.length).toBe(2);
    expect(svg.match(/<circle[^>]*data-model="maml"/g)?.length).toBe(3);
    expect(svg.match(/data-testid="curve-diverged"/g)?.length).toBe(1);
    expect(svg).toMatch(
      /<path[^>]*(data-testid="curve-overlay"[^>]*data-run="7"|data-run="7"[^>]*data-testid="curve-overlay")/,
    );
    expect(attr(svg, /<text[^>]*>(\d+%)<\/text>/g)).toEqual(['0%', '50%', '100%']);
    r.drop(3);
  });

  it('draws one bar per case, none for a case that did not run', async () => {
    const d = SAMPLE_BARS;
    const svg = await r.draw(4, d);
    const widths = [...svg.matchAll(/<path[^>]*class="recharts-rectangle[^"]*"[^>]*>/g)].map((m) =>
      Number(/ width="([\d.]+)"/.exec(m[0])?.[1] ?? '0'),
    );
    expect(widths.length).toBe(3);
    expect((widths[0] as number) / (widths[1] as number)).toBeCloseTo(4, 1);
    expect(widths[2]).toBeLessThan(0.01);
    for (const t of ['MAML', 'Reptile', 'ProtoNet', '200 steps/s', 'over budget'])
      expect(svg).toContain(`>${t}<`);
    r.drop(4);
  });

  it('draws each point of a preview panel as a circle at the page scale, query points open', async () => {
    const svg = await r.draw(5, SAMPLE_SCATTER);
    const circles = [...svg.matchAll(/<circle[^>]*>/g)].map((m) => m[0]);
    expect(circles.length).toBe(6);
    const open = circles.filter((c) => c.includes('data-support="false"'));
    expect(open.length).toBe(1);
    expect(open[0]).toContain('fill="none"');
    expect(open[0]).toContain('stroke="#D55E00"');
    expect(circles.filter((c) => c.includes('fill="#0072B2"')).length).toBe(5);
    // a panel as the page builds it: one circle per point, where the shared extent puts it
    const panels = [
      {
        title: 'Task 1',
        points: [
          { x: 0, y: 0, c: 0, support: true },
          { x: 3, y: -2, c: 1, support: false },
          { x: 1, y: 4, c: 1, support: true },
        ],
      },
      { title: 'Task 2', points: [{ x: 10, y: 1, c: 0, support: false }] },
    ];
    const box = extent(panels);
    const d = panelDrawing(panels[0] as (typeof panels)[0], box, 120, 70);
    expect(d.sets.length).toBe(3);
    const drawn = await r.draw(5, d);
    const at = [...drawn.matchAll(/<circle[^>]*>/g)].map((m) => ({
      cx: Number(/ cx="([\d.]+)"/.exec(m[0])?.[1]),
      cy: Number(/ cy="([\d.]+)"/.exec(m[0])?.[1]),
    }));
    expect(at.length).toBe(3);
    const sx = linearScale(box.x[0], box.x[1], d.margins.left, 120 - d.margins.right);
    const sy = linearScale(box.y[0], box.y[1], 70 - d.margins.bottom, d.margins.top);
    for (const q of panels[0]?.points ?? [])
      expect(at.some((c) => Math.abs(c.cx - sx(q.x)) < 0.1 && Math.abs(c.cy - sy(q.y)) < 0.1)).toBe(
        true,
      );
    r.drop(5);
  });

  it('draws parallel coordinates: an axis per setting, a line per trial, the best one wider', async () => {
    const d = SAMPLE_PARALLEL;
    const svg = await r.draw(6, d);
    const paths = new Map<string, string>();
    for (const m of svg.matchAll(/<path[^>]*data-trial="(\d+)"[^>]*>/g))
      paths.set(m[1] as string, m[0]);
    expect([...paths.keys()].sort()).toEqual(['1', '2']);
    expect(paths.get('2')).toContain('data-best="true"');
    expect(paths.get('2')).toContain('stroke-width="2.5"');
    expect(paths.get('1')).not.toContain('data-best');
    // the axes are at the page's positions, values placed 0 (bottom) … 1 (top)
    const sx = linearScale(0, 2, 48, 400 - 48);
    const sy = linearScale(0, 1, 200 - 22, 18);
    const pts = (tag: string) =>
      [...(/ d="([^"]+)"/.exec(tag)?.[1] ?? '').matchAll(/([\d.]+),([\d.]+)/g)].map((m) => [
        Number(m[1]),
        Number(m[2]),
      ]);
    expect(pts(paths.get('1') ?? '')).toEqual([
      [sx(0), sy(0)],
      [sx(1), sy(0.5)],
      [sx(2), sy(1)],
    ]);
    // trial 2 has no place on the middle axis: its line joins the other two
    expect(pts(paths.get('2') ?? '')).toEqual([
      [sx(0), sy(1)],
      [sx(2), sy(0)],
    ]);
    const axes = [...svg.matchAll(/<line[^>]*>/g)].map((m) =>
      Number(/ x1="([\d.]+)"/.exec(m[0])?.[1]),
    );
    expect(axes).toEqual([sx(0), sx(1), sx(2)]);
    for (const t of ['lr', 'steps', 'MSE']) expect(svg).toContain(`>${t}</text>`);
    // the score's ends are written right of the score axis
    const ends = [...svg.matchAll(/<text[^>]*x="([\d.]+)"[^>]*>(0\.01|0\.5)<\/text>/g)];
    expect(ends.length).toBe(2);
    for (const e of ends) expect(Number(e[1])).toBeGreaterThan(sx(2));
    r.drop(6);
  });
});
