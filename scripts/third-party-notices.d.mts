export interface BundledPackage {
  /** name@version */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  /** What its package.json declares, undefined when it declares none. */
  readonly licence: string | undefined;
  /** Its licence, copyright and notice files, each with its text. */
  readonly files: readonly { readonly file: string; readonly text: string }[];
  /** The repository's patch applied to it before bundling, if any. */
  readonly patch: string | undefined;
  /** The bundles it is in, as the notices name them ("CLI; construct; functions: prepare, alarm"). */
  readonly bundles: string;
}

export const NOTICES_FILE: string;
export function renderNotices(packages: readonly BundledPackage[]): string;
export function writeNotices(file?: string): Promise<BundledPackage[]>;
