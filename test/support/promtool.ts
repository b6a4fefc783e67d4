import { spawnSync } from 'node:child_process';

/** Runs promtool (Debian's `prometheus` package); fails loudly when it is not installed. */
export function promtool(args: string[], input?: string): { status: number; output: string } {
  const result = spawnSync('promtool', args, { input, encoding: 'utf8' });
  if (result.error) {
    throw new Error(`promtool could not run (${result.error.message}); install it with: apt-get install prometheus`);
  }
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** `promtool check metrics` findings for an exposition; "" when it has nothing to say. */
export function checkMetrics(exposition: string): string {
  const { output } = promtool(['check', 'metrics'], exposition);
  return output.trim();
}
