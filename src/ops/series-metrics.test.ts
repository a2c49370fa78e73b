import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Counter, Histogram, Registry } from 'prom-client';
import { SeriesCounter, SeriesHistogram } from './series-metrics.ts';

// The series metrics must read, at a scrape, exactly as prom-client's own would after the same
// observations: prom-client's Histogram and Counter are the oracle.

const BUCKETS = [0.001, 0.01, 0.1, 1];
const LABELS = ['route', 'method'] as const;
const labelSets = fc.record({ route: fc.constantFrom('/v1/customers', '/v1/users', 'unmatched'), method: fc.constantFrom('GET', 'POST') });
const observations = fc.array(fc.tuple(labelSets, fc.oneof(fc.double({ min: 0, max: 3, noNaN: true }), fc.constantFrom(0.001, 0.01, 0.1, 1))), { maxLength: 60 });

/** Series in a fixed order, so two registries' texts compare line by line. */
const sorted = (text: string) => text.split('\n').sort().join('\n');

test('a series histogram scrapes as prom-client’s histogram after the same observations', async () => {
  await fc.assert(
    fc.asyncProperty(observations, async (obs) => {
      const ours = new Registry();
      const theirs = new Registry();
      const h = new SeriesHistogram({ name: 'h_seconds', help: 'help', labelNames: LABELS, buckets: BUCKETS, registry: ours });
      const oracle = new Histogram({ name: 'h_seconds', help: 'help', labelNames: LABELS, buckets: BUCKETS, registers: [theirs] });
      for (const [labels, v] of obs) {
        h.of(labels).observe(v);
        oracle.observe(labels, v);
      }
      assert.equal(sorted(await ours.metrics()), sorted(await theirs.metrics()));
    }),
    { numRuns: 100 },
  );
});

test('a series counter scrapes as prom-client’s counter, and a series is found again by its labels in any order', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(labelSets, { maxLength: 60 }), async (incs) => {
      const ours = new Registry();
      const theirs = new Registry();
      const c = new SeriesCounter('c_total', 'help', LABELS, ours);
      const oracle = new Counter({ name: 'c_total', help: 'help', labelNames: LABELS, registers: [theirs] });
      for (const labels of incs) {
        c.of({ method: labels.method, route: labels.route }).inc();
        oracle.inc(labels);
      }
      assert.equal(sorted(await ours.metrics()), sorted(await theirs.metrics()));
    }),
    { numRuns: 100 },
  );
});

test('a series keeps its own copy of the labels it was made with, and outlives a reset', async () => {
  const registry = new Registry();
  const c = new SeriesCounter('c_total', 'help', ['route'], registry);
  const labels = { route: '/a' };
  const series = c.of(labels);
  labels.route = '/b';
  series.inc();
  assert.equal(c.of({ route: '/a' }), series);
  assert.match(await registry.metrics(), /c_total\{route="\/a"\} 1/);
  // A reset (the registry's resetMetrics) zeroes the series; a handle taken before still counts.
  registry.resetMetrics();
  assert.match(await registry.metrics(), /c_total\{route="\/a"\} 0/);
  series.inc();
  assert.match(await registry.metrics(), /c_total\{route="\/a"\} 1/);
});
