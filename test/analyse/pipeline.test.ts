import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Analyser, AnalysisRow } from '../../src/analyse/analyser.js';
import { orderAnalysers, runPipeline } from '../../src/analyse/pipeline.js';
import { languageAnalyser } from '../../src/analyse/plugins/lang.js';
import { sampleRecords } from '../helpers/fixtures.js';
import { describeEachStore } from '../helpers/stores.js';

function wordCounter(version: string, failOnBatch = -1): Analyser & { batches: number } {
  const analyser = {
    name: 'words', version, modelVersion: null, reads: ['body_text'] as const, writes: ['events'] as const, after: ['lang'], batches: 0,
    async analyse(batch: Parameters<Analyser['analyse']>[0]): Promise<AnalysisRow[]> {
      if (analyser.batches++ === failOnBatch) throw new Error('simulated crash');
      return batch.map((p) => ({ kind: 'event', postId: p.id, type: `words:${p.bodyText.split(/\s+/).length}`, confidence: 1, arguments: { language: p.language ?? 'none' } }));
    },
  };
  return analyser;
}

describeEachStore('pipeline', (makeStore) => {
  test('runs analysers in dependency order and is incremental', async () => {
    const store = await makeStore();
    await store.ingest(sampleRecords());
    const words = wordCounter('1');
    const first = await runPipeline(store, { analysers: [words, languageAnalyser], batchSize: 2 });
    assert.deepEqual(first.map((s) => [s.analyser, s.posts]), [['lang', 5], ['words', 5]]);
    const languages = await store.db.selectFrom('post_languages').select(['language']).orderBy('language').execute();
    assert.deepEqual(languages.map((l) => l.language), ['en', 'en', 'en', 'ru', 'zh']);
    const events = await store.db.selectFrom('events').select(['arguments', 'analyser_version']).execute();
    assert.ok(events.every((e) => JSON.parse(e.arguments).language !== 'none'), 'words ran after lang and saw its output');

    const again = await runPipeline(store, { analysers: [languageAnalyser, words] });
    assert.deepEqual(again.map((s) => s.posts), [0, 0]);

    const edited = sampleRecords();
    edited[0] = { ...edited[0]!, body_text: 'Edited text in English about an exploit sale' };
    await store.ingest(edited);
    const afterEdit = await runPipeline(store, { analysers: [languageAnalyser, words] });
    assert.deepEqual(afterEdit.map((s) => s.posts), [1, 1]);
    assert.equal((await store.db.selectFrom('events').selectAll().execute()).length, 5, 'old rows replaced, not duplicated');

    const upgraded = await runPipeline(store, { analysers: [languageAnalyser, wordCounter('2')] });
    assert.deepEqual(upgraded.map((s) => s.posts), [0, 5]);
    const versions = await store.db.selectFrom('events').select('analyser_version').distinct().execute();
    assert.deepEqual(versions.map((v) => v.analyser_version), ['2']);

    const rerun = await runPipeline(store, { analysers: [languageAnalyser, wordCounter('2')], rerun: ['lang'] });
    assert.deepEqual(rerun.map((s) => s.posts), [5, 0]);
  });

  test('a crash mid-run keeps committed batches and the re-run resumes', async () => {
    const store = await makeStore();
    await store.ingest(sampleRecords());
    await runPipeline(store, { analysers: [languageAnalyser] });
    await assert.rejects(runPipeline(store, { analysers: [languageAnalyser, wordCounter('1', 1)], batchSize: 2 }), /simulated crash/);
    assert.equal((await store.db.selectFrom('events').selectAll().execute()).length, 2);
    const resumed = await runPipeline(store, { analysers: [languageAnalyser, wordCounter('1')], batchSize: 2 });
    assert.deepEqual(resumed.map((s) => s.posts), [0, 3]);
    assert.equal((await store.db.selectFrom('events').selectAll().execute()).length, 5);
  });

  test('malformed plugin output is refused with a message naming the analyser', async () => {
    const store = await makeStore();
    await store.ingest(sampleRecords());
    const liar: Analyser = {
      name: 'liar', version: '1', modelVersion: null, reads: [], writes: ['events'],
      analyse: async (batch) => [{ kind: 'entity', postId: batch[0]!.id, type: 'ip', value: '1.2.3.4', start: 0, end: 7, field: 'body_text', defanged: false }],
    };
    await assert.rejects(runPipeline(store, { analysers: [liar] }), /analyser liar wrote to entities, which it does not declare/);
    const bad: Analyser = { ...liar, name: 'bad', analyse: async () => [{ kind: 'event', postId: 'nope', type: 'x', confidence: 2 }] as AnalysisRow[] };
    await assert.rejects(runPipeline(store, { analysers: [bad] }), /analyser bad returned a malformed row #0: confidence/);
  });
});

test('dependency cycles and missing dependencies are reported', () => {
  const a = { ...languageAnalyser, name: 'a', after: ['b'] };
  const b = { ...languageAnalyser, name: 'b', after: ['a'] };
  assert.throws(() => orderAnalysers([a, b]), /cycle: a → b → a/);
  assert.throws(() => orderAnalysers([a]), /runs after "b", which is not enabled/);
});
