// Every cloud the exporter knows, in the order their accounts are collected and rendered.
// Adding a cloud: its folder under sources/, and one line here.
import { alibabaProvider } from './alibaba/provider.js';
import { tencentProvider } from './tencent/provider.js';

export const PROVIDERS = [tencentProvider, alibabaProvider] as const;
