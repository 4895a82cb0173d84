import { type LoggerInterface, loader, parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Vega's errors, kept to be thrown once the view has run: Vega logs them and draws on without. */
class ErrorsKept implements LoggerInterface {
  readonly errors: string[] = [];
  private current = 0;
  level(level?: number): never {
    if (level === undefined) return this.current as never;
    this.current = level;
    return this as never;
  }
  error(...args: unknown[]): this {
    this.errors.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    return this;
  }
  warn(): this {
    return this;
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}

/**
 * Renders a Vega-Lite spec to SVG text in Node, without a browser or a canvas: Vega's headless view
 * with no renderer draws its scenegraph straight to SVG markup (View.toSVG). The loader refuses
 * every URL, so a spec draws only the data it carries; anything Vega could not do is thrown, rather
 * than drawn as an empty chart.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const logger = new ErrorsKept();
  const refuse = loader();
  refuse.load = async (uri: string) => {
    // Vega only warns when data does not load, and draws on: kept as an error, so the chart fails.
    const refusal = `a chart draws only the data it carries; it does not load ${uri}`;
    logger.error(refusal);
    throw new Error(refusal);
  };
  const view = new View(parse(compile(spec).spec), { renderer: 'none', loader: refuse, logger });
  try {
    const svg = await view.toSVG();
    if (logger.errors.length) throw new Error(`the chart could not be drawn: ${logger.errors.join('; ')}`);
    return svg;
  } finally {
    view.finalize();
  }
}
