// The shape of the YAML file (snake_case keys), validated strictly: unknown keys are errors. The frame
// (cache, scrape) is here; each cloud's part, a list of its accounts under its name, is its own schema
// (sources/<cloud>/schema.ts), taken from the provider registry, and so is its list of organizations
// (`tencent_organizations:`, `alibaba_resource_directories:`) where it discovers member accounts. Values are checked and converted
// here (durations to seconds, endpoints parsed); defaults, credentials and cross-account checks are
// applied when building the ExporterConfig (build.ts).
import { z } from 'zod';
import { duration } from '../base/config-schema.js';
import type { ProviderEntry } from '../contract/provider.js';
import { PROVIDERS } from '../sources/registry.js';

export function fileSchemaFor(providers: readonly ProviderEntry[]) {
  const accounts: Record<string, z.ZodOptional<z.ZodArray<z.ZodType>>> = {};
  for (const provider of providers) {
    accounts[provider.name] = z.array(provider.accountSchema).optional();
    if (provider.discovery) accounts[provider.discovery.key] = z.array(provider.discovery.schema).optional();
  }
  return z.strictObject({
    cache: z.strictObject({ ttl: duration.optional(), max_stale: duration.optional() }).optional(),
    scrape: z.strictObject({ timeout: duration.optional(), timeout_offset: duration.optional() }).optional(),
    ...accounts,
  });
}

export const fileSchema = fileSchemaFor(PROVIDERS);

/** The validated file: the frame, and each cloud's accounts as its schema produced them. */
export interface ConfigFile {
  cache?: { ttl?: number | undefined; max_stale?: number | undefined } | undefined;
  scrape?: { timeout?: number | undefined; timeout_offset?: number | undefined } | undefined;
  [provider: string]: unknown;
}
