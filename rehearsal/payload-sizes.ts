/**
 * The largest payload a task state sent to its function or got back, in UTF-8 bytes of its JSON: what
 * Step Functions counts against its 256 KiB limit on a state's input and output.
 */
export class PayloadSizes {
  largest: { readonly state: string; readonly bytes: number } | undefined;

  note(state: string, payload: unknown): void {
    const bytes = Buffer.byteLength(JSON.stringify(payload ?? null), 'utf8');
    if (this.largest === undefined || bytes > this.largest.bytes) this.largest = { state, bytes };
  }
}
