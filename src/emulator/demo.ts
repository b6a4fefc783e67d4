// The demo scenario of `npm run demo`, `npm run emulator` and the compose demo profile: each emulated
// cloud's demo accounts (emulator/<cloud>/demo.ts), whose scans change within seconds. The keys are
// fakes that only this emulator accepts; demo/config.yaml reads them from the environment below.
import { CLOUDS, demoOptions } from './registry.js';
import type { EmulatorOptions } from './server.js';

export const DEMO_EMULATOR_PORT = 18080;

/** The variables demo/config.yaml expects. */
export const DEMO_ENVIRONMENT: Readonly<Record<string, string>> = Object.fromEntries(
  CLOUDS.flatMap((cloud) => Object.entries(cloud.demo.environment)),
);

export function demoEmulatorOptions(): EmulatorOptions {
  return demoOptions();
}
