// torch.nn.utils: gradient clipping, parameter vectors, weight and spectral normalisation,
// parametrizations, fusion, memory format, skip_init, and the rnn and stateless helpers.
export { clipGradNorm_, clipGradNorm, clipGradValue_, getTotalNorm, clipGradsWithNorm_ } from "./clip-grad.js";
export { parametersToVector, vectorToParameters } from "./convert-parameters.js";
export { weightNorm, removeWeightNorm } from "./weight-norm.js";
export { spectralNorm, removeSpectralNorm } from "./spectral-norm.js";
export { fuseConvBnEval, fuseConvBnWeights, fuseLinearBnEval, fuseLinearBnWeights } from "./fusion.js";
export { convertConv2dWeightMemoryFormat, convertConv3dWeightMemoryFormat } from "./memory-format.js";
export { skipInit } from "./skip-init.js";
export * as rnn from "./rnn.js";
export * as parametrize from "./parametrize.js";
export * as parametrizations from "./parametrizations.js";
export * as stateless from "./stateless.js";
