import { config } from '../../shared/config.js';

/**
 * With PUBSUB_EMULATOR_HOST set, messages go through the real Pub/Sub client to the emulator, and the
 * emulator pushes them to the local function servers. The Functions Framework turns a push request into
 * the same CloudEvent Eventarc delivers, so the functions see no difference.
 */
export async function connectEmulatorPushSubscriptions(subs: ReadonlyArray<{ topic: string; functionName: string; url: string }>): Promise<void> {
  const { PubSub } = await import('@google-cloud/pubsub');
  const pubsub = new PubSub({ projectId: config().GOOGLE_CLOUD_PROJECT });
  for (const sub of subs) {
    const topic = pubsub.topic(sub.topic);
    const [exists] = await topic.exists();
    if (!exists) await topic.create();
    const subscription = topic.subscription(`local-${sub.functionName}`);
    const [subExists] = await subscription.exists();
    const pushConfig = { pushEndpoint: `${sub.url}/projects/${config().GOOGLE_CLOUD_PROJECT}/topics/${sub.topic}` };
    if (subExists) await subscription.modifyPushConfig(pushConfig);
    else await topic.createSubscription(`local-${sub.functionName}`, { pushConfig, ackDeadlineSeconds: 60 });
  }
}
