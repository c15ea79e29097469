import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEFAULT_MODELS_DIR, listModels } from '../../ml/registry.js';

const ModelSummary = z.object({
  name: z.string(), version: z.string(), task: z.string(), description: z.string(), licence: z.string(), date: z.string(),
  data: z.array(z.object({ name: z.string(), source: z.string(), licence: z.string(), rows: z.number().optional(), notes: z.string().optional() })),
  metrics: z.array(z.object({ name: z.string(), value: z.number(), split: z.string(), dataset: z.string().optional() })),
  code: z.object({ gitSha: z.string(), dirty: z.boolean() }),
});

/** The shipped models' cards (models/<name>/card.json), as the ML registry validates them. */
export const modelRoutes: FastifyPluginAsyncZod<{ modelsDir?: string }> = async (app, options) => {
  const dir = options.modelsDir ?? process.env.THREATMINER_MODELS ?? DEFAULT_MODELS_DIR;
  app.get('/models', {
    config: { role: 'read-only' },
    schema: {
      summary: 'Model cards with their metrics; cards that fail validation are listed as problems', tags: ['models'],
      response: { 200: z.object({ models: z.array(ModelSummary), problems: z.array(z.string()) }) },
    },
  }, async () => {
    const { models, problems } = await listModels(dir);
    return {
      models: models.map(({ card }) => ({
        name: card.name, version: card.version, task: card.task, description: card.description, licence: card.licence, date: card.date,
        data: card.data, metrics: card.metrics, code: card.code,
      })),
      // Problems name a path under the server's models directory; keep only the part after it.
      problems: problems.map((p) => p.replace(dir, 'models')),
    };
  });
};
