/**
 * Asks before a change throws away the current run (configuration, dataset
 * or backend): a modal <dialog>, so focus is trapped and Escape cancels.
 * The change itself waits in the store's `setup.pending`.
 */
import { useEffect, useRef } from 'react';
import { actions, useAppStore } from '../../store';
import type { PendingChange } from '../../store/slices';

function what(c: PendingChange): string {
  switch (c.kind) {
    case 'config':
      return 'Changing the configuration';
    case 'family':
      return 'Switching the task family';
    case 'csv':
      return 'Switching to the uploaded CSV';
    case 'images':
      return 'Switching to the uploaded images';
    case 'backend':
      return 'Switching the backend';
    case 'settings':
      return 'Opening the settings in the address';
    default:
      c satisfies never;
      return '';
  }
}

export function ConfirmDialog() {
  const pending = useAppStore((s) => s.setup.pending);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (pending && !d.open) d.showModal();
    if (!pending && d.open) d.close();
  }, [pending]);
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-text"
      onCancel={(e) => {
        e.preventDefault();
        actions().cancelPending();
      }}
    >
      <h2 id="confirm-title">Reset the run?</h2>
      <p id="confirm-text">
        {pending ? what(pending) : 'This change'} resets the run: its curves and the weights trained
        so far are discarded.
      </p>
      <div className="dialog-buttons">
        <button type="button" onClick={() => actions().cancelPending()} autoFocus>
          Keep the run
        </button>
        <button type="button" className="danger" onClick={() => actions().confirmPending()}>
          Reset and apply
        </button>
      </div>
    </dialog>
  );
}
