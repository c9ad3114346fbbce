/** No defense: the network as trained. */
import type { Defense } from './defense.js';

export const dense: Defense = {
  spec: 'dense',
  name: 'dense',
  param: undefined,
  stochastic: false,
  apply(): void {},
};
