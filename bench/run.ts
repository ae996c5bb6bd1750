// Benchmarks print figures; contexts add theirs to this list.
const benches: Array<{ name: string; run: () => Promise<void> }> = [];

for (const b of benches) {
  console.log(`\n== ${b.name}`);
  await b.run();
}
if (benches.length === 0) console.log('no benchmarks yet');
