import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import YAML from 'yaml';
import { InputError } from '../../../core/errors.js';
import { GroundTruth } from '../../../collect/simulator/ground-truth.js';
import { ablation, aliasCandidates, loadActorInput, parseActorsConfig, rankActors, rescore, type ActorInput } from '../../../analyse/actors/index.js';
import { aliasPairs, aliasPrecisionRecall, authorIdOf, inputFromGroundTruth, keyActorIds, keyActorMetrics } from '../../../analyse/actors/evaluate.js';
import { withStore } from '../../context.js';

/**
 * `threatminer eval actors --truth ground-truth.json`: key-actor precision@10/@50 with the
 * network-only / content-only / combined ablation, Spearman ρ(score, reputation) and alias
 * linking precision/recall against the simulator's ground truth. The input is the ground truth's
 * own posts (a perfect crawl) unless `--db` points at a store that crawled the simulator.
 */
const MODES = ['network', 'content', 'combined', 'combined-no-reputation'] as const;

interface Options { truth: string; labels: string; db?: string; weights?: string; threshold: string }

export function register(evalCommand: Command): void {
  evalCommand
    .command('actors')
    .description('Evaluate key-actor ranking and alias linking against the simulator ground truth')
    .requiredOption('--truth <file>', 'ground-truth JSON written by `threatminer simulate --out`')
    .option('--labels <mode>', 'exploit labels when reading the ground truth: none | oracle (thread topic of exploit/malware threads)', 'none')
    .option('--db <url>', 'evaluate the data in this store (a crawl of the simulator) instead of the ground-truth posts')
    .option('--weights <file>', 'YAML/JSON actors config (see docs/actors.md)')
    .option('--threshold <score>', 'alias score threshold for precision/recall', '0.5')
    .action(async (opts: Options) => {
      if (opts.labels !== 'none' && opts.labels !== 'oracle') throw new InputError('--labels', `must be none or oracle, got "${opts.labels}"`);
      const threshold = Number(opts.threshold);
      if (!(threshold >= 0 && threshold <= 1)) throw new InputError('--threshold', 'must be a number in [0, 1]');
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(opts.truth, 'utf8'));
      } catch (err) {
        throw new InputError(opts.truth, `cannot read JSON (${err instanceof Error ? err.message : String(err)})`);
      }
      const parsed = GroundTruth.safeParse(raw);
      if (!parsed.success) throw new InputError(opts.truth, `not a simulator ground truth: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
      const gt = parsed.data;
      let config = parseActorsConfig({});
      if (opts.weights) {
        const text = await readFile(opts.weights, 'utf8').catch((err: unknown) => { throw new InputError(opts.weights as string, String(err)); });
        config = parseActorsConfig(YAML.parse(text), opts.weights);
      }
      const input: ActorInput = opts.db
        ? await withStore({ db: opts.db }, (store) => loadActorInput(store))
        : inputFromGroundTruth(gt, { labels: opts.labels as 'none' | 'oracle' });
      const started = performance.now();
      const result = rankActors(input, config);
      const rankSeconds = (performance.now() - started) / 1000;
      const truth = keyActorIds(gt);
      const reputation = new Map(gt.authors.map((a) => [authorIdOf(a.forum, a.handle), a.reputation]));
      const out = process.stdout;
      const found = result.scores.filter((s) => truth.has(s.authorId)).length;
      out.write(`ground truth: ${gt.forums.length} forums, ${gt.authors.length} authors, ${gt.posts.length} posts, ${truth.size} key-actor accounts (${found} present in the input)\n`);
      out.write(`input: ${opts.db ? `store ${opts.db}` : `ground-truth posts, labels=${opts.labels}`}; ${result.graph.order} authors, ${result.graph.size} edges, ranked in ${rankSeconds.toFixed(2)} s\n\n`);
      out.write(`${'mode'.padEnd(24)}  P@10   P@50   R-prec  AP     rho(score,rep) pooled / per-site\n`);
      const ablations: Record<string, ReturnType<typeof keyActorMetrics>> = {};
      for (const mode of MODES) {
        const scores = rescore(result, ablation(config, mode).weights);
        const m = keyActorMetrics(scores, truth, reputation);
        ablations[mode] = m;
        out.write(`${mode.padEnd(24)}  ${f(m.precisionAt10)}  ${f(m.precisionAt50)}  ${f(m.rPrecision)}   ${f(m.averagePrecision)}  ${f(m.spearmanPooled)} / ${f(m.spearmanPerSiteMean)}\n`);
      }
      out.write('(rho for modes with reputation in the score is circular; read combined-no-reputation)\n\n');
      const aliasStarted = performance.now();
      const candidates = aliasCandidates(input, { minScore: 0.05 });
      const aliasSeconds = (performance.now() - aliasStarted) / 1000;
      const pairs = aliasPairs(gt);
      out.write(`alias linking: ${pairs.size} true cross-forum pairs, ${candidates.length} candidates ≥ 0.05 in ${aliasSeconds.toFixed(2)} s\n`);
      out.write('threshold  predicted  TP   precision  recall  F1\n');
      const aliasAt: Record<string, ReturnType<typeof aliasPrecisionRecall>> = {};
      for (const t of [...new Set([0.3, threshold, 0.7])].sort()) {
        const r = aliasPrecisionRecall(candidates, pairs, t);
        aliasAt[String(t)] = r;
        out.write(`${t.toFixed(2).padEnd(9)}  ${String(r.predicted).padStart(9)}  ${String(r.truePositives).padStart(3)}  ${f(r.precision)}      ${f(r.recall)}  ${f(r.f1)}\n`);
      }
      const main = aliasAt[String(threshold)]!;
      out.write(`${JSON.stringify({
        key_accounts: truth.size,
        ablation: Object.fromEntries(Object.entries(ablations).map(([k, m]) => [k, { p_at_10: r4(m.precisionAt10), p_at_50: r4(m.precisionAt50), r_precision: r4(m.rPrecision), ap: r4(m.averagePrecision), spearman_pooled: r4(m.spearmanPooled), spearman_per_site: r4(m.spearmanPerSiteMean) }])),
        alias: { threshold, precision: r4(main.precision), recall: r4(main.recall), f1: r4(main.f1), true_pairs: pairs.size, predicted: main.predicted },
        rank_seconds: r4(rankSeconds),
      })}\n`);
    });
}

const f = (n: number): string => (Number.isFinite(n) ? n.toFixed(3) : '  -  ');
const r4 = (n: number): number | null => (Number.isFinite(n) ? Math.round(n * 10_000) / 10_000 : null);
