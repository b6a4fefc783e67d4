// An optional part of a Tencent account's data (sources/kit/optional-feature.ts): refused with CAM's
// codes for a missing permission, and named by the permission to add.
import { OptionalFeature } from '../kit/optional-feature.js';
import { tencentPermissionDenied } from './errors.js';
import { TENCENT_PERMISSIONS } from './permissions.js';

export function tencentOptionalPart(action: string, feature: string): OptionalFeature {
  return new OptionalFeature({
    action,
    feature,
    permission: TENCENT_PERMISSIONS[action] ?? action,
    permissionDenied: tencentPermissionDenied,
  });
}
