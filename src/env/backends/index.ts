import { UserError } from '../../cli/errors.js';
import type { BackendName, EmulatorBackend } from '../backend.js';
import { BACKEND_NAMES } from '../backend.js';
import { AlePyBackend } from './ale-py.js';
import { JsBackend } from './js.js';

/**
 * The backend used when none is named: our own emulator (src/atari/), which agrees with
 * ale-py 0.12.1 frame for frame on the ten target games (test/atari/js-backend-parity.test.ts,
 * `npm run parity`). `--backend ale-py` selects the reference.
 */
export const DEFAULT_BACKEND: BackendName = 'js';

export function parseBackendName(name: string, flag = '--backend'): BackendName {
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  throw new UserError(`${flag} must be one of ${BACKEND_NAMES.join(', ')}, not '${name}'`);
}

export function createBackend(name: BackendName): EmulatorBackend {
  switch (name) {
    case 'ale-py':
      return new AlePyBackend();
    case 'js':
      return new JsBackend();
  }
}
