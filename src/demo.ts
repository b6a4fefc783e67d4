// `npm run demo`: the built-in emulator of both cloud APIs, and the exporter (the real command, as a
// child process) pointed at it with demo/config.yaml. No cloud account needed.
// `npm run demo -- --organizations`: a Tencent organization and an Alibaba resource directory instead
// (demo/organizations.yaml), whose members join and leave while it runs.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_ENVIRONMENT, DEMO_EMULATOR_PORT, demoEmulatorOptions } from './emulator/demo.js';
import { CHURN_MS, ORGANIZATION_DEMO_ENVIRONMENT, churnMembers, organizationDemoOptions } from './emulator/demo-organizations.js';
import { startEmulator } from './emulator/server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const listen = process.env['CLOUDSCAN_DEMO_LISTEN'] ?? '127.0.0.1:9787';
const emulatorPort = Number(process.env['CLOUDSCAN_DEMO_EMULATOR_PORT'] ?? DEMO_EMULATOR_PORT);
const organizations = process.argv.includes('--organizations');
/** How often the organization demo's members change (ms); tests shorten it. */
const churnMs = Number(process.env['CLOUDSCAN_DEMO_CHURN_MS'] ?? CHURN_MS);

async function main(): Promise<void> {
  const emulator = await startEmulator({ ...(organizations ? organizationDemoOptions() : demoEmulatorOptions()), port: emulatorPort });
  process.stdout.write(`emulator of Tencent Cloud CWP and Alibaba Cloud SAS on ${emulator.url}\n`);
  const stopChurn = organizations ? churnMembers(emulator, (line) => process.stdout.write(`${line}\n`), churnMs) : () => {};
  const config = join(root, 'demo', organizations ? 'organizations.yaml' : 'config.yaml');
  const exporter = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js'), `--config.file=${config}`, `--web.listen-address=${listen}`], {
    env: { ...process.env, ...DEMO_ENVIRONMENT, ...ORGANIZATION_DEMO_ENVIRONMENT, DEMO_EMULATOR_PORT: String(emulator.port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://${listen}/metrics`;
  for (let i = 0; i < 100; i++) {
    if (exporter.exitCode !== null) break;
    const ready = await fetch(`http://${listen}/-/ready`).then((r) => r.ok, () => false);
    if (ready) {
      const watch = organizations
        ? `  members join and leave every ${churnMs / 1000} s: curl -s ${url} | grep ^cloudscan_account_info\n`
        : '';
      process.stdout.write(`\ncloudscan-exporter demo: metrics at ${url}\n  try: curl -s ${url} | grep ^cloudscan_\n${watch}Ctrl-C stops both.\n\n`);
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
    stopChurn();
    void emulator.close().then(() => process.exit(code ?? 0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
