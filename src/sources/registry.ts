// Every cloud the exporter knows, in the order their accounts are collected and rendered.
// Adding a cloud: its folder under sources/, and one line here.
import { alibabaProvider } from './alibaba/provider.js';
import type { ProviderEntry } from '../contract/provider.js';
import { tencentProvider } from './tencent/provider.js';

export const PROVIDERS = [tencentProvider, alibabaProvider] as const;

type ConfigOf<P> = P extends ProviderEntry<infer Config, infer _File> ? Config : never;
type Intersection<U> = (U extends unknown ? (part: U) => void : never) extends (part: infer I) => void ? I : never;

/** Each registered cloud's accounts under its name ({ tencent: [...], alibaba: [...] }), as ExporterConfig holds them. */
export type ProviderConfigs = Intersection<ConfigOf<(typeof PROVIDERS)[number]>>;
