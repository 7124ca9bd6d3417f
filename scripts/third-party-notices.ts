/**
 * Writes the third-party notices of the bundled Lambda handler.
 *
 * esbuild bundles the AWS SDK (Apache-2.0) and its dependencies into one file, which this package ships.
 * Their licences ask that a copy of the licence (and any NOTICE file) go with the code, so after each bundle
 * this script reads esbuild's metafile, takes every npm package that contributes code to the output, and
 * writes their names, versions, licence texts and NOTICE files to THIRD-PARTY-NOTICES.txt beside the asset
 * directory (the asset directory holds only index.js, which is what Lambda receives). Legal comments esbuild
 * found in the sources (`--legal-comments=external`) are moved into the same file.
 *
 * Derived from node_modules at build time, so never committed: a dependency upgrade cannot leave it stale.
 * Run by the bundle task, after esbuild (see `.projenrc.ts`).
 */
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..');

/** Paths relative to the repository root (where the bundle task runs). */
export const HANDLER_BUNDLE_DIR = 'assets/lambda/signaling-channel-handler/index';
export const HANDLER_BUNDLE = `${HANDLER_BUNDLE_DIR}/index.js`;
export const NOTICES_FILE = 'assets/lambda/signaling-channel-handler/THIRD-PARTY-NOTICES.txt';
export const HANDLER_METAFILE = '.cache/esbuild/signaling-channel-handler.meta.json';
/** Where `--legal-comments=external` puts the comments: inside the asset directory, so they are moved. */
const LEGAL_COMMENTS_FILE = `${HANDLER_BUNDLE}.LEGAL.txt`;

/** The parts of esbuild's metafile read here. */
export interface EsbuildMetafile {
  readonly outputs: Record<string, { readonly inputs: Record<string, { readonly bytesInOutput: number }> }>;
}

export interface BundledPackage {
  readonly name: string;
  readonly version: string;
  /** The licence its package.json declares (an SPDX expression). */
  readonly license: string;
  /** Its LICENSE/LICENCE/COPYING files' texts; the repository's own (Apache-2.0) when it ships none. */
  readonly licenseText: string;
  /** Its NOTICE files' texts (Apache-2.0 asks that they be passed on). */
  readonly notices: string[];
}

const LICENSE_FILE = /^(licen[cs]e|copying)([.-].*)?$/i;
const NOTICE_FILE = /^notice([.-].*)?$/i;

/**
 * The directories of the npm packages that contribute code to the bundle (an input tree-shaken to 0 bytes
 * ships nothing), relative to the repository root, sorted. A package is the path up to its name after the
 * last `node_modules/`, so a nested copy counts as its own package.
 */
export function bundledPackageDirs(metafile: EsbuildMetafile): string[] {
  const dirs = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match && bytesInOutput > 0) dirs.add(match[1]);
    }
  }
  return [...dirs].sort();
}

/** What a package ships about its licence, read from its directory. */
export function describePackage(packageDir: string, ownLicenseText: string): BundledPackage {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const license = typeof manifest.license === 'string' ? manifest.license : 'UNKNOWN';
  const files = fs.readdirSync(packageDir).sort();
  const read = (file: string) => withoutSurroundingBlankLines(fs.readFileSync(path.join(packageDir, file), 'utf8'));
  const licenseTexts = files.filter(file => LICENSE_FILE.test(file)).map(read);
  if (licenseTexts.length === 0 && license !== 'Apache-2.0') {
    // Only Apache-2.0's text is at hand (the repository's own LICENSE): any other licence needs a person.
    throw new Error(`${manifest.name}@${manifest.version} (${license}) is bundled into ${HANDLER_BUNDLE} but ships no ` +
      'licence file: add its licence text to the notices by hand, or keep it out of the bundle');
  }
  return {
    name: manifest.name,
    version: manifest.version,
    license,
    licenseText: licenseTexts.length > 0 ? licenseTexts.join('\n\n') : withoutSurroundingBlankLines(ownLicenseText),
    notices: files.filter(file => NOTICE_FILE.test(file)).map(read),
  };
}

/** The text as written, indentation of its first line included, without blank lines around it. */
function withoutSurroundingBlankLines(text: string): string {
  return text.replace(/^(\s*\n)+/, '').trimEnd();
}

const RULE = '='.repeat(100);

/**
 * The notices: the list of packages, then each distinct licence text once with the packages it covers, then
 * NOTICE files and legal comments.
 */
export function renderNotices(packages: readonly BundledPackage[], legalComments: string): string {
  const packagesByText = new Map<string, BundledPackage[]>();
  for (const pkg of packages) {
    packagesByText.set(pkg.licenseText, [...packagesByText.get(pkg.licenseText) ?? [], pkg]);
  }
  const label = (pkg: BundledPackage) => `${pkg.name}@${pkg.version}`;
  const textNumber = new Map([...packagesByText.values()].flatMap((group, i) => group.map(pkg => [pkg, i + 1] as const)));

  const sections = [
    `Third-party software in ${HANDLER_BUNDLE}\n\n` +
    'The Lambda handler this package ships is bundled by esbuild and includes code from the npm packages\n' +
    'below. The rest of this package is under its own LICENSE.\n\n' +
    packages.map(pkg => `  ${label(pkg)} (${pkg.license}): licence text ${textNumber.get(pkg)}`).join('\n'),
    ...[...packagesByText.entries()].map(([text, group], i) =>
      `Licence text ${i + 1}, for ${group.map(label).join(', ')}\n\n${text}`),
    ...packages.flatMap(pkg => pkg.notices.map(notice => `NOTICE of ${label(pkg)}\n\n${notice}`)),
  ];
  if (legalComments.trim() !== '') {
    sections.push(`Legal comments from the bundled sources\n\n${legalComments.trim()}`);
  }
  return sections.join(`\n\n${RULE}\n\n`) + '\n';
}

function main(): void {
  const fromRoot = (file: string) => path.join(REPO_ROOT, file);
  const metafile: EsbuildMetafile = JSON.parse(fs.readFileSync(fromRoot(HANDLER_METAFILE), 'utf8'));
  const ownLicense = fs.readFileSync(fromRoot('LICENSE'), 'utf8');
  const packages = bundledPackageDirs(metafile).map(dir => describePackage(fromRoot(dir), ownLicense));

  const legalCommentsFile = fromRoot(LEGAL_COMMENTS_FILE);
  const legalComments = fs.existsSync(legalCommentsFile) ? fs.readFileSync(legalCommentsFile, 'utf8') : '';
  fs.writeFileSync(fromRoot(NOTICES_FILE), renderNotices(packages, legalComments));
  fs.rmSync(legalCommentsFile, { force: true });
  console.log(`${NOTICES_FILE}: ${packages.length} bundled packages`);
}

if (require.main === module) {
  main();
}
