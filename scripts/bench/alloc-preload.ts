// Loaded with --import into a server under profile: samples every allocation, including objects the
// garbage collector has already freed (what --heap-prof leaves out), and writes a .heapprofile on exit.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.GIJ_BENCH_PROFILE_DIR ?? '.';
const session = new Session();
session.connect();
session.post('HeapProfiler.startSampling', {
  samplingInterval: 32 * 1024,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
process.on('exit', () => {
  // In-process inspector calls answer synchronously, so the profile is written before the process ends.
  session.post('HeapProfiler.stopSampling', (err, result) => {
    if (!err) writeFileSync(join(dir, `alloc-${process.pid}.heapprofile`), JSON.stringify(result.profile));
  });
});
