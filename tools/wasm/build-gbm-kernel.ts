/** `npm run build:wasm`: regenerate src/ml/gbm/kernel-wasm.ts from kernel.wat (gbm-kernel.ts). */
import { writeFileSync } from 'node:fs';
import { compileKernel, KERNEL_TS, kernelModuleText } from './gbm-kernel.ts';

const bins = await compileKernel();
writeFileSync(KERNEL_TS, kernelModuleText(bins));
console.log(`wrote ${KERNEL_TS} (${bins.shared.length} + ${bins.plain.length} bytes of wasm)`);
