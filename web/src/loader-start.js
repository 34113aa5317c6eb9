// Imported first by the loader, so this mark is its first statement (benchmarks measure from it).
globalThis.performance?.mark?.('loyalty:loader-start');
