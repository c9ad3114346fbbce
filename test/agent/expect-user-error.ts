import { expect } from 'chai';
import { UserError } from '../../src/cli/errors.js';

/** Await `p` (or call `f`) and require a UserError whose message contains every fragment. */
export async function expectUserError(p: Promise<unknown> | (() => unknown), ...fragments: string[]): Promise<UserError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(UserError);
    for (const f of fragments) expect((e as Error).message).to.include(f);
    return e as UserError;
  }
  return expect.fail(`expected a UserError mentioning ${fragments.join(', ')}`);
}
