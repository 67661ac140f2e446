import type { Publisher } from '../../shared/events/publisher.js';
import type { Logger } from '../../shared/logging.js';
import { nextRun } from './cron.js';

/**
 * Local Cloud Scheduler: at each cron tick it publishes the job's fixed message `{"job": name}` to the
 * job's topic, exactly as the google_cloud_scheduler_job in terraform does, and the event bus delivers it.
 */
export interface ScheduledJob {
  name: string;
  schedule: string;
  timeZone: string;
  topic: string;
}

export class LocalScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly publisher: Publisher,
    private readonly log: Logger,
  ) {}

  start(jobs: readonly ScheduledJob[]): void {
    for (const job of jobs) this.plan(job);
  }

  /** Publishes a job's message now (also what a tick does). */
  async trigger(job: ScheduledJob): Promise<string> {
    return this.publisher.publish(job.topic, Buffer.from(JSON.stringify({ job: job.name })), {});
  }

  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private plan(job: ScheduledJob): void {
    const at = nextRun(job.schedule, new Date(), job.timeZone);
    const timer = setTimeout(() => {
      this.trigger(job).catch((err) => this.log.warn({ err, job: job.name }, 'scheduled publish failed'));
      this.plan(job);
    }, Math.max(0, at.getTime() - Date.now()));
    timer.unref();
    this.timers.set(job.name, timer);
  }
}
