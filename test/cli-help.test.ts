/** `lab help COMMAND` and `lab COMMAND --help` print that command's usage and exit 0; an unknown one exits 1 with the list. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const lab = async (...args: string[]) => {
  try {
    const { stdout } = await run('node_modules/.bin/tsx', ['src/cli/main.ts', ...args]);
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
};

describe('lab help', () => {
  it('prints one command for `compare --help` and `help validate`', async () => {
    const compare = await lab('compare', '--help');
    expect(compare.code).toBe(0);
    expect(compare.stdout).toMatch(/^ {2}lab compare --data DIR/);
    expect(compare.stdout).not.toContain('lab validate');
    const validate = await lab('help', 'validate');
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain("score a scores file as the network's validator does");
  });

  it('lists every command for `help`, and refuses an unknown one naming it', async () => {
    expect((await lab('help')).stdout).toContain('lab active simulate');
    const unknown = await lab('help', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown command 'nope'");
  });
});
