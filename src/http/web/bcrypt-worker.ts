// One bcrypt check at a time, off the main thread: at cost 10 a check is ~60 ms of CPU in bcryptjs,
// and 200 clients sending wrong passwords must not stop the event loop from serving scrapes.
import { parentPort } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

export interface CompareJob {
  password: string;
  hash: string;
}

parentPort?.on('message', (job: CompareJob) => {
  let match = false;
  try {
    match = bcrypt.compareSync(job.password, job.hash);
  } catch {
    match = false;
  }
  parentPort?.postMessage(match);
});
