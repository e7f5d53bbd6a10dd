/** The long side of a material photo: enough to read an A4 page's small print, small enough to send offline. */
const PHOTO_LONG_SIDE = 1600;
const QUALITIES = [0.82, 0.7, 0.6, 0.5, 0.4];

/**
 * One frame as a JPEG data URL, its long side at most PHOTO_LONG_SIDE, at the best quality whose base64
 * fits `budget` characters; null if even the lowest quality is too large.
 */
export function encodePhoto(source: CanvasImageSource, width: number, height: number, budget: number): string | null {
  const scale = Math.min(1, PHOTO_LONG_SIDE / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  try {
    const context = canvas.getContext('2d');
    if (!context) return null;
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    for (const quality of QUALITIES) {
      const dataUrl = canvas.toDataURL('image/jpeg', quality);
      if (dataUrl.length - dataUrl.indexOf(',') - 1 <= budget) return dataUrl;
    }
    return null;
  } finally {
    // The pixels of someone's document: release them now rather than whenever the canvas is collected.
    canvas.width = 0;
    canvas.height = 0;
  }
}
