/**
 * Errors a user can act on. The CLI prints `message` without a stack trace and exits with
 * `exitCode`; everything else is a bug and prints its stack.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.exitCode = options?.exitCode ?? 2;
  }
}

/** An input (file, row, option) that is malformed: names the input and the problem. */
export class InputError extends UserError {
  constructor(
    readonly input: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${input}: ${problem}`, options);
    this.name = 'InputError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
