import { expect } from 'chai';
import {
  addObservation,
  bucketIndex,
  emptyHistogram,
  LATENCY_BUCKET_BOUNDS_MS,
  mergeHistogram,
  percentile,
} from '../../functions/operations/metrics/histogram.js';
import { labelsOf, seriesKey } from '../../functions/operations/metrics/series-key.js';

describe('latency histograms and series keys', () => {
  it('puts values in fixed buckets and interpolates percentiles', () => {
    expect(bucketIndex(0.5)).to.equal(0);
    expect(bucketIndex(100)).to.equal(LATENCY_BUCKET_BOUNDS_MS.indexOf(100));
    expect(bucketIndex(10_000_000)).to.equal(LATENCY_BUCKET_BOUNDS_MS.length);
    const histogram = emptyHistogram();
    expect(percentile(histogram, 0.5)).to.equal(undefined);
    for (let index = 0; index < 90; index++) addObservation(histogram, 30); // (20, 50]
    for (let index = 0; index < 10; index++) addObservation(histogram, 700); // (500, 1000]
    expect(percentile(histogram, 0.5)).to.be.within(20, 50);
    expect(percentile(histogram, 0.99)).to.be.within(500, 1000);
    const other = emptyHistogram();
    addObservation(other, 30);
    mergeHistogram(other, histogram);
    expect(other.count).to.equal(101);
    expect(other.sum).to.equal(90 * 30 + 10 * 700 + 30);
  });

  it('keys a series by its sorted labels and reads them back', () => {
    expect(seriesKey({ outcome: 'failed', code: 'HTTP 404' })).to.equal(seriesKey({ code: 'HTTP 404', outcome: 'failed' }));
    expect(labelsOf(seriesKey({ route: 'GET /api/assets/:id', status: '200' }))).to.deep.equal({ route: 'GET /api/assets/:id', status: '200' });
    expect(labelsOf(seriesKey({}))).to.deep.equal({});
  });
});
