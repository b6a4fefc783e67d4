// Every cloud the emulator fakes, in the order its server asks their handlers. Adding a cloud: its
// folder under emulator/, and one line here.
import type { CloudEmulator, EmulatedCloud } from './kit/handler.js';
import { alibabaEmulated } from './alibaba/emulated.js';
import { tencentEmulated } from './tencent/emulated.js';

const EMULATED_CLOUDS = [tencentEmulated, alibabaEmulated] as const;

type Listed = (typeof EMULATED_CLOUDS)[number];
type OptionsOf<Cloud> = Cloud extends EmulatedCloud<string, infer Options, CloudEmulator> ? Options : never;
type HandlerOf<Cloud> = Cloud extends EmulatedCloud<string, unknown, infer Handler> ? Handler : never;

/** Each emulated cloud's options under its name ({ tencent?: TencentEmulatorOptions, ... }). */
export type EmulatedOptions = { [Cloud in Listed as Cloud['name']]?: OptionsOf<Cloud> };

/** Each emulated cloud's handler under its name: `emulator.tencent` is a TencentEmulator. */
export type EmulatedHandlers = { readonly [Cloud in Listed as Cloud['name']]: HandlerOf<Cloud> };

/** The list, each cloud as any cloud: what code that names no cloud iterates. */
export const CLOUDS: readonly EmulatedCloud[] = EMULATED_CLOUDS;

/**
 * Something of each cloud, under its name. Each value is that cloud's own (`of` is handed the cloud
 * it is asked about), which TypeScript cannot follow through a list: hence the one cast, here.
 */
function byName<Result>(of: (cloud: EmulatedCloud) => unknown): Result {
  return Object.fromEntries(CLOUDS.map((cloud) => [cloud.name, of(cloud)])) as Result;
}

/** Each cloud's handler, started with its options. */
export function startHandlers(options: EmulatedOptions, now: () => number): EmulatedHandlers {
  const given: Readonly<Partial<Record<string, unknown>>> = options;
  return byName((cloud) => cloud.start(given[cloud.name] ?? {}, now));
}

/** Each cloud's options for the demo of `npm run demo` and `npm run emulator`. */
export function demoOptions(): EmulatedOptions {
  return byName((cloud) => cloud.demo.options);
}

/** Each cloud's options for the organization demo: an organization with `members` members. */
export function organizationDemoOptions(members: number): EmulatedOptions {
  return byName((cloud) => cloud.organizationDemo.options(members));
}

/** Each cloud with its running handler: what code that names no cloud iterates. */
export function eachCloud(handlers: EmulatedHandlers): Array<{ cloud: EmulatedCloud; handler: CloudEmulator }> {
  const byName: Readonly<Partial<Record<string, CloudEmulator>>> = handlers;
  return CLOUDS.flatMap((cloud) => {
    const handler = byName[cloud.name];
    return handler === undefined ? [] : [{ cloud, handler }];
  });
}
