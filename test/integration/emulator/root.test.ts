// The emulator's root says what it is (issue 24): the demo prints the emulator's URL, and a newcomer
// who opens it learns that it is a local fake of the clouds' APIs, not a real cloud, and which
// actions it answers; an API request to the same path still reaches the cloud's handler.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../../src/emulator/server.js';

describe("the emulator's root", () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());

  test('GET / answers a text page naming what it emulates, its actions, and that it is not a real cloud', async () => {
    const response = await fetch(`${emulator.url}/`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
    const text = await response.text();
    assert.match(text, /NOT a real cloud/);
    assert.match(text, /^Tencent Cloud CWP:$/m);
    assert.match(text, /^Alibaba Cloud SAS:$/m);
    for (const action of [
      'DescribeScanState',
      'DescribeScanTaskDetails',
      'DescribeMachines',
      'DescribeVulCheckTaskStatusDetail',
      'DescribeCloudCenterInstances',
    ]) {
      assert.match(text, new RegExp(`\\b${action}\\b`), action);
    }
    assert.match(text, /^ {2}cwp 2018-02-28: /m);
    assert.match(text, /^ {2}Sas 2018-12-03: /m);
    assert.equal(emulator.calls.count({}), 0, 'the page is not a cloud call');
  });

  test('an API request to / still reaches the cloud, and other paths stay 404', async () => {
    const api = await fetch(`${emulator.url}/?Action=DescribeVulCheckTaskStatusDetail&Version=2018-12-03`);
    assert.notEqual(api.status, 200);
    assert.match(await api.text(), /"Code"/);
    const other = await fetch(`${emulator.url}/index.html`);
    assert.equal(other.status, 404);
    await other.text();
  });
});
