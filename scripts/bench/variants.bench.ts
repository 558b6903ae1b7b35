/**
 * The variant pipeline (in process, no emulators) on photo-like JPEGs, measured interleaved in one
 * run against (a) one independent sharp pipeline per output from the original bytes, as Firebase's
 * resize extension works, and (b) the floor: one full decode plus each output's encode, each timed
 * alone and summed. Also peak memory and originals per second with two in flight (both cores).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import { renderVariants } from '../../functions/variants/render-variants.js';
import { photoJpeg } from '../lib/sample-images.js';
import { median, writeResult, type BenchResult, type Figure } from './bench-report.js';

const OPTIONS = { crop: 'cover-centre', originalWebp: false, originalAvif: false } as const;
const OUTPUTS: Array<[number | undefined, 'jpeg' | 'webp']> = [
  [150, 'jpeg'],
  [150, 'webp'],
  [500, 'jpeg'],
  [500, 'webp'],
  [undefined, 'jpeg'],
];

function encoder(image: Sharp, format: 'jpeg' | 'webp', small: boolean): Sharp {
  return format === 'jpeg' ? image.jpeg(small ? { quality: 82, mozjpeg: true } : { quality: 86, optimiseCoding: true }) : image.webp({ quality: 80 });
}

/** The placeholder as its own pipeline: a 100 px square of the original, hashed. */
async function placeholderPipeline(input: Buffer): Promise<string> {
  const { data, info } = await sharp(input, { failOn: 'error' }).rotate().resize(100, 100, { fit: 'cover' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString('base64');
}

/** The dominant colour as its own pipeline, of the same 150 px square the variant pipeline histograms. */
async function dominantColourPipeline(input: Buffer): Promise<string> {
  // stats() reads its input, not the pipeline's result: the square needs pixels of its own.
  const { data, info } = await sharp(input, { failOn: 'error' }).rotate().resize(150, 150, { fit: 'cover' }).raw().toBuffer({ resolveWithObject: true });
  const { dominant } = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).stats();
  return `#${[dominant.r, dominant.g, dominant.b].map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * One pipeline per output, each decoding the original itself, all started together: the same
 * outputs as the variant pipeline (the five images, the placeholder and the dominant colour).
 */
export async function independentPipelines(input: Buffer): Promise<void> {
  await Promise.all([
    ...OUTPUTS.map(([side, format]) => {
      let image = sharp(input, { failOn: 'error' }).rotate();
      if (side) image = image.resize(side, side, { fit: 'cover' });
      return encoder(image, format, side !== undefined).toBuffer();
    }),
    placeholderPipeline(input),
    dominantColourPipeline(input),
  ]);
}

/** CPU time (every thread of the process, libvips' included) of one piece of work, in ms. */
async function cpuTimed(work: () => Promise<unknown>): Promise<number> {
  const started = process.cpuUsage();
  await work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** One full decode, then each output's encode from ready pixels, each timed alone. */
async function floorMs(input: Buffer, runs: number): Promise<number> {
  // The decode of the image as displayed (orientation applied), as the pipeline must produce it.
  const decode = median(await repeat(runs, () => timed(() => sharp(input, { autoOrient: true }).raw().toBuffer())));
  const full = await sharp(input, { autoOrient: true }).raw().toBuffer({ resolveWithObject: true });
  const raw = (pixels: typeof full) => sharp(pixels.data, { raw: { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels } });
  let encodes = 0;
  for (const [side, format] of OUTPUTS) {
    const pixels = side ? await sharp(input).resize(side, side).raw().toBuffer({ resolveWithObject: true }) : full;
    encodes += median(await repeat(runs, () => timed(() => encoder(raw(pixels), format, side !== undefined).toBuffer())));
  }
  return decode + encodes;
}

async function repeat(runs: number, work: () => Promise<number>): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) times.push(await work());
  return times;
}

/** Resident memory of a fresh process (sharp loaded) before one piece of work, and its peak. */
function memoryOf(mode: 'pipeline' | 'independent', input: Buffer): { idleMiB: number; peakMiB: number } {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'nna-variants-'));
  const file = path.join(directory, 'input.jpg');
  writeFileSync(file, input);
  const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'variants-memory-child.js');
  try {
    return JSON.parse(execFileSync(process.execPath, [child, mode, file], { encoding: 'utf8' })) as { idleMiB: number; peakMiB: number };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function originalsPerSecond(input: Buffer, count: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next++ < count) await renderVariants(input, OPTIONS);
  };
  const ms = await timed(() => Promise.all([worker(), worker()]));
  return count / (ms / 1000);
}

/**
 * The original-size JPEG of an EXIF-rotated original, alone (decode, rotate, encode): both methods
 * must make it, and nothing can start it sooner, so it bounds how far below one pipeline per output
 * any design can go.
 */
function reencodeAlone(input: Buffer): Promise<Buffer> {
  return encoder(sharp(input, { autoOrient: true }), 'jpeg', false).toBuffer();
}

async function measure(label: string, input: Buffer, runs: number, goal: number, reencodes = false): Promise<Figure[]> {
  await renderVariants(input, OPTIONS);
  await independentPipelines(input);
  const ours: number[] = [];
  const theirs: number[] = [];
  const alone: number[] = [];
  for (let run = 0; run < runs; run++) {
    ours.push(await timed(() => renderVariants(input, OPTIONS)));
    theirs.push(await timed(() => independentPipelines(input)));
    if (reencodes) alone.push(await timed(() => reencodeAlone(input)));
  }
  // CPU time barely depends on what else loads the machine, unlike wall time: for information.
  const oursCpu: number[] = [];
  const theirsCpu: number[] = [];
  for (let run = 0; run < runs; run++) {
    oursCpu.push(await cpuTimed(() => renderVariants(input, OPTIONS)));
    theirsCpu.push(await cpuTimed(() => independentPipelines(input)));
  }
  const floor = await floorMs(input, runs);
  const oursMs = median(ours);
  const figures: Figure[] = [
    { name: `${label}: this pipeline`, value: oursMs, unit: 'ms', note: `median of ${runs}` },
    { name: `${label}: one pipeline per output`, value: median(theirs), unit: 'ms' },
    { name: `${label}: ratio to one pipeline per output`, value: oursMs / median(theirs), unit: 'x', goal: { comparison: '<=', target: goal } },
    { name: `${label}: CPU time ratio to one pipeline per output (for information)`, value: median(oursCpu) / median(theirsCpu), unit: 'x' },
    { name: `${label}: floor (one decode + each encode alone)`, value: floor, unit: 'ms' },
    { name: `${label}: ratio to the floor`, value: oursMs / floor, unit: 'x', goal: { comparison: '<=', target: 1.15 } },
  ];
  if (reencodes) {
    figures.push(
      { name: `${label}: the original-size JPEG alone (decode, rotate, encode), interleaved`, value: median(alone), unit: 'ms' },
      {
        name: `${label}: lowest reachable ratio (that JPEG alone / one pipeline per output)`,
        value: median(alone) / median(theirs),
        unit: 'x',
        note:
          'the floor: both methods must decode, rotate and re-encode the full-size JPEG; a goal below it is unreachable without lossless JPEG rotation (libvips has none) or keeping the orientation tag, which changes the output for decoders that ignore EXIF (Android BitmapFactory, for one)',
      },
    );
  }
  return figures;
}

export async function runVariantsBench(): Promise<BenchResult> {
  const large = await photoJpeg(3000, 3000);
  const medium = await photoJpeg(600, 600);
  // The same photo with EXIF orientation 6: the original-size JPEG must be re-encoded.
  const rotated = await sharp(large).withMetadata({ orientation: 6 }).jpeg({ quality: 90 }).toBuffer();
  const figures: Figure[] = [
    ...(await measure('3000x3000 JPEG', large, 7, 0.5)),
    ...(await measure('600x600 JPEG', medium, 25, 0.8)),
    ...(await measure('3000x3000 JPEG, EXIF-rotated (re-encode path)', rotated, 5, 0.5, true)),
  ];
  const ours = memoryOf('pipeline', large);
  const oursRotated = memoryOf('pipeline', rotated);
  const theirs = memoryOf('independent', large);
  figures.push(
    { name: 'process with sharp loaded, before the work', value: ours.idleMiB, unit: 'MiB RSS' },
    { name: 'peak, this pipeline, 3000x3000', value: ours.peakMiB, unit: 'MiB RSS' },
    { name: 'peak, this pipeline, 3000x3000 EXIF-rotated (re-encode path)', value: oursRotated.peakMiB, unit: 'MiB RSS' },
    { name: 'peak, one pipeline per output, 3000x3000', value: theirs.peakMiB, unit: 'MiB RSS' },
    { name: 'originals per second, 3000x3000, two in flight', value: await originalsPerSecond(large, 16), unit: '1/s' },
    { name: 'originals per second, 600x600, two in flight', value: await originalsPerSecond(medium, 60), unit: '1/s' },
  );
  return writeResult(
    'variants',
    'variant generation',
    'Variant generation in process on photo-like JPEGs (gradients with grain, quality 90): 150 and 500 squares in JPEG and WebP, the original-size JPEG, placeholder and dominant colour, made by both methods (one pipeline per output makes the placeholder from a 100 px square and the colour from a 150 px square, as this pipeline does). Each figure pair interleaved in one run. The original-size JPEG of an upright sRGB JPEG is the original with its metadata removed losslessly (no decode, no encode); the EXIF-rotated rows show the re-encode path. sharp.concurrency() is left at its default; encodes run concurrently on the libuv pool.',
    figures,
  );
}
