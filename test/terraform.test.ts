import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from '@cdktf/hcl2json';
import { allFunctions } from '../functions/manifest.js';
import { deployName } from '../shared/runtime/functions.js';
import { topicNames } from '../shared/events/topics.js';

/**
 * Terraform and the code describe the same system: every registered function, topic and schedule has its
 * cloud resources, and terraform deploys nothing the code does not register.
 */
type Json = Record<string, unknown>;
const dir = new URL('../terraform/', import.meta.url);

async function parsedTerraform(): Promise<{ locals: Json; resources: Record<string, Record<string, Json[]>> }> {
  const locals: Json = {};
  const resources: Record<string, Record<string, Json[]>> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
    const hcl = (await parse(file, readFileSync(new URL(file, dir), 'utf8'))) as { locals?: Json[]; resource?: Record<string, Record<string, Json[]>> };
    for (const block of hcl.locals ?? []) Object.assign(locals, block);
    for (const [type, byName] of Object.entries(hcl.resource ?? {})) Object.assign((resources[type] ??= {}), byName);
  }
  return { locals, resources };
}

describe('terraform matches the function registry', () => {
  let tf: Awaited<ReturnType<typeof parsedTerraform>>;
  before(async () => {
    tf = await parsedTerraform();
  });

  const byKind = (kind: string) => allFunctions.filter((f) => f.kind === kind);

  it('declares every HTTP function, and no other', () => {
    const declared = tf.locals.http_functions as Record<string, { entry_point: string }>;
    assert.deepEqual(
      Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, v.entry_point])),
      Object.fromEntries(byKind('http').map((f) => [deployName(f.name), f.name])),
    );
  });

  it('declares every event function on its topic, and no other', () => {
    const declared = tf.locals.event_functions as Record<string, { entry_point: string; topic: string }>;
    assert.deepEqual(
      Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, [v.entry_point, v.topic]])),
      Object.fromEntries(byKind('event').map((f) => [deployName(f.name), [f.name, f.kind === 'event' ? f.topic : '']])),
    );
  });

  it('declares every scheduled function with its schedule and topic, and no other', () => {
    const declared = tf.locals.scheduled_functions as Record<string, { entry_point: string; schedule: string; topic: string }>;
    assert.deepEqual(
      Object.fromEntries(Object.entries(declared).map(([k, v]) => [k, [v.entry_point, v.schedule, v.topic]])),
      Object.fromEntries(byKind('scheduled').map((f) => [deployName(f.name), f.kind === 'scheduled' ? [f.name, f.schedule, f.topic] : []])),
    );
  });

  it('creates a topic for every event topic in the code, and no other', () => {
    assert.deepEqual([...(tf.locals.event_topics as string[])].sort(), [...topicNames].sort());
  });

  it('turns each declaration into resources: functions, triggers with dead letters, scheduler jobs, topics', () => {
    const forEach = (type: string, name: string) => tf.resources[type]?.[name]?.[0]?.for_each;
    assert.equal(forEach('google_cloudfunctions2_function', 'function'), '${local.function_specs}');
    assert.equal(forEach('google_pubsub_subscription', 'push'), '${local.triggered_functions}');
    assert.equal(forEach('google_cloud_scheduler_job', Object.keys(tf.resources.google_cloud_scheduler_job ?? {})[0] ?? ''), '${local.scheduled_functions}');
    assert.equal(forEach('google_pubsub_topic', 'topic'), '${toset(local.topics)}');
    const push = tf.resources.google_pubsub_subscription!.push![0] as { dead_letter_policy: Array<{ max_delivery_attempts: number }> };
    assert.equal(push.dead_letter_policy[0]!.max_delivery_attempts, 5);
  });

  it('builds every function from its registered entry point', () => {
    const fn = tf.resources.google_cloudfunctions2_function!.function![0] as { build_config: Array<{ entry_point: string }> };
    assert.equal(fn.build_config[0]!.entry_point, '${each.value.entry_point}');
  });
});

describe('terraform keeps the KYC documents private, for signed URLs only', () => {
  let tf: Awaited<ReturnType<typeof parsedTerraform>>;
  before(async () => {
    tf = await parsedTerraform();
  });

  it('has a private, versioned bucket whose CORS lets browsers send the signed upload headers', () => {
    const bucket = tf.resources.google_storage_bucket?.kyc_documents?.[0] as Json & {
      versioning: Array<{ enabled: boolean }>;
      cors: Array<{ method: string[]; response_header: string[] }>;
    };
    assert.equal(bucket.uniform_bucket_level_access, true);
    assert.equal(bucket.public_access_prevention, 'enforced');
    assert.equal(bucket.versioning[0]!.enabled, true);
    assert.ok(bucket.cors[0]!.method.includes('PUT') && bucket.cors[0]!.method.includes('GET'));
    // The upload grant's headers (shared/storage/gcs-storage.ts).
    assert.ok(bucket.cors[0]!.response_header.includes('Content-Type'));
    assert.ok(bucket.cors[0]!.response_header.includes('x-goog-content-length-range'));
  });

  it('tells every function to sign URLs of that bucket (shared/config.ts refuses another backend in the cloud)', () => {
    const env = tf.locals.function_env as Record<string, string>;
    assert.equal(env.APP_ENV, 'cloud');
    assert.equal(env.STORAGE_BACKEND, 'gcs');
    assert.equal(env.DOCUMENTS_BUCKET, '${google_storage_bucket.kyc_documents.name}');
  });

  it("points every function at Bib's https address, and bounds a sync run within the scheduled function's timeout", () => {
    const env = tf.locals.function_env as Record<string, string | number>;
    assert.equal(env.BIB_BASE_URL, '${var.bib_base_url}');
    const timeouts = tf.locals.function_timeout_seconds as Record<string, number>;
    // The run stops starting work at BIB_SYNC_MAX_MS; calls in flight (a token call, the call, one retry on 401: 3 × BIB_TIMEOUT_MS) finish before the timeout.
    assert.ok(Number(env.BIB_SYNC_MAX_MS) + 3 * Number(env.BIB_TIMEOUT_MS) < timeouts.scheduled! * 1000, JSON.stringify({ env, timeouts }));
  });

  it('lets crm, and no other function, manage objects of that bucket only and sign URLs as itself', () => {
    const access = tf.locals.function_access as Record<string, { kyc_documents: boolean }>;
    assert.deepEqual(Object.keys(access).filter((name) => access[name]!.kyc_documents), ['crm']);
    const admin = tf.resources.google_storage_bucket_iam_member?.kyc_object_admin?.[0] as Json;
    assert.deepEqual(
      { bucket: admin.bucket, role: admin.role, for_each: admin.for_each },
      { bucket: '${google_storage_bucket.kyc_documents.name}', role: 'roles/storage.objectAdmin', for_each: '${local.kyc_functions}' },
    );
    const signer = tf.resources.google_service_account_iam_member?.kyc_url_signer?.[0] as Json;
    assert.equal(signer.role, 'roles/iam.serviceAccountTokenCreator');
    assert.equal(signer.for_each, '${local.kyc_functions}');
    // On itself: the account it acts on is the account it is granted to.
    assert.equal(signer.service_account_id, '${google_service_account.function[each.key].name}');
    assert.equal(signer.member, 'serviceAccount:${google_service_account.function[each.key].email}');
  });
});
