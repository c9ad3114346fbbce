import type { Command } from 'commander';
import { writePlots } from '../../report/plot.js';
import { readResults } from '../../report/results-file.js';
import { UserError } from '../errors.js';

export function registerPlot(program: Command): void {
  program
    .command('plot')
    .description('draw reward-vs-lambda curves (95% CI bands) and rewards per episode from results CSVs: SVG, PNG and an index.html')
    .argument('<results...>', 'results CSV files (from play, batch or collect)')
    .option('--out <dir>', 'output folder', 'results/plots')
    .action(async (files: string[], flags: { out: string }) => {
      const rows = files.flatMap((f) => readResults(f));
      if (rows.length === 0) throw new UserError(`${files.join(', ')} hold no finished episodes; nothing to plot`);
      const { files: written, index } = await writePlots(rows, flags.out, files);
      for (const f of written) console.log(f);
      console.log(`report: ${index}`);
    });
}
