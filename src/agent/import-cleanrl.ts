/**
 * CleanRL `dqn_atari` checkpoints: `torch.save(q_network.state_dict(), path)`
 * where QNetwork is
 *
 *   self.network = nn.Sequential(
 *     nn.Conv2d(4, 32, 8, stride=4), nn.ReLU(),        # network.0
 *     nn.Conv2d(32, 64, 4, stride=2), nn.ReLU(),       # network.2
 *     nn.Conv2d(64, 64, 3, stride=1), nn.ReLU(),       # network.4
 *     nn.Flatten(),
 *     nn.Linear(3136, 512), nn.ReLU(),                 # network.7
 *     nn.Linear(512, n_actions))                       # network.9
 *   forward(x) = self.network(x / 255.0)
 *
 * so the imported network divides by 255 inside.
 */
import type { Agent } from './agent-store.js';
import { readCheckpoint, saveImportedAgent, type ImportOptions } from './import-common.js';
import { gameId } from './minimal-actions.js';
import type { TorchNatureCnnKeys } from './torch-nature-cnn.js';
import { readStateDict } from './torch/state-dict.js';

export const CLEANRL_KEYS: TorchNatureCnnKeys = {
  convs: ['network.0', 'network.2', 'network.4'],
  hidden: 'network.7',
  out: 'network.9',
};

export async function importCleanRL(file: string, opts: ImportOptions): Promise<Agent> {
  const game = gameId(opts.game); // fail on a bad --game before reading the file
  const bytes = readCheckpoint(file);
  const stateDict = readStateDict(bytes, file);
  return saveImportedAgent(
    { file, bytes, stateDict, keys: CLEANRL_KEYS, format: 'cleanrl', formatName: 'CleanRL dqn_atari', scaleInside: true },
    { ...opts, game },
  );
}
