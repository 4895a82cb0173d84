// The functions' and the CLI's figures come from their own scripts (bench/function-assets.mjs,
// bench/cli-startup.mjs), run as whole processes with `--json`, so that each measures in a node of
// its own, as a person running it alone would.
import { spawnSync } from 'node:child_process';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Runs one of the bench scripts with --json and returns its document; throws with its output when it fails. */
function runScript(script: string): unknown {
  const run = spawnSync(process.execPath, [script, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (run.status !== 0) throw new Error(`${script} exited ${run.status}: ${run.stderr || run.stdout}`);
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`${script} --json printed no JSON document: ${run.stdout}`);
  }
}

/** One function's figures (or a floor row's), as bench/function-assets.mjs measures them. */
export interface FunctionFigures {
  readonly name: string;
  readonly codeBytes: number;
  readonly atStartBytes: number;
  readonly mapsBytes: number;
  /** Median of the differences: node loading the function, minus node alone just before it. */
  readonly loadMs: number;
  /** Median of the whole processes loading it. */
  readonly wholeMs: number;
  readonly nodeAloneMs: number;
  readonly meetsGoal?: boolean;
}

export interface FunctionAssets {
  readonly goal: { readonly atStartBytes: number; readonly loadMs: number };
  readonly runs: number;
  readonly functions: readonly FunctionFigures[];
  /** Handlers built as the functions are: one importing nothing, one building two SDK clients. */
  readonly floor: readonly FunctionFigures[];
  readonly before: Readonly<Record<string, { code: number; maps: number; loadMs: number }>>;
  readonly beforeMeasured: string;
}

export interface CliStartup {
  readonly command: string;
  readonly runs: number;
  readonly goalMs: number;
  readonly nodeAloneMs: number;
  readonly builtMs: number;
  readonly tsxMs: number;
}

export const measureFunctions = () => runScript('bench/function-assets.mjs') as FunctionAssets;
export const measureCli = () => runScript('bench/cli-startup.mjs') as CliStartup;
