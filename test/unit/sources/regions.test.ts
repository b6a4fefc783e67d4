// A region is checked against its cloud's list with the project's one did-you-mean: a misspelling
// names the nearest region, a region far from all names none, and the Security Center list agrees
// with the endpoint each region is sent to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestKey } from '../../../src/config/issues.js';
import { closest } from '../../../src/base/did-you-mean.js';
import { alibabaEndpointForRegion, SAS_ENDPOINT_CHINA, SAS_ENDPOINT_INTERNATIONAL } from '../../../src/sources/alibaba/endpoint.js';
import { ALIBABA_SAS_REGIONS, alibabaRegionProblem } from '../../../src/sources/alibaba/regions.js';
import { TENCENT_REGIONS, tencentRegionProblem } from '../../../src/sources/tencent/regions.js';

test('a misspelt region names the nearest one of its cloud', () => {
  for (const [typed, meant] of [
    ['cn-shangai', 'cn-shanghai'],
    ['cn-hangzou', 'cn-hangzhou'],
    ['us-east1', 'us-east-1'],
    ['ap-southeast1', 'ap-southeast-1'],
    ['CN-SHANGHAI', 'cn-shanghai'],
  ] as const) {
    assert.match(alibabaRegionProblem(typed) ?? '', new RegExp(`^"${typed}" is not a region .*\\(did you mean ${meant}\\?\\)`), typed);
  }
  for (const [typed, meant] of [
    ['ap-guangzou', 'ap-guangzhou'],
    ['ap-shanghia', 'ap-shanghai'],
    ['na-silliconvalley', 'na-siliconvalley'],
  ] as const) {
    assert.match(
      tencentRegionProblem(typed) ?? '',
      new RegExp(`^"${typed}" is not a Tencent Cloud region \\(did you mean ${meant}\\?\\)`),
      typed,
    );
  }
});

test('a region far from every known one is refused without a guess; a known one passes', () => {
  assert.equal(
    alibabaRegionProblem('mars-north-1'),
    '"mars-north-1" is not a region Alibaba Cloud Security Center serves; a region not listed in docs/configuration.md needs an explicit endpoint: add endpoint: tds.cn-shanghai.aliyuncs.com for a region in mainland China, tds.ap-southeast-1.aliyuncs.com for any other',
  );
  assert.doesNotMatch(tencentRegionProblem('moon-base') ?? '', /did you mean/);
  for (const region of ALIBABA_SAS_REGIONS) assert.equal(alibabaRegionProblem(region), undefined, region);
  for (const region of TENCENT_REGIONS) assert.equal(tencentRegionProblem(region), undefined, region);
});

test('every Security Center region goes to the endpoint its SDK maps it to', () => {
  for (const region of ALIBABA_SAS_REGIONS) {
    assert.equal(alibabaEndpointForRegion(region).host, region.startsWith('cn-') ? SAS_ENDPOINT_CHINA : SAS_ENDPOINT_INTERNATIONAL, region);
  }
});

test('keys and regions share one did-you-mean', () => {
  assert.equal(closestKey, closest);
  assert.equal(closest('regoin', ['name', 'region', 'endpoint']), 'region');
  assert.equal(closest('zone', ['name', 'region', 'endpoint']), undefined);
});
