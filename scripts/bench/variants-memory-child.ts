/**
 * Run by the variants benchmark in a fresh process: loads sharp, then does one kind of work on the
 * image file given, and prints its resident memory before the work and its peak as JSON. The peak is
 * sampled every millisecond (sharp works off the main thread, so the sampler keeps running): maxRSS
 * would not do, as Linux carries the spawning process's high-water mark across exec.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { renderVariants } from '../../functions/variants/render-variants.js';

const [mode, file] = process.argv.slice(2);
const input = readFileSync(file!);
await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
const idleMiB = process.memoryUsage().rss / 2 ** 20;
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 1);
if (mode === 'pipeline') {
  await renderVariants(input, { crop: 'cover-centre', originalWebp: false, originalAvif: false });
} else {
  const { independentPipelines } = await import('./variants.bench.js');
  await independentPipelines(input);
}
clearInterval(sampler);
console.log(JSON.stringify({ idleMiB, peakMiB: Math.max(peak, process.memoryUsage().rss) / 2 ** 20 }));
