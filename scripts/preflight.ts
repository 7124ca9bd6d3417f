/**
 * The tools the build needs besides Node.js, checked before it compiles anything: a build without one of them
 * would otherwise fail minutes later, deep inside a packaging step (jsii-pacmak) or a language app's test.
 * Prints every missing tool with what needs it, and exits 1; prints nothing and exits 0 when all are there.
 *
 * Run by the `preflight` task, the first step of `pre-compile`.
 */
import { spawnSync } from 'child_process';

export interface Requirement {
  /** What the user installs, as the README's "Install" names it. */
  readonly tool: string;
  /** A command that succeeds only when the tool works. */
  readonly check: readonly string[];
  /** What in the build needs it. */
  readonly neededFor: string;
}

export const REQUIREMENTS: readonly Requirement[] = [
  { tool: 'python3 (3.9 or newer)', check: ['python3', '-c', 'import sys; sys.exit(sys.version_info < (3, 9))'], neededFor: 'the Python wheel and sdist (package:python), cfn-lint and the Python app' },
  // Debian's python3 ships venv (and the ensurepip it runs) in a separate package, python3-venv.
  { tool: 'python3 venv with pip (Debian: python3-venv)', check: ['python3', '-c', 'import venv, ensurepip'], neededFor: 'the virtual environments of package:python, cfn-lint and the Python app' },
  { tool: 'a JDK (javac)', check: ['javac', '-version'], neededFor: 'the Java jar (package:java) and the Java app' },
  { tool: 'Maven (mvn)', check: ['mvn', '--version'], neededFor: 'the Java jar (package:java) and the Java app' },
  { tool: 'Go (go)', check: ['go', 'version'], neededFor: 'the Go module (package:go) and the Go app' },
];

/** The requirements whose check fails (or whose command is missing) in this environment. */
export function missingTools(env: NodeJS.ProcessEnv = process.env): Requirement[] {
  return REQUIREMENTS.filter(requirement => {
    const result = spawnSync(requirement.check[0], requirement.check.slice(1), { env, stdio: 'ignore' });
    return result.error !== undefined || result.status !== 0;
  });
}

if (require.main === module) {
  const missing = missingTools();
  if (missing.length > 0) {
    console.error('The build needs tools this machine lacks (README, "Install"):');
    for (const requirement of missing) console.error(`  - ${requirement.tool}: for ${requirement.neededFor}`);
    process.exit(1);
  }
}
