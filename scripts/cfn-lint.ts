/**
 * cfn-lint (AWS's CloudFormation linter, the newest release from PyPI, in a virtual environment under .cache/)
 * over every template the build synthesizes: the example app, the integration test's snapshot, the README's
 * examples (test/readme-templates.test.ts) and the language apps (test/packaging/language-apps.test.ts).
 * Fails on any finding that cfn-lint-ignore.json does not list with its reason, and on a listed finding that
 * no longer occurs.
 *
 * Run by the `cfn-lint` task, last in `package`, after the tests and the language apps wrote their templates.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const CFN_LINT = path.join(ROOT, '.cache', 'cfn-lint-venv', 'bin', 'cfn-lint');

/** Where the templates come from; each must have written at least one, or a part of the build did not run. */
const SOURCES: ReadonlyArray<{ what: string; dir: string; pattern: RegExp }> = [
  { what: 'the example app (npx projen example)', dir: 'example/cdk.out', pattern: /\.template\.json$/ },
  { what: 'the integration snapshot', dir: 'test/integ.signaling-channel.ts.snapshot', pattern: /\.template\.json$/ },
  { what: 'the README examples (test/readme-templates.test.ts)', dir: '.cache/cfn-lint/templates', pattern: /^readme-.+\.template\.json$/ },
  { what: 'the language apps (test/packaging/language-apps.test.ts)', dir: '.cache/cfn-lint/templates', pattern: /-app(-[\d.]+)?\.template\.json$/ },
];

interface Finding {
  readonly Rule: { readonly Id: string };
  readonly Filename: string;
  readonly Message: string;
  readonly Location: { readonly Path?: ReadonlyArray<string | number> };
}

interface Ignored {
  readonly rule: string;
  readonly resource: string;
  readonly reason: string;
}

const templates = SOURCES.flatMap(source => {
  const dir = path.join(ROOT, source.dir);
  const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter(name => source.pattern.test(name)) : [];
  if (found.length === 0) throw new Error(`cfn-lint: no templates from ${source.what} in ${source.dir}`);
  return found.map(name => path.relative(ROOT, path.join(dir, name)));
});

const ignored: Ignored[] = JSON.parse(fs.readFileSync(path.join(ROOT, 'cfn-lint-ignore.json'), 'utf8')).ignore;
for (const entry of ignored) {
  if (!entry.reason?.trim()) throw new Error(`cfn-lint-ignore.json: the entry for ${entry.rule} ${entry.resource} gives no reason`);
}

const version = spawnSync(CFN_LINT, ['--version'], { encoding: 'utf8' });
const lint = spawnSync(CFN_LINT, ['--format', 'json', '--', ...templates], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
if (lint.error) throw lint.error;
// cfn-lint exits non-zero when it finds anything; its JSON output is the list of findings either way.
const findings: Finding[] = JSON.parse(lint.stdout || '[]');
if (lint.stdout.trim() === '' && lint.status !== 0) throw new Error(`cfn-lint failed:\n${lint.stderr}`);

const resourceOf = (finding: Finding) => (finding.Location.Path?.[0] === 'Resources' ? String(finding.Location.Path[1]) : '');
const used = new Set<Ignored>();
const unexpected = findings.filter(finding => {
  const entry = ignored.find(e => e.rule === finding.Rule.Id && new RegExp(e.resource).test(resourceOf(finding)));
  if (entry) used.add(entry);
  return entry === undefined;
});
const stale = ignored.filter(entry => !used.has(entry));

console.log(`${version.stdout.trim()}: ${templates.length} templates, ${findings.length} findings, ` +
  `${findings.length - unexpected.length} of them listed in cfn-lint-ignore.json`);
for (const finding of unexpected) {
  console.error(`  ${finding.Rule.Id} ${finding.Filename} ${resourceOf(finding)}: ${finding.Message}`);
}
for (const entry of stale) console.error(`  cfn-lint-ignore.json lists ${entry.rule} on ${entry.resource}, which no template has any more`);
if (unexpected.length > 0 || stale.length > 0) process.exit(1);
