import type { Metric, Registry } from 'prom-client';

// Metrics observed on every request, whose series a caller resolves once and then observes
// with no label work. prom-client's own Histogram and Counter validate and hash the labels of
// every observation: with a request counted, a request timed and a statement timed, that was
// about 45 µs of a list page's 350 µs of CPU (BENCHMARKS.md, "page against the bare handler").
// prom-client's registry still formats them: each is a metric it asks for its values at a
// scrape, as it asks its own.

type Labels = Readonly<Record<string, string>>;

/** A metric's values at a scrape, in the shape prom-client's registry formats. */
interface Values {
  name: string;
  help: string;
  type: 'histogram' | 'counter';
  aggregator: 'sum';
  values: { labels: Record<string, string | number>; value: number; metricName?: string }[];
}

const keyOf = (names: readonly string[], labels: Labels): string => names.map((n) => labels[n]).join('\u0000');

/** One series of a histogram: observations counted per bucket (not cumulative), their sum. */
export class HistogramSeries {
  readonly buckets: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        this.buckets[i]++;
        return;
      }
    }
  }
}

/** One series of a counter. */
export class CounterSeries {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(): void {
    this.value++;
  }
}

/** What a registry needs of a metric: it calls `get` at each scrape and `reset` on resetMetrics. */
abstract class SeriesMetric<S extends { labels: Labels }> {
  readonly aggregator = 'sum' as const;
  protected readonly series = new Map<string, S>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    // The registry only asks a metric for its name and its values.
    registry.registerMetric(this as unknown as Metric);
  }

  /** The series of these labels, made on first use: resolve it once, observe it often. */
  of(labels: Labels): S {
    const key = keyOf(this.labelNames, labels);
    let s = this.series.get(key);
    if (!s) {
      const own = Object.freeze(Object.fromEntries(this.labelNames.map((n) => [n, labels[n]])));
      this.series.set(key, (s = this.make(own)));
    }
    return s;
  }

  /** Zeroes every series in place: handles resolved before stay the series they name. */
  reset(): void {
    for (const s of this.series.values()) this.zero(s);
  }

  protected abstract make(labels: Labels): S;
  protected abstract zero(series: S): void;
}

export class SeriesHistogram extends SeriesMetric<HistogramSeries> {
  readonly type = 'histogram' as const;

  constructor(opts: { name: string; help: string; labelNames: readonly string[]; buckets: readonly number[]; registry: Registry }) {
    super(opts.name, opts.help, opts.labelNames, opts.registry);
    this.bounds = [...opts.buckets].sort((a, b) => a - b);
  }

  private readonly bounds: readonly number[];

  protected make(labels: Labels): HistogramSeries {
    return new HistogramSeries(labels, this.bounds);
  }

  protected zero(s: HistogramSeries): void {
    s.buckets.fill(0);
    s.sum = 0;
    s.count = 0;
  }

  async get(): Promise<Values> {
    const values: Values['values'] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += s.buckets[i];
        values.push({ labels: { le, ...s.labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: { ...s.labels }, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...s.labels }, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

export class SeriesCounter extends SeriesMetric<CounterSeries> {
  readonly type = 'counter' as const;

  protected make(labels: Labels): CounterSeries {
    return new CounterSeries(labels);
  }

  protected zero(s: CounterSeries): void {
    s.value = 0;
  }

  async get(): Promise<Values> {
    const values = [...this.series.values()].map((s) => ({ labels: { ...s.labels }, value: s.value }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
