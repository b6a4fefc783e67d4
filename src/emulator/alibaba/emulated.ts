// Alibaba Cloud Security Center in the emulator's registry: its handler and its demos.
import type { EmulatedCloud } from '../kit/handler.js';
import { ALIBABA_ACTIONS } from './actions.js';
import { alibabaDemo } from './demo.js';
import { alibabaOrganizationDemo } from './demo-organization.js';
import { AlibabaEmulator, type AlibabaEmulatorOptions } from './index.js';

export const alibabaEmulated: EmulatedCloud<'alibaba', AlibabaEmulatorOptions, AlibabaEmulator> = {
  name: 'alibaba',
  title: 'Alibaba Cloud SAS',
  actions: ALIBABA_ACTIONS,
  start: (options, now) => new AlibabaEmulator(options, now),
  demo: alibabaDemo,
  organizationDemo: alibabaOrganizationDemo,
};
