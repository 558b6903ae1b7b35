/** The image work alone: every output read back with sharp, for each kind of original. */
import { expect } from 'chai';
import sharp from 'sharp';
import { thumbHashToRGBA } from 'thumbhash';
import { stripJpegMetadata } from '../../functions/variants/jpeg-metadata-strip.js';
import { dominantColorOf, renderVariants, UndecodableImageError, type Pixels, type RenderedSet } from '../../functions/variants/render-variants.js';
import { alphaPng, animatedWebp, cmykJpeg, orientedJpeg, photoJpeg, truncatedJpeg } from '../../scripts/lib/sample-images.js';

const DEFAULTS = { crop: 'cover-centre', originalWebp: false, originalAvif: false } as const;

function output(set: RenderedSet, size: string, format: string): Buffer {
  const found = set.variants.find((variant) => variant.size === size && variant.format === format);
  if (!found) throw new Error(`no ${size}.${format}`);
  return found.data;
}

async function pixelAt(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const index = (y * info.width + x) * info.channels;
  return [...data.subarray(index, index + 3)];
}

describe('variant rendering', function () {
  this.timeout(60_000);

  it("finds the same dominant colour as sharp's stats(), ties included", async () => {
    const hex = ({ r, g, b }: { r: number; g: number; b: number }) => `#${[r, g, b].map((value) => value.toString(16).padStart(2, '0')).join('')}`;
    const noise = Buffer.alloc(150 * 150 * 3);
    for (let index = 0; index < noise.length; index++) noise[index] = (index * 2654435761) >>> 24;
    // Two halves of one size: two bins tie, and stats() must decide.
    const halves = Buffer.alloc(150 * 150 * 3);
    for (let index = 0; index < halves.length; index += 3) halves.set(index < halves.length / 2 ? [250, 10, 10] : [10, 10, 250], index);
    const pictures: Pixels[] = [
      { data: noise, width: 150, height: 150, channels: 3 },
      { data: halves, width: 150, height: 150, channels: 3 },
    ];
    for (const [width, height] of [
      [150, 150],
      [600, 600],
      [97, 150],
    ] as const) {
      const { data, info } = await sharp(await photoJpeg(width, height))
        .raw()
        .toBuffer({ resolveWithObject: true });
      pictures.push({ data, width: info.width, height: info.height, channels: info.channels as 3 });
    }
    for (const pixels of pictures) {
      const { dominant } = await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } }).stats();
      expect(await dominantColorOf(pixels)).to.equal(hex(dominant));
    }
  });

  it('makes every size in JPEG and WebP, and original-size WebP and AVIF when asked', async () => {
    const set = await renderVariants(await photoJpeg(1600, 1000), { crop: 'cover-centre', originalWebp: true, originalAvif: true });
    const expected: Record<string, [number, number, string]> = {
      '150.jpg': [150, 150, 'jpeg'],
      '150.webp': [150, 150, 'webp'],
      '500.jpg': [500, 500, 'jpeg'],
      '500.webp': [500, 500, 'webp'],
      'original.jpg': [1600, 1000, 'jpeg'],
      'original.webp': [1600, 1000, 'webp'],
      'original.avif': [1600, 1000, 'heif'],
    };
    expect(set.variants.map((variant) => `${variant.size}.${variant.format}`).sort()).to.deep.equal(Object.keys(expected).sort());
    for (const variant of set.variants) {
      const metadata = await sharp(variant.data).metadata();
      const [width, height, format] = expected[`${variant.size}.${variant.format}`]!;
      expect([metadata.width, metadata.height, metadata.format], `${variant.size}.${variant.format}`).to.deep.equal([width, height, format]);
      expect([variant.width, variant.height]).to.deep.equal([width, height]);
      expect(metadata.space).to.equal('srgb');
    }
    expect(set.original).to.deep.equal({ width: 1600, height: 1000, format: 'jpeg' });
  });

  it('applies the EXIF orientation before cropping, then drops the tag', async () => {
    const set = await renderVariants(await orientedJpeg(), DEFAULTS);
    expect(set.original).to.include({ width: 200, height: 400 });
    const full = output(set, 'original', 'jpg');
    const metadata = await sharp(full).metadata();
    expect([metadata.width, metadata.height, metadata.orientation]).to.deep.equal([200, 400, undefined]);
    // Displayed: red above, blue below.
    const top = await pixelAt(full, 100, 20);
    const bottom = await pixelAt(full, 100, 380);
    expect(top[0]).to.be.greaterThan(200);
    expect(top[2]).to.be.lessThan(60);
    expect(bottom[2]).to.be.greaterThan(200);
    expect(bottom[0]).to.be.lessThan(60);
    const small = output(set, '500', 'jpg');
    expect((await pixelAt(small, 100, 5))[0]).to.be.greaterThan(200);
  });

  it('converts a CMYK JPEG to sRGB with its colour', async () => {
    const set = await renderVariants(await cmykJpeg(), DEFAULTS);
    for (const variant of set.variants) {
      const metadata = await sharp(variant.data).metadata();
      expect([metadata.space, metadata.channels], `${variant.size}.${variant.format}`).to.deep.equal(['srgb', 3]);
    }
    const [red, green, blue] = await pixelAt(output(set, '500', 'jpg'), 200, 200);
    expect(green).to.be.greaterThan(red! + 60);
    expect(green).to.be.greaterThan(blue! + 40);
    expect(set.dominantColor).to.match(/^#[0-9a-f]{2}[89a-f][0-9a-f]{3}$/);
  });

  it('flattens a PNG with alpha onto white for JPEG and keeps the alpha in WebP', async () => {
    const set = await renderVariants(await alphaPng(), DEFAULTS);
    for (const [size, corner] of [
      ['500', 5],
      ['150', 2],
      ['original', 5],
    ] as const) {
      const jpeg = output(set, size, 'jpg');
      expect((await sharp(jpeg).metadata()).channels).to.equal(3);
      expect(
        (await pixelAt(jpeg, corner, corner)).every((value) => value > 245),
        `${size} corner is white`,
      ).to.equal(true);
    }
    expect((await sharp(output(set, '500', 'webp')).metadata()).hasAlpha).to.equal(true);
    expect(set.dominantColor).to.equal('#f8f8f8');
  });

  it('takes the first frame of an animated WebP', async () => {
    const set = await renderVariants(await animatedWebp(), DEFAULTS);
    for (const variant of set.variants) {
      const metadata = await sharp(variant.data, { pages: -1 }).metadata();
      expect(metadata.pages ?? 1, `${variant.size}.${variant.format} is one frame`).to.equal(1);
      expect([variant.width, variant.height]).to.deep.equal(variant.size === '150' ? [150, 150] : [200, 200]);
      const [red, green] = await pixelAt(variant.data, 10, 10);
      expect(red).to.be.greaterThan(200);
      expect(green).to.be.lessThan(50);
    }
  });

  it('strips EXIF from a JPEG original without re-encoding its pixels', async () => {
    const original = await photoJpeg(800, 600, { copyright: 'Someone Private' });
    expect((await sharp(original).metadata()).exif).to.not.equal(undefined);
    const set = await renderVariants(original, DEFAULTS);
    const full = output(set, 'original', 'jpg');
    expect((await sharp(full).metadata()).exif).to.equal(undefined);
    expect(full.includes('Someone Private')).to.equal(false);
    const [before, after] = await Promise.all([sharp(original).raw().toBuffer(), sharp(full).raw().toBuffer()]);
    expect(after.equals(before), 'the same pixels, bit for bit').to.equal(true);
  });

  it('leaves nothing it does not understand to the stripper (a truncated JPEG)', async () => {
    expect(stripJpegMetadata(await truncatedJpeg())).to.equal(undefined);
    expect(stripJpegMetadata(Buffer.from('not a jpeg'))).to.equal(undefined);
  });

  it('crops by the configured strategy', async () => {
    const wide = await sharp({ create: { width: 900, height: 300, channels: 3, background: '#808080' } })
      .composite([{ input: await photoJpeg(200, 200), left: 680, top: 50 }])
      .png()
      .toBuffer();
    const centre = await renderVariants(wide, DEFAULTS);
    const entropy = await renderVariants(wide, { ...DEFAULTS, crop: 'cover-entropy' });
    // The centre crop is flat grey; the entropy crop moves to the detailed part on the right.
    const stats = async (set: RenderedSet) => (await sharp(output(set, '500', 'webp')).stats()).entropy;
    expect(await stats(entropy)).to.be.greaterThan((await stats(centre)) + 1);
  });

  it('refuses an original that cannot be decoded, as permanent', async () => {
    for (const bytes of [await truncatedJpeg(), Buffer.from('GIF89a but not really')]) {
      const error = await renderVariants(bytes, DEFAULTS).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(UndecodableImageError);
      expect(error).to.have.property('code', 'UNDECODABLE_IMAGE');
    }
  });

  it('makes a ThumbHash placeholder that decodes back to the picture', async () => {
    const set = await renderVariants(await cmykJpeg(), DEFAULTS);
    const decoded = thumbHashToRGBA(Buffer.from(set.placeholder, 'base64'));
    expect(decoded.rgba[1]).to.be.greaterThan(decoded.rgba[0]! + 40);
  });
});
