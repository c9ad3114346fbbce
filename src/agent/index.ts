/** The agent layer's public API: Q-network load/save, importers, tfjs backend choice. */
export { initTf, ensureTf, activeTfBackend, TF_BACKENDS, type TfBackendName, type TfBackendInfo } from './tf-backend.js';
export { AGENT_FORMAT_VERSION, agentSpecSchema, parseAgentSpec, type AgentSpec, type ObservationSpec, type Provenance } from './agent-spec.js';
export { loadAgent, saveAgent, checkModelMatchesSpec, AGENT_JSON, type Agent, type SaveAgentOptions } from './agent-store.js';
export { buildNatureCnn, natureCnnFeatureShape, NATURE_CNN_LAYERS, type NatureCnnOptions } from './nature-cnn.js';
export { isReluLayer, findReluLayers, fusedActivationLayers, applyLayers } from './relu-layers.js';
export { gameId, minimalActions } from './minimal-actions.js';
export { importCleanRL, CLEANRL_KEYS } from './import-cleanrl.js';
export { importSb3, SB3_KEYS } from './import-sb3.js';
export type { ImportOptions } from './import-common.js';
export { readStateDict, type StateDict } from './torch/state-dict.js';
export { UnsafePickleError } from './torch/pickle.js';
export { QNetwork, type ForwardOptions, type ForwardPass, type ReluRecord, type ReluTransform, type QOp } from './q-network.js';
export { readNpy, writeNpy, parseNpy, encodeNpy, type NpyArray } from './npy.js';
export { readObservations, writeObservations, nchwToNhwc, nhwcToNchw, type ObservationBatch, type ObsLayout } from './observations.js';
