import type { Publisher } from '../../shared/events/publisher.js';

/** Stands in for Pub/Sub's network: records what was published, or fails on demand. */
export class RecordingPublisher implements Publisher {
  readonly messages: Array<{ topic: string; data: unknown; attributes: Record<string, string> }> = [];
  failing = false;
  private seq = 0;

  async publish(topic: string, data: Buffer, attributes: Record<string, string>): Promise<string> {
    if (this.failing) throw new Error('Pub/Sub unavailable (simulated)');
    this.messages.push({ topic, data: JSON.parse(data.toString('utf8')), attributes });
    return String(++this.seq);
  }
}
