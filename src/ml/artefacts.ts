/**
 * Trained networks as files in the TF.js Layers format (model.json + weights.bin), loadable with
 * `tf.loadLayersModel` in any TF.js runtime. The network trains as plain variables (mlp.ts); for
 * export it is rebuilt as an equivalent tf.sequential model, given the same weights and saved
 * through a save handler that only collects the bytes: the caller decides where they go (a
 * folder in Node, a download in the browser).
 */
import * as tf from '@tensorflow/tfjs';
import type { Mlp } from './mlp.ts';

/** A named file's bytes. */
export interface ArtefactFile {
  name: string;
  bytes: Uint8Array;
}

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** The Keras-equivalent model of an Mlp, with its current weights. Dispose it after use. */
export function toLayersModel(mlp: Mlp, name: string): tf.Sequential {
  const sizes = mlp.spec.sizes;
  const model = tf.sequential({ name });
  for (let l = 0; l + 1 < sizes.length; l++) {
    const last = l + 2 === sizes.length;
    model.add(
      tf.layers.dense({
        units: sizes[l + 1]!,
        activation: last ? (mlp.spec.output === 'sigmoid' ? 'sigmoid' : 'linear') : 'relu',
        ...(l === 0 ? { inputShape: [sizes[0]!] } : {}),
      }),
    );
  }
  const weights = mlp.layerWeights().flatMap((w) => [tf.tensor2d(w.kernel, w.shape), tf.tensor1d(w.bias)]);
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

/** model.json and weights.bin of the network, plus any `extra` JSON files (e.g. preprocessing). */
export async function mlpArtefacts(mlp: Mlp, name: string): Promise<ArtefactFile[]> {
  const model = toLayersModel(mlp, name);
  try {
    let files: ArtefactFile[] = [];
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weightData = artifacts.weightData
          ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
          : new ArrayBuffer(0);
        const json: tf.io.ModelJSON = {
          modelTopology: artifacts.modelTopology!,
          format: artifacts.format,
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy,
          weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
        };
        files = [
          { name: MODEL_JSON, bytes: new TextEncoder().encode(JSON.stringify(json)) },
          { name: WEIGHTS_BIN, bytes: new Uint8Array(weightData) },
        ];
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    return files;
  } finally {
    model.dispose();
  }
}

/** Load model.json + weights.bin bytes back into a Layers model (tests, and re-scoring later). */
export async function loadLayersModelFromFiles(files: ArtefactFile[]): Promise<tf.LayersModel> {
  const get = (name: string) => {
    const f = files.find((x) => x.name === name);
    if (!f) throw new Error(`missing ${name}`);
    return f.bytes;
  };
  const json = JSON.parse(new TextDecoder().decode(get(MODEL_JSON))) as tf.io.ModelJSON;
  const weights = get(WEIGHTS_BIN);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0]!.weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    }),
  );
}
