/**
 * CLI failures worded for the person at the terminal: one line, exit code 1,
 * no stack trace. Anything thrown that is not one of ours is a bug and keeps
 * its stack (set MLP_DEBUG=1 to see stacks for ours too).
 */
import { DataError } from '../core/data/types';

export class CliError extends Error {
  override name = 'CliError';
}

export function isUserError(e: unknown): e is Error {
  return (
    e instanceof CliError ||
    e instanceof DataError ||
    (e instanceof Error && e.name === 'SessionFormatError')
  );
}

export function reportAndExit(e: unknown): never {
  if (isUserError(e) && !process.env.MLP_DEBUG) {
    process.stderr.write(`error: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
  } else {
    process.stderr.write(
      `internal error (please report): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
  }
  process.exit(1);
}
