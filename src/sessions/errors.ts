/**
 * The one error type the session module throws. Reading never throws (it
 * returns a result with a message for people); writing throws this when the
 * caller hands over something that must not be saved (an invalid document,
 * NaN weights, a session too large for a file or a link), because that is a
 * bug or a state the caller should have prevented, not a user mistake.
 */
export class SessionFormatError extends Error {
  override readonly name = 'SessionFormatError';
}
