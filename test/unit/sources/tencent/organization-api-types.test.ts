// Our Organization API types (src/sources/tencent/organization-api.ts) against the generated SDK's
// models (tencentcloud-sdk-nodejs, organization v20210331): every field we send is one the SDK
// names, of its type; every field we read is one it names (MemberUin we keep as digits, the SDK
// types it a number). A mismatch fails the type check of `npm test`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type * as Sdk from 'tencentcloud-sdk-nodejs/tencentcloud/services/organization/v20210331/organization_models.js';
import {
  MEMBER_PAGE_SIZE,
  ORGANIZATION_API_VERSION,
  type DescribeOrganizationMembersRequest,
  type DescribeOrganizationMembersResponse,
  type OrgMember,
} from '../../../../src/sources/tencent/organization-api.js';

type Fits<Ours, Theirs> = {
  [K in keyof Ours]-?: K extends keyof Theirs
    ? [Exclude<Ours[K], undefined>] extends [Exclude<Theirs[K], undefined>]
      ? true
      : false
    : false;
};
type Named<Ours, Theirs> = { [K in keyof Ours]-?: K extends keyof Theirs ? true : false };
type AllTrue<T> = Exclude<T[keyof T], true> extends never ? true : false;

const request: AllTrue<Fits<DescribeOrganizationMembersRequest, Sdk.DescribeOrganizationMembersRequest>> = true;
const response: AllTrue<Named<DescribeOrganizationMembersResponse, Sdk.DescribeOrganizationMembersResponse>> = true;
const member: AllTrue<Named<OrgMember, Sdk.OrgMember>> = true;

const require = createRequire(import.meta.url);
const models = readFileSync(
  require.resolve('tencentcloud-sdk-nodejs/tencentcloud/services/organization/v20210331/organization_models.d.ts'),
  'utf8',
);
const client = readFileSync(
  require.resolve('tencentcloud-sdk-nodejs/tencentcloud/services/organization/v20210331/organization_client.js'),
  'utf8',
);

test('our DescribeOrganizationMembers types name only fields the SDK models have (checked when compiling)', () => {
  assert.deepEqual([request, response, member], [true, true, true]);
});

test('the SDK calls the Organization API at the version and host we use, and documents the page limit we use', () => {
  assert.match(client, new RegExp(`super\\("organization\\.tencentcloudapi\\.com", "${ORGANIZATION_API_VERSION}"`));
  const limit = /export interface DescribeOrganizationMembersRequest \{[\s\S]*?\/\*\*\s*\n\s*\*\s*([^\n]*)\n\s*\*\/\n\s*Limit:/.exec(
    models,
  )?.[1];
  assert.equal(limit, `限制数目。取值范围：1~${MEMBER_PAGE_SIZE}，默认值：10`);
});
