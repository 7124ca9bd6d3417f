/**
 * Python, Java and Go users install the packages the build wrote to dist/ and get the TypeScript app's
 * template, key for key; a value the library refuses fails their synth with the library's message; a wrong
 * type is caught by the language's own typing. Each app (test/packaging/apps/<language>) runs outside the
 * repository, installed the way that language's users work.
 *
 * Runs after `npx projen package` (the `package:apps` task), not in the main jest run: it needs dist/.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  BAD_TTL_ENV, CDK_VERSION, CONSTRUCTS_VERSION, GO_CDK_VERSION, ROOT, Run, built, copyApp, installTypeScriptApp,
  readTemplate, run, runOk, synthTypeScriptApp,
} from './outside-apps';

// Installing aws-cdk-lib from each registry and starting its jsii runtime: minutes, not seconds, on 2 cores.
jest.setTimeout(20 * 60_000);

/** The TypeScript app's template and refusal at one aws-cdk-lib version: what every other language must match. */
interface Reference {
  readonly template: unknown;
  /** The lines of the library's message for the 200 s TTL: the construct path, the field, the value, the range. */
  readonly refusal: string[];
}

function typeScriptReference(cdkVersion: string, lintName: string): Reference {
  const dir = installTypeScriptApp(cdkVersion);
  const good = synthTypeScriptApp(dir, path.join(dir, 'cdk.out'));
  if (good.status !== 0) throw new Error(`the TypeScript app failed:\n${good.stderr}`);
  const bad = synthTypeScriptApp(dir, path.join(dir, 'bad.out'), BAD_TTL_ENV);
  expect(bad.status).not.toBe(0);
  return { template: readTemplate(path.join(dir, 'cdk.out'), lintName), refusal: refusalLines(bad.stderr) };
}

/** The library's message in what an app printed: from the line naming the construct to the line naming the field. */
function refusalLines(output: string): string[] {
  // Maven prints each line of the exception after "[ERROR] ".
  const lines = output.split('\n').map(line => line.replace(/^\[ERROR\]/, '').trim());
  const first = lines.findIndex(line => line.includes('PolyglotStack/Doorbell: '));
  const last = lines.findIndex((line, i) => i >= first && line.includes('messageTtl must be'));
  if (first < 0 || last < 0) throw new Error(`no refusal of messageTtl in:\n${output}`);
  // The first line starts after the language's own prefix (`Error: `, `RuntimeError: `, a Java exception's name).
  return [lines[first].slice(lines[first].indexOf('PolyglotStack/Doorbell: ')), ...lines.slice(first + 1, last + 1)];
}

function expectRefusal(result: Run, reference: Reference) {
  expect(result.status).not.toBe(0);
  expect(refusalLines(`${result.stdout}\n${result.stderr}`)).toEqual(reference.refusal);
  expect(reference.refusal.join('\n')).toMatch(/PolyglotStack\/Doorbell: [^]*messageTtl must be a whole number of seconds from 5 to 120 \(got 200\)/);
}

/** An app's source with one fragment replaced; the fragment must be there, so the test cannot go stale. */
function withWrongType(file: string, fragment: string, replacement: string) {
  const source = fs.readFileSync(file, 'utf8');
  expect(source).toContain(fragment);
  fs.writeFileSync(file, source.replace(fragment, replacement));
}

let reference: Reference;
beforeAll(() => {
  reference = typeScriptReference(CDK_VERSION, 'typescript-app');
});

describe('Python: a virtual environment with the built wheel and aws-cdk-lib from PyPI', () => {
  let dir: string;
  let python: string;
  beforeAll(() => {
    dir = copyApp('python');
    runOk('python3', ['-m', 'venv', '.venv'], dir);
    python = path.join(dir, '.venv', 'bin', 'python');
    runOk(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check',
      built('python', /\.whl$/), `aws-cdk-lib==${CDK_VERSION}`, `constructs==${CONSTRUCTS_VERSION}`], dir);
  });

  test('synthesizes the TypeScript app\'s template', () => {
    runOk(python, ['app.py'], dir, { CDK_OUTDIR: path.join(dir, 'cdk.out') });
    expect(readTemplate(path.join(dir, 'cdk.out'), 'python-app')).toEqual(reference.template);
  });

  test('a 200 s message TTL fails with the library\'s message', () => {
    expectRefusal(run(python, ['app.py'], dir, { CDK_OUTDIR: path.join(dir, 'bad.out'), ...BAD_TTL_ENV }), reference);
  });

  test('a number for message_ttl is refused by the runtime type checks, naming the argument', () => {
    withWrongType(path.join(dir, 'app.py'), 'message_ttl=Duration.seconds(ttl_seconds)', 'message_ttl=ttl_seconds');
    const result = run(python, ['app.py'], dir, { CDK_OUTDIR: path.join(dir, 'wrong.out') });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/TypeError: .*message_ttl.*Duration/);
  });
});

describe('Java: a Maven project on the built jar (dist/java) and aws-cdk-lib from Maven Central', () => {
  let dir: string;
  // As a CDK Java app's cdk.json runs it: errors shown (-e), Maven's own progress not (-q).
  const mvn = (goals: string[], env: NodeJS.ProcessEnv = {}) =>
    run('mvn', ['--batch-mode', '-e', '-q', ...goals], dir, { CDK_OUTDIR: path.join(dir, 'cdk.out'), ...env });
  beforeAll(() => {
    dir = copyApp('java');
    const pom = path.join(dir, 'pom.xml');
    fs.writeFileSync(pom, fs.readFileSync(pom, 'utf8')
      .replace('file:///path/to/cdk-kvs-signaling-channel/dist/java', `file://${path.join(ROOT, 'dist', 'java')}`));
    // Maven keeps what it resolved from dist/java in the user's local repository, and never looks again for a
    // release it has: drop the copy of an earlier build, so the app gets the jar this build wrote.
    fs.rmSync(path.join(process.env.HOME ?? '', '.m2', 'repository', 'io', 'github', 'cdk-kvs'), { recursive: true, force: true });
  });

  test('synthesizes the TypeScript app\'s template', () => {
    const result = mvn(['compile', 'exec:java']);
    if (result.status !== 0) throw new Error(`mvn failed:\n${result.stdout}\n${result.stderr}`);
    expect(readTemplate(path.join(dir, 'cdk.out'), 'java-app')).toEqual(reference.template);
  });

  test('a 200 s message TTL fails with the library\'s message', () => {
    expectRefusal(mvn(['compile', 'exec:java'], { CDK_OUTDIR: path.join(dir, 'bad.out'), ...BAD_TTL_ENV }), reference);
  });

  test('an int for messageTtl does not compile', () => {
    withWrongType(path.join(dir, 'src/main/java/com/example/App.java'), '.messageTtl(Duration.seconds(ttlSeconds))', '.messageTtl(ttlSeconds)');
    const result = mvn(['compile']);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/App\.java:\[\d+,\d+\] incompatible types: int cannot be converted to software\.amazon\.awscdk\.Duration/);
  });
});

describe('Go: a module with a replace to dist/go and awscdk/v2 from the module proxy', () => {
  let goReference: Reference;
  let dir: string;
  beforeAll(() => {
    goReference = GO_CDK_VERSION === CDK_VERSION ? reference : typeScriptReference(GO_CDK_VERSION, `typescript-app-${GO_CDK_VERSION}`);
    dir = copyApp('go');
    const goMod = path.join(dir, 'go.mod');
    fs.writeFileSync(goMod, fs.readFileSync(goMod, 'utf8')
      .replace('/path/to/cdk-kvs-signaling-channel/dist/go', path.join(ROOT, 'dist', 'go')));
    runOk('go', ['mod', 'tidy'], dir);
  });

  test('synthesizes the TypeScript app\'s template', () => {
    runOk('go', ['run', '.'], dir, { CDK_OUTDIR: path.join(dir, 'cdk.out') });
    expect(readTemplate(path.join(dir, 'cdk.out'), 'go-app')).toEqual(goReference.template);
  });

  test('a 200 s message TTL fails with the library\'s message', () => {
    expectRefusal(run('go', ['run', '.'], dir, { CDK_OUTDIR: path.join(dir, 'bad.out'), ...BAD_TTL_ENV }), goReference);
  });

  test('an int for MessageTtl does not compile', () => {
    withWrongType(path.join(dir, 'main.go'), 'awscdk.Duration_Seconds(jsii.Number(ttlSeconds)),', 'ttlSeconds,');
    const result = run('go', ['build', '-o', path.join(dir, 'wrong'), '.'], dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/cannot use ttlSeconds \(variable of type float64\) as awscdk\.Duration value in struct literal/);
  });
});
