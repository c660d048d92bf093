/**
 * One configuration knob: a labelled text box with its one-line help. What
 * is typed is a draft until Enter or leaving the field commits it (so typing
 * "300" does not ask three times to reset a run); Escape restores the stored
 * value. A draft that fails the checks stays visible with the reason, marked
 * invalid, and is not committed. A stored value that does not fit the data
 * in use (`misfit`, from train/fit.ts) is marked the same way, with its reason.
 */
import { useId, useState, type KeyboardEvent } from 'react';

export interface ConfigFieldProps {
  label: string;
  help: string;
  value: string;
  /** changes whenever a pending change is resolved, so drafts resync */
  epoch: number;
  inputMode: 'numeric' | 'decimal' | 'text';
  disabled?: boolean;
  /** returns a problem to show, or null when the value was accepted */
  commit: (text: string) => string | null;
  /** why the stored value does not fit the data in use (Train waits for it) */
  misfit?: string | undefined;
}

export function ConfigField({
  label,
  help,
  value,
  epoch,
  inputMode,
  disabled,
  commit,
  misfit,
}: ConfigFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [problem, setProblem] = useState<string | null>(null);
  const [seen, setSeen] = useState({ value, epoch });
  if (seen.value !== value || seen.epoch !== epoch) {
    // The stored value moved (algorithm defaults, a cancelled change): show it.
    setSeen({ value, epoch });
    setDraft(value);
    setProblem(null);
  }
  const submit = () => {
    if (draft === value) {
      setProblem(null);
      return;
    }
    setProblem(commit(draft));
  };
  const shown = problem ?? (draft === value ? (misfit ?? null) : null);
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      // Without this the Enter's keypress lands on the confirmation dialog's focused button.
      e.preventDefault();
      submit();
    }
    if (e.key === 'Escape') {
      setDraft(value);
      setProblem(null);
    }
  };
  return (
    <div className={`field${shown ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode={inputMode}
        autoComplete="off"
        spellCheck={false}
        value={draft}
        disabled={disabled}
        aria-invalid={shown ? true : undefined}
        aria-describedby={`${id}-help${shown ? ` ${id}-err` : ''}`}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={submit}
        onKeyDown={onKey}
      />
      {shown && (
        <p className="field-error" id={`${id}-err`}>
          {shown}
        </p>
      )}
      <p className="help" id={`${id}-help`}>
        {help}
      </p>
    </div>
  );
}
