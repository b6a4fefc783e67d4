// The page sizes the Tencent source reads with are the largest the API documents allow, as the strict
// emulator enforces them: the benchmarks count a listing's fewest calls with the emulator's limits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { largestPage } from '../../../../src/emulator/tencent/actions.js';
import { MEMBER_PAGE_SIZE } from '../../../../src/sources/tencent/organization-api.js';
import { HOST_PAGE_SIZE, MACHINE_PAGE_SIZE } from '../../../../src/sources/tencent/plan.js';

test('the source pages by the largest Limit each action allows', () => {
  assert.equal(MACHINE_PAGE_SIZE, largestPage('DescribeMachines'));
  assert.equal(HOST_PAGE_SIZE, largestPage('DescribeScanTaskDetails'));
  assert.equal(MEMBER_PAGE_SIZE, largestPage('DescribeOrganizationMembers'));
});

test('an action without a Limit has no largest page', () => {
  assert.throws(() => largestPage('DescribeScanState'), /the emulator knows no largest Limit of DescribeScanState/);
});
