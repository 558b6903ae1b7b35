import type { MetricLabels, MetricName } from '../../domain/ports/metrics.js';
import { addObservation, emptyHistogram, mergeHistogram, type Histogram } from './histogram.js';
import { seriesKey } from './series-key.js';

const MINUTE_MS = 60_000;

/** Increments recorded since the last flush, per metric and series; counters also per minute. */
export class MetricBuffer {
  readonly counters = new Map<MetricName, Map<string, number>>();
  readonly minutes = new Map<MetricName, Map<number, Map<string, number>>>();
  readonly histograms = new Map<MetricName, Map<string, Histogram>>();

  get empty(): boolean {
    return this.counters.size === 0 && this.histograms.size === 0;
  }

  count(name: MetricName, labels: MetricLabels, increment: number, atMs: number): void {
    const key = seriesKey(labels);
    addTo(mapOf(this.counters, name), key, increment);
    const minute = Math.floor(atMs / MINUTE_MS);
    const perMinute = mapOf(this.minutes, name);
    let series = perMinute.get(minute);
    if (!series) perMinute.set(minute, (series = new Map()));
    addTo(series, key, increment);
  }

  observe(name: MetricName, value: number, labels: MetricLabels): void {
    const series = mapOf(this.histograms, name);
    const key = seriesKey(labels);
    let histogram = series.get(key);
    if (!histogram) series.set(key, (histogram = emptyHistogram()));
    addObservation(histogram, value);
  }

  /** Puts back what a failed flush took out, so it goes with the next one. */
  absorb(other: MetricBuffer): void {
    for (const [name, series] of other.counters) for (const [key, value] of series) addTo(mapOf(this.counters, name), key, value);
    for (const [name, perMinute] of other.minutes) {
      const target = mapOf(this.minutes, name);
      for (const [minute, series] of perMinute) {
        let into = target.get(minute);
        if (!into) target.set(minute, (into = new Map()));
        for (const [key, value] of series) addTo(into, key, value);
      }
    }
    for (const [name, series] of other.histograms) {
      const target = mapOf(this.histograms, name);
      for (const [key, histogram] of series) {
        let into = target.get(key);
        if (!into) target.set(key, (into = emptyHistogram()));
        mergeHistogram(into, histogram);
      }
    }
  }
}

function mapOf<K, V>(outer: Map<MetricName, Map<K, V>>, name: MetricName): Map<K, V> {
  let inner = outer.get(name);
  if (!inner) outer.set(name, (inner = new Map()));
  return inner;
}

function addTo(series: Map<string, number>, key: string, increment: number): void {
  series.set(key, (series.get(key) ?? 0) + increment);
}

export { MINUTE_MS };
