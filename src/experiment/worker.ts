// A worker thread of the pool (pool.ts): its own tfjs instance and JobCache; it runs the
// jobs it is sent one at a time with runJob and answers each with the row or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { initTf } from '../agent/tf-backend.js';
import { adoptAlePyProbe } from '../env/python.js';
import { JobCache } from './job-cache.js';
import { describeJobError, runJob } from './job.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread of the pool (pool.ts)');
const post = (msg: FromWorker): void => port.postMessage(msg);
const init = workerData as WorkerInit;
const cache = new JobCache();
if (init.alePy) adoptAlePyProbe(init.alePy);

// Jobs come one at a time (the pool waits for each answer), so a simple chain keeps order.
let queue = Promise.resolve();
port.on('message', (msg: ToWorker) => {
  queue = queue.then(async () => {
    if (msg.type === 'stop') {
      try {
        await cache.close();
      } finally {
        port.close(); // nothing else keeps the thread alive: it exits
      }
      return;
    }
    try {
      post({ type: 'done', id: msg.id, row: await runJob(msg.job, cache) });
    } catch (err) {
      post({ type: 'failed', id: msg.id, error: describeJobError(err) });
    }
  });
});

try {
  const tf = await initTf(init.tfBackend);
  post({ type: 'ready', tfBackend: tf.name });
} catch (err) {
  post({ type: 'fatal', error: describeJobError(err) });
  port.close();
}
