/**
 * A params cell in the app: its inputs, shown before the cell has run. They are built again when
 * the declaration changes; otherwise a run only shows the params' new values in them.
 */
import type { ParamsResult } from '../notebook/cells/params.ts';
import type { CellKindView, CellOutput, OutputHost, Place } from './cell-kind-view.ts';
import { renderParamInputs, showParamValues } from './param-inputs.ts';
import type { CellBlock } from '../notebook/types.ts';

class ParamsOutput implements CellOutput<ParamsResult> {
  private inputs: HTMLElement | null = null;
  private inputsSpec = '';

  constructor(private readonly host: OutputHost) {}

  show(_value: ParamsResult, block: CellBlock, place: Place): void {
    this.showBlock(block, place);
  }

  showBlock(block: CellBlock, place: Place): void {
    const spec = block.spec;
    if (spec?.kind !== 'params') return;
    const signature = JSON.stringify(spec.params);
    // Not placed any more (an error took its place): built again, as for a new declaration.
    if (!this.inputs || signature !== this.inputsSpec || !this.inputs.parentElement) {
      this.inputsSpec = signature;
      this.inputs = renderParamInputs(spec.params, this.host.params(), this.host.setParam);
      place(this.inputs);
    } else {
      showParamValues(this.inputs, this.host.params());
    }
  }
}

export const paramsCellView: CellKindView<ParamsResult> = {
  label: 'Inputs',
  language: 'yaml',
  add: {
    label: 'Inputs',
    stem: 'inputs',
    body: ({ freeName }) =>
      `- {name: ${freeName('threshold')}, input: range, label: Threshold, min: 0, max: 1, step: 0.05, value: 0.5}\n`,
  },
  output: (host) => new ParamsOutput(host),
};
