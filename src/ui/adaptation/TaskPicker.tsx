/**
 * Which task to adapt to: a meta-test task by number, a fresh random task,
 * or (for the sinusoid family) a sinusoid of chosen amplitude and phase; and
 * how many adaptation steps to show. Drafts live in the form until "Adapt".
 */
import { useState, type FormEvent } from 'react';
import { adaptationActions, useAppStore } from '../../store';
import { adaptationBusy } from '../../store/adaptation-actions';
import type { AdaptTaskChoice } from '../../worker/adapt-types';
import { NumberField } from './NumberField';

type Kind = AdaptTaskChoice['kind'];

/** Reads its own busy state, so a job starting re-renders the form, not the figures. */
export function TaskPicker() {
  const disabled = useAppStore(adaptationBusy);
  const task = useAppStore((s) => s.adaptation.task);
  const steps = useAppStore((s) => s.adaptation.steps);
  const seed = useAppStore((s) => s.setup.runConfig?.seed ?? s.setup.config.seed);
  const sinusoid = useAppStore((s) => s.setup.data?.name === 'sinusoid');
  const [kind, setKind] = useState<Kind>(task.kind);
  const [index, setIndex] = useState(task.kind === 'test' ? String(task.index) : '0');
  const [amplitude, setAmplitude] = useState('2');
  const [phase, setPhase] = useState('0.5');
  const [stepsDraft, setStepsDraft] = useState(String(steps));
  const [draws, setDraws] = useState(0);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const a = adaptationActions();
    const S = Number(stepsDraft);
    if (kind === 'test')
      a.setTask({ kind: 'test', index: Math.max(0, Math.floor(Number(index) || 0)) }, S);
    else if (kind === 'random') {
      // A new task per click, reproducibly: the run's seed and a counter, never Math.random.
      const n = draws + 1;
      setDraws(n);
      a.setTask({ kind: 'random', seed: seed * 7919 + n }, S);
    } else
      a.setTask(
        { kind: 'sinusoid', amplitude: Number(amplitude), phase: Number(phase), seed: seed + 17 },
        S,
      );
  };

  return (
    <form className="adapt-task" onSubmit={submit} aria-label="Task to adapt to">
      <label className="field">
        <span>Task</span>
        <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} disabled={disabled}>
          <option value="test">Meta-test task</option>
          <option value="random">New random task</option>
          {sinusoid && <option value="sinusoid">Sinusoid with amplitude and phase</option>}
        </select>
      </label>
      {kind === 'test' && (
        <NumberField
          label="Task number"
          value={index}
          onChange={setIndex}
          min={0}
          disabled={disabled}
        />
      )}
      {kind === 'sinusoid' && (
        <>
          <NumberField
            label="Amplitude"
            value={amplitude}
            onChange={setAmplitude}
            min={0.01}
            max={10}
            step="any"
            disabled={disabled}
          />
          <NumberField
            label="Phase"
            value={phase}
            onChange={setPhase}
            step="any"
            disabled={disabled}
          />
        </>
      )}
      <NumberField
        label="Steps shown"
        value={stepsDraft}
        onChange={setStepsDraft}
        min={0}
        max={100}
        disabled={disabled}
      />
      <button type="submit" disabled={disabled}>
        {kind === 'random' ? 'Draw and adapt' : 'Adapt'}
      </button>
    </form>
  );
}
