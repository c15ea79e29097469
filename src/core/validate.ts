import { z } from 'zod';
import { InputError } from './errors.js';

/** Short, one-line description of every problem zod found: `q: Too big…; limit: …`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(value)'}: ${issue.message}`)
    .join('; ');
}

/** Validates a value at a boundary; a failure names the input and each problem. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, inputName: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InputError(inputName, describeZodError(result.error));
  return result.data;
}
