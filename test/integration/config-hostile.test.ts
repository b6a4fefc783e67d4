// A hostile configuration is refused, never obeyed: a YAML alias bomb, a `*_file` secret that is a
// named pipe or /dev/urandom, a file larger than its limit, lists and maps big enough to make a
// quadratic check take minutes. Each is a ConfigError naming the file and what is wrong.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FILE_LIMITS, FileReadError, readRegularFile } from '../../src/config/bounded-read.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { loadWebConfig, parseWebConfig } from '../../src/http/web/web-config.js';
import { ALIAS_BOMB } from '../support/hostile.js';

const ACCOUNT = 'tencent:\n  - name: prod\n    credentials:\n      secret_id: AKIDhostile\n';

describe('a hostile configuration is refused', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloudscan-hostile-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a YAML alias bomb in the config file is refused naming the line where the expansion passed the limit', () => {
    assert.throws(() => parseConfig(`${ACCOUNT}      secret_key_file: /x\n${ALIAS_BOMB}`, 'config.yaml', {}), {
      name: 'ConfigError',
      message: 'config.yaml:11: aliases expand to more than 100000 values (nested *aliases multiply; write the values out)',
    });
  });

  it('a YAML alias bomb in the web config file is refused', () => {
    assert.throws(() => parseWebConfig(`basic_auth_users: {}\n${ALIAS_BOMB}`, 'web.yml'), {
      name: 'ConfigError',
      message: 'web.yml:7: aliases expand to more than 100000 values (nested *aliases multiply; write the values out)',
    });
  });

  it('a few aliases for shared settings still load', () => {
    const text = `x-creds: &creds { source: env }\ntencent:\n${Array.from({ length: 300 }, (_, i) => `  - { name: a${i}, credentials: *creds }`).join('\n')}\n`;
    assert.throws(() => parseConfig(text, 'config.yaml', {}), { message: 'config.yaml:1: x-creds: unknown key' });
    const valid = `tencent:\n  - name: first\n    credentials: &creds { source: env }\n${Array.from({ length: 300 }, (_, i) => `  - { name: a${i}, credentials: *creds }`).join('\n')}\n`;
    assert.equal(parseConfig(valid, 'config.yaml', {}).config.tencent.length, 301);
  });

  it('a *_file secret that is a named pipe is refused at once (nothing ever writes to it)', () => {
    const fifo = join(dir, 'key.fifo');
    execFileSync('mkfifo', [fifo]);
    assert.throws(() => parseConfig(`${ACCOUNT}      secret_key_file: ${fifo}\n`, 'config.yaml', {}), {
      name: 'ConfigError',
      message: `config.yaml:5: tencent[0].credentials.secret_key_file: cannot read ${JSON.stringify(fifo)}: a named pipe, not a regular file`,
    });
  });

  it('a *_file secret that is /dev/urandom or /dev/zero is refused at once', () => {
    for (const device of ['/dev/urandom', '/dev/zero']) {
      assert.throws(() => parseConfig(`${ACCOUNT}      secret_key_file: ${device}\n`, 'config.yaml', {}), {
        name: 'ConfigError',
        message: `config.yaml:5: tencent[0].credentials.secret_key_file: cannot read "${device}": a character device, not a regular file`,
      });
    }
  });

  it('a *_file secret that is a directory or larger than 64 KiB is refused', () => {
    const big = join(dir, 'big-key');
    writeFileSync(big, 'k'.repeat(FILE_LIMITS.secret + 1));
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    assert.throws(() => parseConfig(`${ACCOUNT}      secret_key_file: ${big}\n`, 'config.yaml', {}), {
      message: `config.yaml:5: tencent[0].credentials.secret_key_file: cannot read ${JSON.stringify(big)}: larger than the 64 KiB limit`,
    });
    assert.throws(() => parseConfig(`${ACCOUNT}      secret_key_file: ${folder}\n`, 'config.yaml', {}), {
      message: `config.yaml:5: tencent[0].credentials.secret_key_file: cannot read ${JSON.stringify(folder)}: a directory, not a regular file`,
    });
  });

  it('a config file that is a named pipe, a device or over 1 MiB is refused naming the file', async () => {
    const fifo = join(dir, 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `${ACCOUNT}      secret_key: x\n${'#'.repeat(FILE_LIMITS.config)}\n`);
    await assert.rejects(loadConfig(fifo, {}), { name: 'ConfigError', message: `${fifo}: cannot read: a named pipe, not a regular file` });
    await assert.rejects(loadConfig('/dev/urandom', {}), {
      name: 'ConfigError',
      message: '/dev/urandom: cannot read: a character device, not a regular file',
    });
    await assert.rejects(loadConfig(big, {}), { name: 'ConfigError', message: `${big}: cannot read: larger than the 1 MiB limit` });
  });

  it('a web config file or a TLS file that is not a regular file is refused naming the key', () => {
    const fifo = join(dir, 'web.fifo');
    execFileSync('mkfifo', [fifo]);
    assert.throws(() => loadWebConfig(fifo), { name: 'ConfigError', message: `${fifo}: cannot read (a named pipe, not a regular file)` });
    assert.throws(() => loadWebConfig('/dev/zero'), {
      name: 'ConfigError',
      message: '/dev/zero: cannot read (a character device, not a regular file)',
    });
  });

  it('readRegularFile never reads past its limit', () => {
    const file = join(dir, 'exact');
    writeFileSync(file, 'x'.repeat(100));
    assert.equal(readRegularFile(file, 100).length, 100);
    assert.throws(
      () => readRegularFile(file, 99),
      (error: unknown) => error instanceof FileReadError && error.message === 'larger than the 99 bytes limit',
    );
    assert.throws(
      () => readRegularFile(join(dir, 'absent'), 10),
      (error: unknown) => error instanceof FileReadError && error.code === 'ENOENT',
    );
  });

  // The messages of the linear repeat checks; cli.test.ts replays 1 MiB files that took minutes when
  // every item was compared with every earlier one.
  it('a list of 60,000 repeated ids is refused naming the first repeat', () => {
    const servers = Array.from({ length: 60_000 }, (_, i) => `      - u${i % 30_000}`).join('\n');
    const text = `alibaba:\n  - name: a\n    region: cn-shanghai\n    credentials: { source: default }\n    servers:\n${servers}\n`;
    assert.throws(() => parseConfig(text, 'config.yaml', {}), {
      message: 'config.yaml:30006: alibaba[0].servers[30000]: "u0" is listed twice',
    });
  });

  it('a mapping of 80,000 keys with one repeat is refused naming the repeat', () => {
    const keys = Array.from({ length: 80_000 }, (_, i) => `  k${i}: 1`).join('\n');
    assert.throws(() => parseConfig(`${ACCOUNT}      secret_key: x\nextra:\n${keys}\n  k7: 2\n`, 'config.yaml', {}), {
      name: 'ConfigError',
      message: 'config.yaml:80007: not valid YAML: Map keys must be unique',
    });
  });
});
