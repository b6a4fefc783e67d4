// Tests you can find (ARCHITECTURE.md, "Where tests go"): a module's test at its path under test/unit/,
// starting nothing; shipped files' tests in test/shipped/; servers and processes in test/integration/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repositoryRoot } from '../../../scripts/import-graph.js';
import { readLayerTable } from '../../../scripts/layer-table.js';
import { misplacedTests, misplacement, serverOrProcessCalls, startingHelpers } from '../../../scripts/test-layout.js';

const root = repositoryRoot();
const table = readLayerTable(root);

test('every test file of the repository is in its place', () => {
  assert.deepEqual(misplacedTests(root, table), []);
});

test('a unit test mirrors a folder of the table: src/<path>/ or a tool folder', () => {
  const plain = "import { test } from 'node:test';\n";
  assert.equal(misplacement(root, table, 'test/unit/config/load.test.ts', plain), undefined);
  assert.equal(misplacement(root, table, 'test/unit/sources/tencent/map.test.ts', plain), undefined);
  assert.equal(misplacement(root, table, 'test/unit/scripts/import-graph.test.ts', plain), undefined);
  assert.match(
    misplacement(root, table, 'test/unit/shared/labels.test.ts', plain) ?? '',
    /test\/unit\/shared\/ mirrors no folder of the layer table/,
  );
  assert.match(misplacement(root, table, 'test/unit/labels.test.ts', plain) ?? '', /test\/unit\/ mirrors no folder of the layer table/);
  assert.match(misplacement(root, table, 'test/labels.test.ts', plain) ?? '', /tests live under test\/unit\/, test\/shipped\//);
  assert.equal(misplacement(root, table, 'test/shipped/anything/deep.test.ts', plain), undefined);
});

test('a unit test that starts a server or a process is out of its place; one that only names them is not', () => {
  const starts: Array<[string, string]> = [
    ["import { createServer } from 'node:http';\ncreateServer(() => {}).listen(0);", 'createServer, listen'],
    ["import { spawn } from 'node:child_process';\nspawn(process.execPath, []);", 'spawn'],
    ["import { execFile } from 'node:child_process';\nexecFile('promtool', ['check']);", 'execFile'],
    ['const emulator = await startEmulator();', 'startEmulator'],
    ['const running = await harness.startExporter(config);', 'startExporter'],
  ];
  for (const [source, calls] of starts) {
    assert.match(
      misplacement(root, table, 'test/unit/collect/x.test.ts', source) ?? '',
      new RegExp(`calls ${calls}: it belongs in test/integration/`),
    );
    assert.equal(misplacement(root, table, 'test/integration/x.test.ts', source), undefined);
  }
  assert.deepEqual(
    serverOrProcessCalls(
      'test/unit/x.test.ts',
      "// a server would listen(0) here\nconst flag = '--web.listen-address';\nconst listen = 1;",
    ),
    [],
  );
});

test('a helper of test/support/ that starts a server or a process, even through another helper, counts as starting one', () => {
  const support = new Map([
    [
      'test/support/processes.ts',
      "import { spawn } from 'node:child_process';\nexport function start() { return spawn('x', []); }\nexport const quiet = () => 1;",
    ],
    [
      'test/support/tool.ts',
      "import { start } from './processes.js';\nexport const check = () => start();\nexport function plain() { return 2; }",
    ],
  ]);
  const helpers = startingHelpers(support);
  assert.deepEqual([...helpers].sort(), ['test/support/processes.ts#start', 'test/support/tool.ts#check']);
  const test =
    "import { check as run, plain } from '../../support/tool.js';\nimport { quiet } from '../../support/processes.js';\nrun(); plain(); quiet();";
  assert.deepEqual(serverOrProcessCalls('test/unit/collect/x.test.ts', test, helpers), ['run']);
  assert.match(
    misplacement(root, table, 'test/unit/collect/x.test.ts', test, helpers) ?? '',
    /calls run: it belongs in test\/integration\//,
  );
  assert.equal(misplacement(root, table, 'test/unit/collect/x.test.ts', test.replace('run();', ''), helpers), undefined);
});
