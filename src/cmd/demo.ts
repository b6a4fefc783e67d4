// `npm run demo`: the built-in emulator of both cloud APIs, and the exporter (the real command, as a
// child process) pointed at it with demo/config.yaml. No cloud account needed. docs/demo.md tells
// the variables, the demo accounts and the emulator's control API.
// `npm run demo -- --organizations`: a Tencent organization and an Alibaba resource directory instead
// (demo/organizations.yaml), whose members join and leave while it runs.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DEMO_ENVIRONMENT, DEMO_EMULATOR_PORT, demoEmulatorOptions } from '../emulator/demo.js';
import { CHURN_MS, ORGANIZATION_DEMO_ENVIRONMENT, churnMembers, organizationDemoOptions } from '../emulator/demo-organizations.js';
import { CLOUDS } from '../emulator/registry.js';
import { startEmulator, type Emulator } from '../emulator/server.js';
import { spokenList } from '../base/prose.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DEMO_LISTEN_VARIABLE = 'CLOUDSCAN_DEMO_LISTEN';
const DEMO_EMULATOR_PORT_VARIABLE = 'CLOUDSCAN_DEMO_EMULATOR_PORT';
const listen = process.env[DEMO_LISTEN_VARIABLE] ?? '127.0.0.1:9787';
const emulatorPort = Number(process.env[DEMO_EMULATOR_PORT_VARIABLE] ?? DEMO_EMULATOR_PORT);
const organizations = process.argv.includes('--organizations');
/** How often the organization demo's members change (ms); tests shorten it. */
const churnMs = Number(process.env['CLOUDSCAN_DEMO_CHURN_MS'] ?? CHURN_MS);

async function startDemoEmulator(): Promise<Emulator> {
  try {
    return await startEmulator({ ...(organizations ? organizationDemoOptions() : demoEmulatorOptions()), port: emulatorPort });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new Error(
      `the emulator cannot listen on 127.0.0.1:${emulatorPort}: the port is already in use (another demo, or npm run emulator?).\n` +
        `  Stop it, or give the emulator another port: ${DEMO_EMULATOR_PORT_VARIABLE}=${emulatorPort + 1} npm run demo`,
    );
  }
}

/** What the demo tells once the exporter serves: the status page first, then /metrics, then the emulator. */
function announcement(exporter: string, emulator: string): string {
  const metrics = `${exporter}/metrics`;
  const watch = organizations
    ? `  members join and leave every ${churnMs / 1000} s: curl -s ${metrics} | grep ^cloudscan_account_info\n`
    : '';
  return (
    'cloudscan-exporter demo, against its built-in emulator (no cloud account needed):\n' +
    `  status page  ${exporter}/\n` +
    `  metrics      ${metrics}   try: curl -s ${metrics} | grep ^cloudscan_\n` +
    watch +
    `  emulator     ${emulator}/   a fake of ${spokenList(
      CLOUDS.map((cloud) => cloud.title),
      'and',
    )}, not a real cloud\n` +
    'Ctrl-C stops both.\n'
  );
}

async function main(): Promise<void> {
  const emulator = await startDemoEmulator();
  const stopChurn = organizations ? churnMembers(emulator, (line) => process.stdout.write(`${line}\n`), churnMs) : () => {};
  const config = join(root, 'demo', organizations ? 'organizations.yaml' : 'config.yaml');
  const exporter = spawn(
    process.execPath,
    [join(root, 'dist', 'src', 'cmd', 'main.js'), `--config.file=${config}`, `--web.listen-address=${listen}`],
    {
      env: { ...process.env, ...DEMO_ENVIRONMENT, ...ORGANIZATION_DEMO_ENVIRONMENT, DEMO_EMULATOR_PORT: String(emulator.port) },
      stdio: ['ignore', 'inherit', 'pipe'],
    },
  );
  // The exporter says "listening" once it holds the address: only then is the URL ours. (Asking the
  // address whether it is ready would also get a yes from another process that holds it.)
  let listening = false;
  createInterface({ input: exporter.stderr! }).on('line', (line) => {
    process.stderr.write(`${line}\n`);
    if (listening || !/\bmsg=listening\b/.test(line)) return;
    listening = true;
    process.stdout.write(`\n${announcement(`http://${listen}`, emulator.url)}\n`);
  });
  const stop = () => {
    exporter.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  exporter.once('exit', (code, signal) => {
    stopChurn();
    void emulator.close().then(() => {
      if (!listening) {
        process.stderr.write(
          `demo: the exporter stopped before it was serving (${signal ?? `exit status ${code}`}); its message is above.\n` +
            `  If ${listen} is taken, run the demo on another address: ${DEMO_LISTEN_VARIABLE}=127.0.0.1:9788 npm run demo\n`,
        );
        process.exit(1);
      }
      process.exit(code ?? 0);
    });
  });
}

// What went wrong and what to do, never a stack trace.
main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
