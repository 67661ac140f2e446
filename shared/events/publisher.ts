import type { Topic } from '@google-cloud/pubsub';
import { config } from '../config.js';

/** Where outbox rows go after commit: Pub/Sub in the cloud (or its emulator), the local bus in `npm start`. */
export interface Publisher {
  /** Resolves with the broker's message id once the broker has accepted the message. */
  publish(topic: string, data: Buffer, attributes: Record<string, string>): Promise<string>;
}

/**
 * @google-cloud/pubsub, imported on the first publish so cold starts that publish nothing stay small
 * (the type import above is erased at build time).
 */
export class PubSubPublisher implements Publisher {
  private readonly topicHandles = new Map<string, Promise<Topic>>();

  publish(topic: string, data: Buffer, attributes: Record<string, string>): Promise<string> {
    return this.topic(topic).then((t) => t.publishMessage({ data, attributes }));
  }

  private topic(name: string): Promise<Topic> {
    let handle = this.topicHandles.get(name);
    if (!handle) {
      handle = import('@google-cloud/pubsub').then(({ PubSub }) =>
        new PubSub({ projectId: config().GOOGLE_CLOUD_PROJECT }).topic(name, {
          batching: { maxMessages: 100, maxMilliseconds: 10 },
        }),
      );
      this.topicHandles.set(name, handle);
    }
    return handle;
  }
}

let current: Publisher | undefined;

export function publisher(): Publisher {
  current ??= new PubSubPublisher();
  return current;
}

/** The local runtime and tests install their own publisher. */
export function setPublisher(next: Publisher | undefined): void {
  current = next;
}
