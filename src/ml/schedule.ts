/** Learning-rate schedules, evaluated in TypeScript and pushed to the optimizer before each step. */
import { z } from 'zod';

export const Schedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant'), warmupSteps: z.number().int().min(0).default(0) }),
  /** Linear warm-up, then linear decay to `minLr` at the last step. */
  z.object({ kind: z.literal('linear'), warmupSteps: z.number().int().min(0).default(0), minLr: z.number().min(0).default(0) }),
  /** Linear warm-up, then half a cosine down to `minLr`. */
  z.object({ kind: z.literal('cosine'), warmupSteps: z.number().int().min(0).default(0), minLr: z.number().min(0).default(0) }),
  /** Multiply by `gamma` every `everySteps`. */
  z.object({ kind: z.literal('step'), everySteps: z.number().int().positive(), gamma: z.number().positive().max(1) }),
]);
export type Schedule = z.input<typeof Schedule>;

export function learningRate(scheduleIn: Schedule, baseLr: number, step: number, totalSteps: number): number {
  const s = Schedule.parse(scheduleIn);
  if (s.kind === 'step') return baseLr * s.gamma ** Math.floor(step / s.everySteps);
  if (s.warmupSteps > 0 && step < s.warmupSteps) return (baseLr * (step + 1)) / s.warmupSteps;
  if (s.kind === 'constant') return baseLr;
  const span = Math.max(1, totalSteps - s.warmupSteps);
  const progress = Math.min(1, (step - s.warmupSteps) / span);
  if (s.kind === 'linear') return s.minLr + (baseLr - s.minLr) * (1 - progress);
  return s.minLr + ((baseLr - s.minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
}
