/**
 * Images made at run time for the variant tests and benchmarks: nothing binary is committed, and
 * each image has exactly the property a test needs (orientation, CMYK, alpha, animation, damage).
 */
import sharp from 'sharp';

/** A photo-like picture: smooth gradients with film-grain noise, which compresses like a photo. */
export async function photoJpeg(width: number, height: number, options: { quality?: number; copyright?: string } = {}): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const grain = (seed >> 16) % 48;
      const index = (y * width + x) * 3;
      pixels[index] = Math.min(255, ((x * 200) / width + grain) | 0);
      pixels[index + 1] = Math.min(255, ((y * 200) / height + grain) | 0);
      pixels[index + 2] = Math.min(255, (((x + y) * 100) / (width + height) + 60 + grain) | 0);
    }
  }
  let image = sharp(pixels, { raw: { width, height, channels: 3 } }).blur(0.8);
  if (options.copyright) image = image.withExif({ IFD0: { Copyright: options.copyright } });
  return image.jpeg({ quality: options.quality ?? 90 }).toBuffer();
}

/**
 * Stored 400x200 (left half red, right half blue) with EXIF orientation 6: displayed 200x400,
 * red on top, blue below.
 */
export async function orientedJpeg(): Promise<Buffer> {
  const left = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#ff0000' } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 400, height: 200, channels: 3, background: '#0000ff' } })
    .composite([{ input: left, left: 0, top: 0 }])
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 95 })
    .toBuffer();
}

/** A CMYK JPEG (print workflows still send these), mid green. */
export async function cmykJpeg(width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#20a040' } })
    .toColourspace('cmyk')
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** A 400x300 PNG, fully transparent except an opaque red 100x100 square in the middle. */
export async function alphaPng(): Promise<Buffer> {
  const square = await sharp({ create: { width: 100, height: 100, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 1 } } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 400, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: square, left: 150, top: 100 }])
    .png()
    .toBuffer();
}

/** A three-frame animated WebP, 200x200: red, then green, then blue. */
export async function animatedWebp(): Promise<Buffer> {
  const side = 200;
  const frames = [
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
  ];
  const pixels = Buffer.alloc(side * side * 3 * frames.length);
  frames.forEach((colour, frame) => {
    for (let pixel = 0; pixel < side * side; pixel++) pixels.set(colour, (frame * side * side + pixel) * 3);
  });
  return sharp(pixels, { raw: { width: side, height: side * frames.length, channels: 3, pageHeight: side } })
    .webp({ lossless: true, loop: 0, delay: [100, 100, 100] })
    .toBuffer();
}

/** A JPEG cut off halfway: the header reads, the pixels do not. */
export async function truncatedJpeg(): Promise<Buffer> {
  const whole = await photoJpeg(600, 600);
  return whole.subarray(0, Math.floor(whole.length / 2));
}
