import { expect } from 'chai';
import { stats, tQuantile975 } from '../../src/report/summary.js';

describe('summary statistics', () => {
  it('t quantiles match the tables, also beyond df 30', () => {
    expect(tQuantile975(1)).to.equal(12.706);
    expect(tQuantile975(9)).to.equal(2.262);
    // published values: df 40 -> 2.021, 60 -> 2.000, 120 -> 1.980
    expect(tQuantile975(40)).to.be.closeTo(2.021, 0.001);
    expect(tQuantile975(60)).to.be.closeTo(2.0, 0.001);
    expect(tQuantile975(120)).to.be.closeTo(1.98, 0.001);
  });

  it('computes mean, sample std and the 95% CI half-width', () => {
    const s = stats([1, 2, 3, 4, 5]);
    expect(s.mean).to.equal(3);
    expect(s.std).to.be.closeTo(Math.sqrt(2.5), 1e-12);
    expect(s.ci95).to.be.closeTo((2.776 * Math.sqrt(2.5)) / Math.sqrt(5), 1e-12);
    expect(stats([7]).std).to.equal(0);
    expect(Number.isNaN(stats([7]).ci95)).to.equal(true);
  });
});
