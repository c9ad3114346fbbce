import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/version.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'sap-rl.js');

describe('sap-rl CLI', () => {
  it('prints its version', () => {
    const out = execFileSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
    expect(out.trim()).to.match(/^\d+\.\d+\.\d+$/);
  });
});
