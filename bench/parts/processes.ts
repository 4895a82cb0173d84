// The functions' and the CLI's figures come from their own scripts (bench/function-assets.mjs,
// bench/cli-startup.mjs), run as they are and read from what they print, so either can change how it
// measures without this file: a line it no longer recognises is kept as printed, under `lines`.
import { spawnSync } from 'node:child_process';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Runs one of the bench scripts and returns its printed lines; throws with its output when it fails. */
function runScript(script: string): string[] {
  const run = spawnSync(process.execPath, [script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (run.status !== 0) throw new Error(`${script} exited ${run.status}: ${run.stderr || run.stdout}`);
  return run.stdout.split('\n').filter((line) => line.trim() !== '');
}

export interface FunctionFigures {
  readonly name: string;
  readonly codeKB: number;
  readonly mapsKB: number;
  readonly loadMs: number;
  readonly meetsGoal: boolean;
}

/** Reads bench/function-assets.mjs's rows: "<name> <code> KB <maps> KB <load> ms [!]| before ...". */
export function parseFunctionAssets(lines: readonly string[]) {
  const functions: FunctionFigures[] = [];
  for (const line of lines) {
    const row = /^(\w+)\s+(\d+) KB\s+(\d+) KB\s+(\d+|NaN) ms\s*(!?)\|/.exec(line);
    if (!row) continue;
    functions.push({
      name: row[1] as string,
      codeKB: Number(row[2]),
      mapsKB: Number(row[3]),
      loadMs: Number(row[4]),
      meetsGoal: row[5] !== '!',
    });
  }
  const nodeAlone = /node alone: (\d+) ms/.exec(lines.join('\n'))?.[1];
  return { nodeAloneMs: nodeAlone === undefined ? null : Number(nodeAlone), functions, lines };
}

/** Reads bench/cli-startup.mjs's lines: node alone, the built CLI and the same sources through tsx. */
export function parseCliStartup(lines: readonly string[]) {
  const text = lines.join('\n');
  const ms = (re: RegExp) => {
    const found = re.exec(text)?.[1];
    return found === undefined ? null : Number(found);
  };
  return {
    command: 'stepshift rehearse examples/canary-healthy.json',
    nodeAloneMs: ms(/node alone (\d+) ms/),
    builtMs: ms(/built \(.*?\)\s+(\d+) ms/),
    tsxMs: ms(/through tsx.*?\s(\d+) ms/),
    lines,
  };
}

export const measureFunctions = () => parseFunctionAssets(runScript('bench/function-assets.mjs'));
export const measureCli = () => parseCliStartup(runScript('bench/cli-startup.mjs'));
