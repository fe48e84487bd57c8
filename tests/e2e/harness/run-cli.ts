/** Runs the real command line (`scripts/audit.ts`) as a user would, for the CLI end-to-end tests. */
import { spawn } from 'node:child_process';
import { ROOT } from './paths';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command with the build `npm test` made (no rebuild under other tests' browsers). */
export function audit(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'scripts/audit.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, CONSENT_AUDITOR_SKIP_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
