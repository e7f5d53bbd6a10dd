import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config, FaceResult, Human } from '@vladmandic/human';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/**
 * Face embeddings at central with `@vladmandic/human` (MIT; its npm package ships the models used here:
 * BlazeFace detector, FaceMesh, and the FaceRes descriptor, 1024 floats) on TensorFlow.js's WASM backend,
 * the same models and backend the kiosk's renderer runs, so the comparison is of like with like and needs
 * no GPU and no native TensorFlow.
 */

/** An image as 8-bit RGB rows, top to bottom. */
export interface RgbImage {
  width: number;
  height: number;
  /** width × height × 3 bytes. */
  data: Uint8Array;
}

/**
 * Similarity at or above which two descriptors are the same person: set from measurement (README
 * 人证核验, `npm run bench -- face` → face.far / face.frr on the labelled set of scripts/face-set.ts).
 */
export const FACE_MATCH_THRESHOLD = 0.6;

/** A detected face smaller than this (box width, px) is too far away to compare reliably. */
export const FACE_MIN_WIDTH_PX = 64;

/** Descriptors below this detector score are not faces worth comparing. */
const FACE_MIN_SCORE = 0.7;

const require = createRequire(import.meta.url);
/**
 * The package's `exports` keys lack their leading "./" (human 3.3.6), so Node cannot resolve its
 * `dist/human.node-wasm` subpath by name; the file sits beside the main entry.
 */
const HUMAN_NODE_WASM = join(dirname(require.resolve('@vladmandic/human')), 'human.node-wasm.js');
const MODELS = join(dirname(require.resolve('@vladmandic/human')), '..', 'models');
const WASM_DIR = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));

/** Human's options for one face, descriptor on, everything else this check does not need off. */
export function humanConfig(modelBasePath: string, wasmPath: string, iris = false): Partial<Config> {
  return {
    backend: 'wasm',
    wasmPath,
    modelBasePath,
    // No warm-up inference at load: it costs seconds on CPU and the first real frame does the same.
    warmup: 'none',
    debug: false,
    cacheSensitivity: 0,
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    gesture: { enabled: false },
    face: {
      enabled: true,
      detector: { rotation: false, maxDetected: 1, minConfidence: 0.5 },
      mesh: { enabled: true },
      iris: { enabled: iris },
      description: { enabled: true },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
  } as Partial<Config>;
}

/**
 * Cosine-free similarity of two descriptors as Human defines it (Minkowski distance, order 2, mapped to
 * 0…1 where 1 is the same image). Throws on descriptors of different lengths: they come from different
 * models and cannot be compared.
 */
export function faceSimilarity(human: Pick<Human, 'match'>, a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) throw new Error('face descriptors of different models');
  return human.match.similarity(a as number[], b as number[]);
}

/** Decodes a JPEG or PNG into RGB; throws `Error('image format')` for anything else or a corrupt file. */
export function decodeImage(bytes: Uint8Array): RgbImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width: number;
  let height: number;
  let rgba: Uint8Array;
  try {
    if (buffer[0] === 0xff && buffer[1] === 0xd8) {
      // maxMemoryUsageInMB bounds what a crafted header can make the decoder allocate.
      const decoded = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 12, maxMemoryUsageInMB: 128 });
      ({ width, height } = decoded);
      rgba = decoded.data;
    } else if (buffer.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
      const decoded = PNG.sync.read(buffer);
      ({ width, height } = decoded);
      rgba = decoded.data;
    } else {
      throw new Error('neither JPEG nor PNG');
    }
  } catch {
    throw new Error('image format');
  }
  const data = new Uint8Array(width * height * 3);
  for (let source = 0, target = 0; source < rgba.length; source += 4) {
    data[target++] = rgba[source] ?? 0;
    data[target++] = rgba[source + 1] ?? 0;
    data[target++] = rgba[source + 2] ?? 0;
  }
  return { width, height, data };
}

let fileRouterRegistered = false;

/** TF.js model artifacts read from disk (tf.io has no file:// loader outside tfjs-node). */
interface ModelJson {
  modelTopology: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
  weightsManifest: Array<{ paths: string[]; weights: unknown[] }>;
}

/**
 * One loaded Human in this process. `load()` once (about a second); `describe()` answers the descriptor
 * of the single clearest face or null when there is none big and clear enough.
 */
export class FaceEngine {
  private human: Human | null = null;
  private loading: Promise<Human> | null = null;

  /** `iris`: also refine the eyes (what the kiosk's liveness check watches; benches and test videos). */
  constructor(private readonly options: { iris?: boolean } = {}) {}

  /** Loads the models from the package's folder; concurrent callers share one load. */
  load(): Promise<Human> {
    if (this.human) return Promise.resolve(this.human);
    // A failed load is not remembered: the next check tries again (a missing file fixed by a technician).
    this.loading ??= this.start().catch((error: unknown) => {
      this.loading = null;
      throw error;
    });
    return this.loading;
  }

  private async start(): Promise<Human> {
    const module = require(HUMAN_NODE_WASM) as { Human: new (config: Partial<Config>) => Human };
    const human = new module.Human(humanConfig(pathToFileURL(MODELS).href + '/', WASM_DIR + '/', this.options.iris ?? false));
    // TF.js is one module for every Human in this process: its file:// loader is registered once.
    if (!fileRouterRegistered) {
      fileRouterRegistered = true;
      human.tf.io.registerLoadRouter((url: string | string[]) => {
        const first = Array.isArray(url) ? url[0] : url;
        if (typeof first !== 'string' || !first.startsWith('file://')) return null;
        return { load: () => Promise.resolve(readModel(fileURLToPath(first))) };
      });
    }
    await human.load();
    this.human = human;
    return human;
  }

  /** The descriptor of the one clear face in `image`, or null (no face, too small, too unsure). */
  async describe(image: RgbImage): Promise<number[] | null> {
    const human = await this.load();
    const tensor = human.tf.tensor4d(image.data, [1, image.height, image.width, 3], 'int32');
    try {
      const result = await human.detect(tensor);
      const face = result.face[0];
      if (!face || face.score < FACE_MIN_SCORE || face.box[2] < FACE_MIN_WIDTH_PX || !face.embedding?.length) return null;
      return face.embedding;
    } finally {
      tensor.dispose();
    }
  }

  /**
   * The eyes of the one face in `image` as boxes (corners and lids, px), or null with no face: what the
   * test-video script closes to make a blink. Human's FaceMesh contour names (MediaPipe's topology).
   */
  async eyes(image: RgbImage): Promise<Array<{ left: number; right: number; top: number; bottom: number }> | null> {
    const face = await this.detectFace(image);
    if (!face) return null;
    return (['left', 'right'] as const).map((side) => {
        const points = [...(face.annotations[`${side}EyeUpper0`] ?? []), ...(face.annotations[`${side}EyeLower0`] ?? [])];
        const xs = points.map((point) => point[0]);
        const ys = points.map((point) => point[1]);
      return { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys) };
    });
  }

  /** Human's full result for the one face in `image` (box, mesh, rotation, descriptor), or null. */
  async detectFace(image: RgbImage): Promise<FaceResult | null> {
    const human = await this.load();
    const tensor = human.tf.tensor4d(image.data, [1, image.height, image.width, 3], 'int32');
    try {
      return (await human.detect(tensor)).face[0] ?? null;
    } finally {
      tensor.dispose();
    }
  }

  /** {@link faceSimilarity} with this engine's Human. */
  async similarity(a: readonly number[], b: readonly number[]): Promise<number> {
    return faceSimilarity(await this.load(), a, b);
  }
}

function readModel(jsonPath: string): object {
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as ModelJson;
  const weights = Buffer.concat(json.weightsManifest.flatMap((group) => group.paths.map((path) => readFileSync(join(dirname(jsonPath), path)))));
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  };
}
