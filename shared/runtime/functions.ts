import * as ff from '@google-cloud/functions-framework';
import type { CloudEventFunction, HttpFunction } from '@google-cloud/functions-framework';
import type { AnyRoute } from '../http/route.js';
import { createHttpFunction, type HttpFunctionOptions } from '../http/handler.js';
import type { TopicName } from '../events/topics.js';
import { scheduleMessage, scheduleTopic } from '../events/topics.js';
import { logger } from '../logging.js';

/**
 * What each function folder declares about its functions. index.ts registers them with the Functions
 * Framework; the local runtime, the OpenAPI/gateway generator and the terraform test read the same list,
 * so a function cannot exist in one place and be missing in another.
 */
export type FunctionDef =
  | { kind: 'http'; name: string; routes: readonly AnyRoute[]; handler: HttpFunction }
  | { kind: 'event'; name: string; topic: TopicName; handler: CloudEventFunction<unknown> }
  | { kind: 'scheduled'; name: string; schedule: string; timeZone: string; topic: string; handler: CloudEventFunction<unknown> };

/** Cloud resource names are kebab-case; registered names (entry points) are camelCase. */
export function deployName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function httpFunction(name: string, routes: readonly AnyRoute[], options?: HttpFunctionOptions): FunctionDef {
  return { kind: 'http', name, routes, handler: createHttpFunction(routes, options) };
}

export function eventFunction(name: string, topic: TopicName, handler: CloudEventFunction<unknown>): FunctionDef {
  return { kind: 'event', name, topic, handler };
}

export interface ScheduledOptions {
  name: string;
  /** Cron, five fields, in `timeZone` (Cloud Scheduler's format). */
  schedule: string;
  timeZone?: string;
  run: () => Promise<Record<string, unknown>>;
}

/**
 * Cloud Scheduler → Pub/Sub topic `schedule.<name>` → this CloudEvent function. Runs are safe to overlap
 * or repeat, so no dedupe; a failed run throws and Pub/Sub retries it.
 */
export function scheduledFunction(opts: ScheduledOptions): FunctionDef {
  const topic = scheduleTopic(deployName(opts.name));
  const handler: CloudEventFunction<unknown> = async (ce) => {
    const envelope = decodeScheduleMessage(ce);
    if (!envelope) {
      logger().error({ function: opts.name, messageId: ce.id }, 'malformed schedule message dropped');
      return;
    }
    const started = Date.now();
    try {
      const report = await opts.run();
      logger().info({ function: opts.name, ms: Date.now() - started, ...report }, `${opts.name} run finished`);
    } catch (err) {
      logger().error({ function: opts.name, err }, `${opts.name} run failed`);
      throw err;
    }
  };
  return { kind: 'scheduled', name: opts.name, schedule: opts.schedule, timeZone: opts.timeZone ?? 'Asia/Jakarta', topic, handler };
}

function decodeScheduleMessage(ce: Parameters<CloudEventFunction<unknown>>[0]): boolean {
  // The payload is the scheduler job's fixed body, `{"job": name}`.
  const data = (ce.data as { message?: { data?: string } } | undefined)?.message?.data;
  if (!data) return false;
  try {
    return scheduleMessage.safeParse(JSON.parse(Buffer.from(data, 'base64').toString('utf8'))).success;
  } catch {
    return false;
  }
}

export function registerFunctions(defs: readonly FunctionDef[]): void {
  for (const def of defs) {
    if (def.kind === 'http') ff.http(def.name, def.handler);
    else ff.cloudEvent(def.name, def.handler);
  }
}
