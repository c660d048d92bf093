/**
 * One trial worker's logic, kept free of the worker global so Node tests run
 * it in-process: it picks the sweep's backend once, rebuilds the sweep's
 * data from its session dataset record (once per seed), and trains each
 * `run` with core/sweep/run.ts's runTrial. Validation scores go out as they
 * come, so the coordinator's successive halving can answer with `prune`;
 * the result carries the trial's record only (the sweep keeps no trial
 * weights). runTrial never throws: a diverged run is `diverged`, settings the
 * data cannot serve are `failed`; a backend or data failure here is `failed`
 * too, with its message.
 */
import { chooseBackend } from '../core/backend';
import type { TaskSource } from '../core/data/types';
import type { BackendName } from '../core/spec/backend';
import { runTrial } from '../core/sweep/run';
import type { SessionDataset } from '../sessions/schema';
import type { TrialCommand, TrialCommandBodies, TrialEvent } from './protocol';
import { sourceFromDataset } from './session-io';

export class TrialHost {
  private backend: BackendName | null = null;
  private data: { key: string; source: TaskSource } | null = null;
  private readonly pruned = new Set<number>();

  constructor(
    private readonly send: (e: TrialEvent) => void,
    private readonly wasmPaths?: Record<string, string>,
  ) {}

  handle(cmd: TrialCommand): Promise<void> {
    switch (cmd.type) {
      case 'run':
        return this.run(cmd);
      case 'prune':
        this.pruned.add(cmd.trial);
        return Promise.resolve();
      default:
        cmd satisfies never;
        return Promise.resolve();
    }
  }

  private async run(cmd: TrialCommandBodies['run']): Promise<void> {
    const t0 = performance.now();
    let source: TaskSource;
    try {
      await this.useBackend(cmd.backend);
      source = await this.sourceOf(cmd.dataset, cmd.base.seed);
    } catch (e) {
      this.send({
        type: 'result',
        record: {
          number: cmd.trial,
          params: cmd.params,
          state: 'failed',
          value: null,
          bestStep: 0,
          steps: 0,
          seconds: (performance.now() - t0) / 1000,
          message: e instanceof Error ? e.message : String(e),
        },
      });
      return;
    }
    const { record } = await runTrial(source, cmd.base, cmd.trial, cmd.params, {
      judge: (step, metric) => {
        this.send({ type: 'validation', trial: cmd.trial, step, metric });
        return 'continue';
      },
      pruned: () => this.pruned.has(cmd.trial),
    });
    this.pruned.delete(cmd.trial);
    this.send({ type: 'result', record });
  }

  private async useBackend(name: BackendName): Promise<void> {
    if (this.backend === name) return;
    const choice = await chooseBackend({ preferred: name, wasmPaths: this.wasmPaths });
    // Trials compare settings, so they must all run where the sweep said.
    if (choice.backend !== name)
      throw new Error(
        `the ${name} backend did not start in a trial worker (${choice.fallbackReason ?? 'no reason given'})`,
      );
    this.backend = name;
  }

  private async sourceOf(dataset: SessionDataset, seed: number): Promise<TaskSource> {
    // the rows are named by their hash; a built-in family by its name and options
    const { sha256, name, options } = dataset;
    const key = JSON.stringify({ sha256, name, options, seed });
    if (this.data?.key !== key)
      this.data = { key, source: await sourceFromDataset(dataset, seed, null) };
    return this.data.source;
  }
}
