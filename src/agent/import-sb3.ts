/**
 * Stable-Baselines3 / RL Zoo DQN zips. The outer zip holds
 *
 *   policy.pth   torch.save of the DQNPolicy state_dict (itself a torch zip)
 *   data         JSON: hyperparameters, spaces, policy_kwargs ...
 *   (policy.optimizer.pth, pytorch_variables.pth, _stable_baselines3_version, system_info.txt)
 *
 * With the default CnnPolicy (NatureCNN) the Q-network keys are
 *   q_net.features_extractor.cnn.{0,2,4}.*   conv 32/64/64
 *   q_net.features_extractor.linear.0.*      linear 3136 -> 512 (+ ReLU)
 *   q_net.q_net.0.*                          linear 512 -> n
 * and q_net_target.* duplicates them (ignored). SB3 divides image observations by
 * 255 in preprocessing unless policy_kwargs.normalize_images is false; the
 * imported network does the same inside.
 *
 * Nothing in `data` is unpickled: only its plain JSON fields are read.
 */
import { unzipSync } from 'fflate';
import { UserError } from '../cli/errors.js';
import type { Agent } from './agent-store.js';
import { readCheckpoint, saveImportedAgent, type ImportOptions } from './import-common.js';
import { gameId, minimalActions } from './minimal-actions.js';
import type { TorchNatureCnnKeys } from './torch-nature-cnn.js';
import { isZip, readStateDict } from './torch/state-dict.js';

export const SB3_KEYS: TorchNatureCnnKeys = {
  convs: ['q_net.features_extractor.cnn.0', 'q_net.features_extractor.cnn.2', 'q_net.features_extractor.cnn.4'],
  hidden: 'q_net.features_extractor.linear.0',
  out: 'q_net.q_net.0',
};

const POLICY = 'policy.pth';
const DATA = 'data';

export async function importSb3(file: string, opts: ImportOptions): Promise<Agent> {
  const game = gameId(opts.game); // fail on a bad --game before reading the file
  const bytes = readCheckpoint(file);
  if (!isZip(bytes)) throw new UserError(`${file}: not a Stable-Baselines3 model zip.`);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => f.name === POLICY || f.name === DATA });
  } catch (e) {
    throw new UserError(`${file}: the zip archive is damaged (${(e as Error).message}).`);
  }
  const policy = entries[POLICY];
  if (!policy) throw new UserError(`${file}: no ${POLICY} inside; is this a Stable-Baselines3 model zip?`);
  const data = entries[DATA] ? parseData(entries[DATA], file) : {};

  const n = actionCount(data);
  if (n !== undefined) {
    const actions = minimalActions(game);
    if (n !== actions.length) {
      throw new UserError(
        `${file}: the model was trained with ${n} actions but ${game}'s minimal action set has ${actions.length}; check --game.`,
      );
    }
  }

  const stateDict = readStateDict(policy, `${file}:${POLICY}`);
  return saveImportedAgent(
    {
      file,
      bytes,
      stateDict,
      keys: SB3_KEYS,
      format: 'sb3',
      formatName: 'Stable-Baselines3 DQN (CnnPolicy)',
      scaleInside: normalizeImages(data),
    },
    { ...opts, game },
  );
}

type Json = Record<string, unknown>;

function parseData(bytes: Uint8Array, file: string): Json {
  try {
    const v: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return typeof v === 'object' && v !== null ? (v as Json) : {};
  } catch (e) {
    throw new UserError(`${file}: its '${DATA}' entry is not valid JSON (${(e as Error).message}).`);
  }
}

/** `action_space.n` as SB3 writes it next to the pickled space (a number or its string form). */
function actionCount(data: Json): number | undefined {
  const space = data['action_space'];
  const n = typeof space === 'object' && space !== null ? (space as Json)['n'] : undefined;
  const v = typeof n === 'number' ? n : typeof n === 'string' ? Number(n) : NaN;
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

function normalizeImages(data: Json): boolean {
  const kw = data['policy_kwargs'];
  return !(typeof kw === 'object' && kw !== null && (kw as Json)['normalize_images'] === false);
}
