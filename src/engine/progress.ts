import type { JobPhase, JobProgress } from './job-types.ts';

/**
 * Turns per-phase byte counts into the progress a person reads: percent of the phase, MB/s of the
 * phase, and an ETA over all remaining phases, assuming each remaining phase runs at the rate of
 * the work done so far.
 */
export class ProgressMeter {
  private phaseStarted = 0;
  private jobStarted: number;
  private finishedBytes = 0;
  private phase: JobPhase = 'scan';

  constructor(
    private readonly bytesPerPhase: number,
    private readonly phases: number,
    private readonly report: (p: JobProgress) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.jobStarted = this.phaseStarted = now();
  }

  start(phase: JobPhase): void {
    if (this.phase !== phase) this.finishedBytes += this.bytesPerPhase;
    this.phase = phase;
    this.phaseStarted = this.now();
    this.update(0);
  }

  update(done: number): void {
    const t = this.now();
    const phaseSeconds = (t - this.phaseStarted) / 1000;
    const jobSeconds = (t - this.jobStarted) / 1000;
    const jobDone = this.finishedBytes + done;
    const jobTotal = this.bytesPerPhase * this.phases;
    const jobRate = jobSeconds > 0.05 ? jobDone / jobSeconds : 0;
    this.report({
      phase: this.phase,
      done,
      total: this.bytesPerPhase,
      mbPerSec: phaseSeconds > 0.05 ? done / phaseSeconds / 1e6 : 0,
      etaSeconds: jobRate > 0 ? Math.max(0, (jobTotal - jobDone) / jobRate) : null,
    });
  }
}
