import { UserError } from '../../cli/errors.js';
import type { BackendName, EmulatorBackend } from '../backend.js';
import { BACKEND_NAMES } from '../backend.js';
import { AlePyBackend } from './ale-py.js';

/**
 * The backend used when none is named. The js backend (our own emulator, src/atari/)
 * becomes the default once it is frame-exact with ALE (see the emulator issue).
 */
export const DEFAULT_BACKEND: BackendName = 'ale-py';

export function parseBackendName(name: string, flag = '--backend'): BackendName {
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  throw new UserError(`${flag} must be one of ${BACKEND_NAMES.join(', ')}, not '${name}'`);
}

export function createBackend(name: BackendName): EmulatorBackend {
  switch (name) {
    case 'ale-py':
      return new AlePyBackend();
    case 'js':
      throw new UserError('the js backend (sap-rl\'s own emulator) is not available yet; use --backend ale-py');
  }
}
