/**
 * The card photo is 1024 bytes of WLT, which only licensed vendor libraries decode (to a 102×126
 * 24-bit BMP). There is no open decoder, so there is no implementation here: a kiosk that has a
 * vendor library wraps it in this interface; without one the photo stays undecoded and the UI
 * shows no photo. Never substitute a placeholder image for a citizen's photo.
 */
export type PhotoDecodeResult =
  | { ok: true; bmp: Uint8Array; width: 102; height: 126 }
  | { ok: false; code: 'decoder-unavailable' | 'decode-failed'; detail?: string };

export interface PhotoDecoder {
  /** Must not keep the bytes, log them or write them anywhere but memory (biometric data, PIPL). */
  decode(wlt: Uint8Array): Promise<PhotoDecodeResult>;
}
