/**
 * The import rules of `npm run lint`, shown failing and passing: ESLint's
 * Node API lints fixture text under a made-up path (src/ui/x.tsx etc.) with
 * the project's eslint.config.js, and dependency-cruiser's API cruises a
 * small fixture folder with the project's .dependency-cruiser.mjs rules.
 * Each "fails" case names a module that really reaches tfjs, checked here
 * too, so the fixture cannot go stale while the rule still passes.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

/** The messages of the import rules for `code` linted as if it were the file at `file`. */
async function importProblems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === null || /no-restricted-imports$/.test(m.ruleId))
    .map((m) => `${m.ruleId}: ${m.message}`);
}

async function importsTfjs(file: string): Promise<boolean> {
  return /from '@tensorflow\/tfjs'/.test(await readFile(path.join(root, file), 'utf8'));
}

describe('lint: the page reaches src/core only through core/spec', () => {
  it('fails a UI file that imports a value from a tfjs-reaching engine module', async () => {
    expect(await importsTfjs('src/core/models/mlp.ts')).toBe(true);
    const problems = await importProblems(
      'src/ui/x.tsx',
      "import { forward } from '../core/models/mlp';\nexport const f = forward;\n",
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/only through src\/core\/spec/);
  });

  it('makes no exception for the data picture: its sampling lives in the worker now', async () => {
    const problems = await importProblems(
      'src/ui/train/preview-data.ts',
      "import { builtinSource } from '../../core/data/builtin';\nexport const b = builtinSource;\n",
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/only through src\/core\/spec/);
  });

  it('passes a type import from the same module, and a value import from core/spec', async () => {
    expect(
      await importProblems(
        'src/ui/x.tsx',
        "import type { TrainedModel } from '../core/train/trainer';\nexport type M = TrainedModel;\n",
      ),
    ).toEqual([]);
    expect(
      await importProblems(
        'src/ui/panel/x.tsx',
        "import { defaultConfig } from '../../core/spec/config';\nexport const c = defaultConfig();\n",
      ),
    ).toEqual([]);
  });

  it('fails a mixed import whose value part is not from core/spec', async () => {
    expect(await importsTfjs('src/core/algorithms/learner.ts')).toBe(true);
    const problems = await importProblems(
      'src/store/x.ts',
      "import { Learner, type Layout } from '../core/algorithms/learner';\nexport const t: [typeof Learner, Layout?] = [Learner];\n",
    );
    expect(problems).toHaveLength(1);
  });

  it('fails tfjs itself and the worker modules that run it, on the page and in main.tsx', async () => {
    expect(
      await importProblems('src/ui/x.tsx', "import * as tf from '@tensorflow/tfjs';\nvoid tf;\n"),
    ).toHaveLength(1);
    expect(await importsTfjs('src/worker/adapt.ts')).toBe(true);
    expect(
      await importProblems(
        'src/main.tsx',
        "import { adaptOnTask } from './worker/adapt';\nvoid adaptOnTask;\n",
      ),
    ).toEqual([expect.stringMatching(/worker\/client, worker\/protocol/)]);
    expect(
      await importProblems(
        'src/main.tsx',
        "import { createTrainingClient } from './worker/client';\nvoid createTrainingClient;\n",
      ),
    ).toEqual([]);
  });

  it('holds the session format to the same rule (paramShapes through core/spec)', async () => {
    expect(
      await importProblems(
        'src/sessions/x.ts',
        "import { initParamArrays } from '../core/models/mlp';\nvoid initParamArrays;\n",
      ),
    ).toHaveLength(1);
    expect(
      await importProblems(
        'src/sessions/x.ts',
        "import { paramShapes } from '../core/spec/model';\nvoid paramShapes;\n",
      ),
    ).toEqual([]);
  });

  it('keeps core/spec free of tfjs and of every other engine module', async () => {
    expect(
      await importProblems(
        'src/core/spec/x.ts',
        "import * as tf from '@tensorflow/tfjs';\nvoid tf;\n",
      ),
    ).toHaveLength(1);
    expect(
      await importProblems('src/core/spec/x.ts', "import { Rng } from '../rng';\nvoid Rng;\n"),
    ).toEqual([expect.stringMatching(/imports only src\/core\/spec/)]);
    expect(
      await importProblems(
        'src/core/spec/x.ts',
        "import { ALGORITHMS } from './config';\nvoid ALGORITHMS;\n",
      ),
    ).toEqual([]);
  });
});

describe('lint: no import cycles (dependency-cruiser, type-only imports included)', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cycles-'));
    const files: Record<string, string> = {
      // a cycle closed by a type, like the four this project had
      'slices.ts':
        "import type { Extra } from './extra';\nexport interface State { extra: Extra }\n",
      'extra.ts':
        "import type { State } from './slices';\nexport interface Extra { parent?: State }\n",
      // a value cycle
      'one.ts': "import { two } from './two';\nexport const one = () => two();\n",
      'two.ts': "import { one } from './one';\nexport const two = () => one;\n",
      // one-way dependencies
      'leaf.ts': 'export const leaf = 1;\n',
      'top.ts': "import { leaf } from './leaf';\nexport const top = leaf + 1;\n",
    };
    await Promise.all(
      Object.entries(files).map(([name, text]) => writeFile(path.join(dir, name), text)),
    );
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reports both cycles and nothing else', async () => {
    const configUrl = pathToFileURL(path.join(root, '.dependency-cruiser.mjs')).href;
    const depcruiseConfig = ((await import(configUrl)) as { default: IConfiguration }).default;
    const { forbidden } = depcruiseConfig;
    // tsConfig and the reporter are the CLI's business; the rest is what `npm run lint` uses.
    const {
      tsConfig: _ts,
      reporterOptions: _rep,
      enhancedResolveOptions,
      ...options
    } = depcruiseConfig.options ?? {};
    const { output } = await cruise(
      [dir],
      { ...options, validate: true, ruleSet: { forbidden } },
      { extensions: enhancedResolveOptions?.extensions },
    );
    const result = output as ICruiseResult;
    // one violation per cycle, listing the modules around it
    const cycles = result.summary.violations
      .map((v) => {
        expect(v.rule.name).toBe('no-cycle');
        return [v.from, ...(v.cycle ?? []).map((c) => c.name)]
          .map((f) => path.basename(f))
          .filter((f, i, all) => all.indexOf(f) === i)
          .sort()
          .join(' ');
      })
      .sort();
    expect(cycles).toEqual(['extra.ts slices.ts', 'one.ts two.ts']);
    expect(result.summary.error).toBe(2);
  });
});
