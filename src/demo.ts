// `npm run demo`: the built-in emulator of both cloud APIs, and the exporter (the real command, as a
// child process) pointed at it with demo/config.yaml. No cloud account needed.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_ENVIRONMENT, DEMO_EMULATOR_PORT, demoEmulatorOptions } from './emulator/demo.js';
import { startEmulator } from './emulator/server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const listen = process.env['CLOUDSCAN_DEMO_LISTEN'] ?? '127.0.0.1:9787';
const emulatorPort = Number(process.env['CLOUDSCAN_DEMO_EMULATOR_PORT'] ?? DEMO_EMULATOR_PORT);

async function main(): Promise<void> {
  const emulator = await startEmulator({ ...demoEmulatorOptions(), port: emulatorPort });
  process.stdout.write(`emulator of Tencent Cloud CWP and Alibaba Cloud SAS on ${emulator.url}\n`);
  const exporter = spawn(
    process.execPath,
    [join(root, 'dist', 'src', 'main.js'), `--config.file=${join(root, 'demo', 'config.yaml')}`, `--web.listen-address=${listen}`],
    { env: { ...process.env, ...DEMO_ENVIRONMENT, DEMO_EMULATOR_PORT: String(emulator.port) }, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const url = `http://${listen}/metrics`;
  for (let i = 0; i < 100; i++) {
    if (exporter.exitCode !== null) break;
    const ready = await fetch(`http://${listen}/-/ready`).then((r) => r.ok, () => false);
    if (ready) {
      process.stdout.write(`\ncloudscan-exporter demo: metrics at ${url}\n  try: curl -s ${url} | grep ^cloudscan_\nCtrl-C stops both.\n\n`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = () => {
    exporter.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  exporter.once('exit', (code) => {
    void emulator.close().then(() => process.exit(code ?? 0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
