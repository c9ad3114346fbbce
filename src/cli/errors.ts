/**
 * An error the user can cause and fix (bad flag, missing ROM, corrupt file...).
 * The CLI prints its message as one sentence and exits with `exitCode`, never a stack trace.
 */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UserError';
  }
}
