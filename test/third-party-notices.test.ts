/**
 * The third-party notices shipped with the bundled handler (scripts/third-party-notices.ts, run by the bundle
 * task): they cover every npm package whose code is in the bundle, with its licence text and NOTICE files.
 * The tarball's contents are checked by the `package:verify` task (test/packaging/outside-app.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  BundledPackage,
  bundledPackageDirs,
  describePackage,
  EsbuildMetafile,
  HANDLER_BUNDLE_DIR,
  HANDLER_METAFILE,
  NOTICES_FILE,
  renderNotices,
} from '../scripts/third-party-notices';

const REPO_ROOT = path.resolve(__dirname, '..');
const fromRoot = (file: string) => path.join(REPO_ROOT, file);

function readBuilt(file: string): string {
  if (!fs.existsSync(fromRoot(file))) throw new Error(`${file} is missing: run npx projen bundle first`);
  return fs.readFileSync(fromRoot(file), 'utf8');
}

describe('the notices written by the bundle', () => {
  const metafile: EsbuildMetafile = JSON.parse(readBuilt(HANDLER_METAFILE));
  const notices = readBuilt(NOTICES_FILE);
  const packageDirs = bundledPackageDirs(metafile);

  test('the bundle holds the AWS SDK, and every bundled package is listed with its version and licence', () => {
    expect(packageDirs).toContain('node_modules/@aws-sdk/client-kinesis-video');
    expect(packageDirs.length).toBeGreaterThan(5);
    for (const dir of packageDirs) {
      const manifest = JSON.parse(fs.readFileSync(fromRoot(path.join(dir, 'package.json')), 'utf8'));
      expect(notices).toContain(`  ${manifest.name}@${manifest.version} (${manifest.license}): licence text `);
    }
  });

  test('every licence file and NOTICE file of a bundled package is in the notices, word for word', () => {
    for (const dir of packageDirs) {
      const files = fs.readdirSync(fromRoot(dir)).filter(file => /^(licen[cs]e|copying|notice)([.-].*)?$/i.test(file));
      for (const file of files) {
        const text = fs.readFileSync(fromRoot(path.join(dir, file)), 'utf8').trim();
        expect(notices).toContain(text);
      }
    }
  });

  test('the Lambda asset directory holds only the handler: the notices and legal comments are outside it', () => {
    expect(fs.readdirSync(fromRoot(HANDLER_BUNDLE_DIR))).toEqual(['index.js']);
    expect(path.dirname(fromRoot(NOTICES_FILE))).toBe(path.dirname(fromRoot(HANDLER_BUNDLE_DIR)));
  });
});

describe('bundledPackageDirs', () => {
  test('packages that contribute bytes, nested copies on their own, the handler\'s own sources left out', () => {
    const metafile: EsbuildMetafile = {
      outputs: {
        'index.js': {
          inputs: {
            'lambda/signaling-channel-handler/index.ts': { bytesInOutput: 100 },
            'node_modules/@smithy/core/dist-es/index.js': { bytesInOutput: 10 },
            'node_modules/@smithy/core/dist-es/other.js': { bytesInOutput: 5 },
            'node_modules/tslib/tslib.es6.mjs': { bytesInOutput: 0 },
            'node_modules/@aws-sdk/core/node_modules/fast-xml-parser/src/fxp.js': { bytesInOutput: 7 },
          },
        },
      },
    };

    expect(bundledPackageDirs(metafile)).toEqual([
      'node_modules/@aws-sdk/core/node_modules/fast-xml-parser',
      'node_modules/@smithy/core',
    ]);
  });
});

describe('describePackage and renderNotices', () => {
  const fakePackageDirs: string[] = [];
  afterAll(() => fakePackageDirs.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));

  function fakePackage(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notices-'));
    fakePackageDirs.push(dir);
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    return dir;
  }

  test('a package\'s LICENSE and NOTICE are read; one without a licence file but declared Apache-2.0 gets the Apache text', () => {
    const withFiles = describePackage(fakePackage({
      'package.json': JSON.stringify({ name: 'a', version: '1.0.0', license: 'MIT' }),
      'LICENSE.md': 'MIT text',
      'NOTICE': 'a notice',
    }), 'APACHE TEXT');
    const withoutFiles = describePackage(fakePackage({
      'package.json': JSON.stringify({ name: 'b', version: '2.0.0', license: 'Apache-2.0' }),
    }), 'APACHE TEXT');

    expect(withFiles).toEqual({ name: 'a', version: '1.0.0', license: 'MIT', licenseText: 'MIT text', notices: ['a notice'] });
    expect(withoutFiles).toEqual({ name: 'b', version: '2.0.0', license: 'Apache-2.0', licenseText: 'APACHE TEXT', notices: [] });
  });

  test('a bundled package with no licence file and a licence other than Apache-2.0 fails the build, naming it', () => {
    const dir = fakePackage({ 'package.json': JSON.stringify({ name: 'c', version: '3.0.0', license: 'BSD-3-Clause' }) });
    expect(() => describePackage(dir, 'APACHE TEXT')).toThrow(/^c@3.0.0 \(BSD-3-Clause\) is bundled into .* but ships no licence file/);
  });

  test('each distinct licence text once, with the packages it covers; NOTICE files and legal comments after', () => {
    const pkg = (name: string, licenseText: string, notices: string[] = []): BundledPackage =>
      ({ name, version: '1.0.0', license: 'X', licenseText, notices });
    const text = renderNotices([pkg('a', 'TEXT ONE'), pkg('b', 'TEXT TWO', ['NOTICE OF B']), pkg('c', 'TEXT ONE')], '/*! legal */');

    expect(text).toContain('  a@1.0.0 (X): licence text 1\n  b@1.0.0 (X): licence text 2\n  c@1.0.0 (X): licence text 1');
    expect(text).toContain('Licence text 1, for a@1.0.0, c@1.0.0\n\nTEXT ONE');
    expect(text).toContain('Licence text 2, for b@1.0.0\n\nTEXT TWO');
    expect(text.match(/TEXT ONE/g)).toHaveLength(1);
    expect(text).toContain('NOTICE of b@1.0.0\n\nNOTICE OF B');
    expect(text).toContain('Legal comments from the bundled sources\n\n/*! legal */');
  });
});
