// `npm run fuzz`: the long fuzzing run — at least 10,000 cases per parser — printing the counts.
import { fuzz } from '../test/fuzz/harness.js';
import { targets } from '../test/fuzz/targets.js';

const cases = Number(process.argv[2] ?? 10_000);
let failed = false;
console.log(`fuzzing nabla's parsers, ${cases} cases each (seeded: the same cases every run)\n`);
console.log('parser                     cases   accepted  rejected  crashes  hangs  slowest');
for (const target of targets()) {
  const c = await fuzz(target, cases, 2026);
  failed ||= c.crashes.length > 0 || c.hangs > 0;
  console.log(
    `${target.name.padEnd(25)} ${String(c.cases).padStart(6)} ${String(c.accepted).padStart(10)} ${String(c.rejected).padStart(9)} ${String(c.crashes.length).padStart(8)} ${String(c.hangs).padStart(6)} ${c.slowestMs.toFixed(0).padStart(6)} ms`,
  );
  for (const crash of c.crashes.slice(0, 5)) console.log(`    case ${crash.case}: ${crash.error}`);
}
process.exitCode = failed ? 1 : 0;
