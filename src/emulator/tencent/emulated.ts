// Tencent Cloud CWP in the emulator's registry: its handler and its demos.
import type { EmulatedCloud } from '../kit/handler.js';
import { TENCENT_ACTIONS } from './actions.js';
import { tencentDemo } from './demo.js';
import { tencentOrganizationDemo } from './demo-organization.js';
import { TencentEmulator, type TencentEmulatorOptions } from './index.js';

export const tencentEmulated: EmulatedCloud<'tencent', TencentEmulatorOptions, TencentEmulator> = {
  name: 'tencent',
  title: 'Tencent Cloud CWP',
  actions: TENCENT_ACTIONS,
  start: (options, now) => new TencentEmulator(options, now),
  demo: tencentDemo,
  organizationDemo: tencentOrganizationDemo,
};
