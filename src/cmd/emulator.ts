#!/usr/bin/env node
// `npm run emulator`: the emulator of both cloud APIs on its own, with the demo accounts.
import { parseArgs } from 'node:util';
import { DEMO_EMULATOR_PORT, demoEmulatorOptions } from '../emulator/demo.js';
import { CLOUDS } from '../emulator/registry.js';
import { startEmulator } from '../emulator/server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: String(DEMO_EMULATOR_PORT) },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const emulator = await startEmulator({ ...demoEmulatorOptions(), port: Number(values.port), host: values.host });
  process.stdout.write(
    `cloudscan emulator (${CLOUDS.map((cloud) => cloud.title).join(', ')}) listening on ${values.host}:${emulator.port}\n` +
      'control API: GET /_emulator/calls, POST|GET|DELETE /_emulator/faults\n',
  );
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
