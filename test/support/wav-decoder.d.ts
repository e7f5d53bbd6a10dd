/** Types for `wav-decoder` (npm, MIT), which ships none: the tests' independent WAV reader. */
declare module 'wav-decoder' {
  interface AudioData {
    sampleRate: number;
    channelData: Float32Array[];
  }
  const WavDecoder: {
    decode(source: ArrayBuffer | Uint8Array, options?: { symmetric?: boolean }): Promise<AudioData>;
  };
  export default WavDecoder;
}
