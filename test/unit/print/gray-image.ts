import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

/** An 8-bit grayscale raster. */
export interface GrayImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/**
 * Rasterises the first page of a PDF with poppler's pdftoppm (72 dpi, grayscale, PNG) and returns both
 * the PNG file (for references a person can open) and its pixels.
 */
export function rasterise(pdf: Uint8Array, dpi = 72): { png: Buffer; image: GrayImage } {
  const directory = mkdtempSync(join(tmpdir(), 'print-visual-'));
  try {
    writeFileSync(join(directory, 'in.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', '-singlefile', join(directory, 'in.pdf'), join(directory, 'out')]);
    const png = readFileSync(join(directory, 'out.png'));
    return { png, image: decodeGrayPng(png) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * Decodes the PNGs pdftoppm writes: 8-bit gray or RGB (poppler writes RGB even with -gray), not
 * interlaced, into gray levels. Enough for comparisons, no package.
 */
export function decodeGrayPng(png: Buffer): GrayImage {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 1;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || (body[9] !== 0 && body[9] !== 2) || body[12] !== 0) throw new Error('expected an 8-bit gray or RGB, non-interlaced PNG');
      channels = body[9] === 2 ? 3 : 1;
    } else if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const samples = new Uint8Array(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x += 1) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= channels ? (samples[y * stride + x - channels] ?? 0) : 0;
      const up = y > 0 ? (samples[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= channels && y > 0 ? (samples[(y - 1) * stride + x - channels] ?? 0) : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) {
        const estimate = left + up - upLeft;
        const [toLeft, toUp, toUpLeft] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
        predicted = toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
      }
      samples[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height);
  for (let index = 0; index < pixels.length; index += 1) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel += 1) sum += samples[index * channels + channel] ?? 0;
    pixels[index] = Math.round(sum / channels);
  }
  return { width, height, pixels };
}

/**
 * Share of pixels whose gray levels differ by more than `threshold`. Sizes may differ by a pixel or two
 * (A4 is 595.28 × 841.89 pt; some producers round it), and then the common area is compared; a larger
 * size difference counts as everything different.
 */
export function differingShare(actual: GrayImage, expected: GrayImage, threshold = 48): number {
  if (Math.abs(actual.width - expected.width) > 2 || Math.abs(actual.height - expected.height) > 2) return 1;
  const width = Math.min(actual.width, expected.width);
  const height = Math.min(actual.height, expected.height);
  let differing = 0;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const difference = Math.abs((actual.pixels[y * actual.width + x] ?? 0) - (expected.pixels[y * expected.width + x] ?? 0));
      if (difference > threshold) differing += 1;
    }
  }
  return differing / (width * height);
}

/** Averages `factor` × `factor` blocks: comparisons that must survive sub-pixel shifts (a re-rendered PDF). */
export function downsample(image: GrayImage, factor: number): GrayImage {
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy += 1)
        for (let dx = 0; dx < factor; dx += 1) sum += image.pixels[(y * factor + dy) * image.width + x * factor + dx] ?? 0;
      pixels[y * width + x] = Math.round(sum / (factor * factor));
    }
  }
  return { width, height, pixels };
}

/** Of the blocks with ink (darker than near-white) in either image, the share that differ by more than `threshold`. */
export function inkMismatch(actual: GrayImage, expected: GrayImage, threshold = 64): number {
  const width = Math.min(actual.width, expected.width);
  const height = Math.min(actual.height, expected.height);
  let inked = 0;
  let differing = 0;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const [a, b] = [actual.pixels[y * actual.width + x] ?? 255, expected.pixels[y * expected.width + x] ?? 255];
      if (a > 230 && b > 230) continue;
      inked += 1;
      if (Math.abs(a - b) > threshold) differing += 1;
    }
  }
  return inked === 0 ? 0 : differing / inked;
}
