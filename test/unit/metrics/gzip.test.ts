import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32, gunzipSync } from 'node:zlib';
import { CompressiblePiece, crc32Combine, gzipBody } from '../../../src/metrics/gzip.js';

test('the CRC of a concatenation comes from the CRCs of its parts', () => {
  const parts = [Buffer.from('cloudscan_up{account="a"} 1\n'.repeat(333)), Buffer.alloc(0), Buffer.from('x'), Buffer.alloc(70_000, 7)];
  let crc = 0;
  for (const part of parts) crc = crc32Combine(crc, crc32(part), part.length);
  assert.equal(crc, crc32(Buffer.concat(parts)));
});

test('pieces compressed apart make one gzip stream whose text is theirs in order', async () => {
  const texts = ['# HELP a x\n', 'a{b="1"} 1\n'.repeat(10_000), '', 'a{b="2"} 2\n'];
  const pieces = texts.map((text) => new CompressiblePiece(text));
  const body = Buffer.concat(await gzipBody([...pieces, pieces[0]!]));
  assert.equal(gunzipSync(body).toString(), [...texts, texts[0]].join(''));
});

test('an exposition with no pieces is an empty gzip stream', async () => {
  assert.equal(gunzipSync(Buffer.concat(await gzipBody([]))).length, 0);
});
