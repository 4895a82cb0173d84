// In place of level (LevelDB on disk, a native module) inside dynalite, in the CLI's bundle
// (README.md beside): the rehearsal's dynalite keeps its tables in memory (memory-level).
export class Level {
  constructor() {
    throw new Error("stepshift's CLI bundle has no on-disk LevelDB: its dynalite keeps tables in memory");
  }
}
