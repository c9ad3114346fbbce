import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/version.js';
import { runCli } from '../helpers/cli.js';

describe('sap-rl CLI', () => {
  it('prints its version through the installed bin script', function () {
    // bin/sap-rl.js runs dist/ (the npm build); skip when this test runs from another build folder
    if (!import.meta.url.includes('/dist/test/')) this.skip();
    const out = execFileSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'sap-rl.js'), '--version'], { encoding: 'utf8' });
    expect(out.trim()).to.match(/^\d+\.\d+\.\d+$/);
  });

  it('--help lists every command', () => {
    const { code, stdout } = runCli(['--help']);
    expect(code).to.equal(0);
    for (const command of ['info', 'roms']) expect(stdout).to.match(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('an unknown command exits with code 2 and no stack trace', () => {
    const { code, stderr } = runCli(['no-such-command']);
    expect(code).to.equal(2);
    expect(stderr).to.match(/unknown command/);
    expect(stderr).not.to.match(/\n\s+at /);
  });
});
