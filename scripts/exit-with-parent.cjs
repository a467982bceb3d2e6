// Preloaded into Prism by scripts/mock.ts (node --require). The mock holds the write end of this
// process's stdin pipe; when the mock ends, however it ends (SIGKILL included), the pipe closes and
// Prism follows instead of keeping the port. CommonJS: --require does not take an ES module on Node 20.
process.stdin
  .on('end', () => process.exit(0))
  .on('error', () => process.exit(0))
  .resume();
