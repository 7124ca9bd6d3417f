import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REQUIREMENTS, missingTools } from '../scripts/preflight';

test('on a machine with none of the tools, every one is named with what needs it, and the build stops', () => {
  // A PATH with Node.js and nothing else.
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-'));
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  const env = { ...process.env, PATH: bin };
  expect(missingTools(env).map(r => r.tool)).toEqual(REQUIREMENTS.map(r => r.tool));

  const tsNode = path.join(__dirname, '..', 'node_modules', 'ts-node', 'dist', 'bin.js');
  const result = spawnSync(process.execPath, [tsNode, '--transpile-only', path.join(__dirname, '..', 'scripts', 'preflight.ts')], { env, encoding: 'utf8' });
  expect(result.status).toBe(1);
  for (const tool of ['python3 (3.9 or newer)', 'python3 venv with pip (Debian: python3-venv)', 'a JDK (javac)', 'Maven (mvn)', 'Go (go)']) {
    expect(result.stderr).toContain(`  - ${tool}: for `);
  }
  expect(result.stderr).toContain('Go (go): for the Go module (package:go) and the Go app');
});

test('a tool that is there but fails its check counts as missing', () => {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-'));
  // A `go` that exits 1, next to the machine's other tools.
  fs.writeFileSync(path.join(bin, 'go'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
  expect(missingTools(env).map(r => r.tool)).toContain('Go (go)');
});

test('this machine has every tool the build needs (the build would have stopped otherwise)', () => {
  expect(missingTools()).toEqual([]);
});
