import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { getFunction } from '@google-cloud/functions-framework/testing';
import type { CloudEvent, CloudEventFunction } from '@google-cloud/functions-framework';
import { asTenant } from '../../../test/support/notify.js';
import { asSuperAdmin, createCompany, ownerQuery } from '../../../test/support/owner.js';
import { createUser, type TestUser } from '../../../test/support/users.js';
import '../../../test/support/http.js';
import { purgeAuthRecords } from './purge-auth-records.js';

/** app.purge_auth_records through purgeAuthRecords(), as the app role, across tenants. */

async function ott(user: TestUser, expiresAt: string): Promise<string> {
  const id = randomUUID();
  await asTenant(
    user.companyId,
    `insert into auth_ott (id, company_id, user_id, purpose, channel, destination, code_hash, code_encrypted, expires_at)
     values ($1::uuid, $2::bigint, $3::bigint, 'REGISTER', 'SMS', $4::text, 'hash', 'encrypted', ${expiresAt})`,
    [id, user.companyId, user.id, user.phone],
  );
  return id;
}

async function decoy(expiresAt: string): Promise<string> {
  const id = randomUUID();
  await ownerQuery(
    `insert into auth_ott_decoy (id, channel, destination_masked, destination_key, expires_at) values ($1::uuid, 'SMS', '+62***0000', 'key', ${expiresAt})`,
    [id],
  );
  return id;
}

async function userToken(user: TestUser, expiresAt: string): Promise<number> {
  const [row] = await asTenant<{ id: string }>(
    user.companyId,
    `insert into auth_user_token (company_id, user_id, purpose, token_hash, expires_at)
     values ($1::bigint, $2::bigint, 'RESET_PASSWORD', $3::text, ${expiresAt}) returning id`,
    [user.companyId, user.id, randomBytes(32).toString('base64url')],
  );
  return Number(row!.id);
}

async function session(user: TestUser, expiresAt: string, revokedAt = 'null'): Promise<string> {
  const id = randomUUID();
  await asTenant(
    user.companyId,
    `insert into auth_session (id, company_id, user_id, device_id, expires_at, revoked_at, revoked_reason)
     values ($1::uuid, $2::bigint, $3::bigint, 'device', ${expiresAt}, ${revokedAt}, case when ${revokedAt} is null then null else 'LOGOUT' end)`,
    [id, user.companyId, user.id],
  );
  await asTenant(user.companyId, `insert into auth_refresh_token (company_id, session_id, token_hash) values ($1::bigint, $2::uuid, $3::text)`, [
    user.companyId,
    id,
    randomBytes(32).toString('base64url'),
  ]);
  return id;
}

async function rateLimit(expiresAt: string): Promise<string> {
  const key = `test-purge:${randomUUID()}`;
  await ownerQuery(`insert into rate_limit (key, window_start, hits, expires_at) values ($1::text, ${expiresAt} - interval '1 hour', 3, ${expiresAt})`, [key]);
  return key;
}

async function userAged(companyId: number, status: 'PENDING_VERIFICATION' | 'PENDING_APPROVAL' | 'ACTIVE', age: string): Promise<TestUser> {
  const user = await createUser({ companyId, status });
  await asSuperAdmin((c) => c.query(`update auth_user set created_at = now() - ${age}::interval where id = $1::bigint`, [user.id]));
  return user;
}

const exists = async (table: string, column: string, value: string | number) =>
  (await ownerQuery(`select 1 from ${table} where ${column} = $1`, [value])).length > 0;

describe('purgeAuthRecords', () => {
  it('removes what expired more than a day ago and keeps what is live or only recently expired', async () => {
    const company = await createCompany();
    const user = await createUser({ companyId: company.id });
    const gone = {
      ott: await ott(user, `now() - interval '25 hours'`),
      decoy: await decoy(`now() - interval '25 hours'`),
      token: await userToken(user, `now() - interval '25 hours'`),
      expiredSession: await session(user, `now() - interval '25 hours'`),
      oldRevokedSession: await session(user, `now() + interval '1 day'`, `now() - interval '31 days'`),
      rateLimit: await rateLimit(`now() - interval '1 second'`),
    };
    const kept = {
      liveOtt: await ott(user, `now() + interval '5 minutes'`),
      recentOtt: await ott(user, `now() - interval '1 hour'`),
      liveDecoy: await decoy(`now() + interval '5 minutes'`),
      recentDecoy: await decoy(`now() - interval '1 hour'`),
      token: await userToken(user, `now() + interval '10 minutes'`),
      session: await session(user, `now() + interval '30 days'`),
      recentlyRevokedSession: await session(user, `now() + interval '30 days'`, `now() - interval '1 day'`),
      rateLimit: await rateLimit(`now() + interval '1 minute'`),
    };

    // Everything is there (and visible to these checks) before the run.
    for (const [table, column, value] of [
      ['auth_ott', 'id', gone.ott],
      ['auth_ott_decoy', 'id', gone.decoy],
      ['auth_user_token', 'id', gone.token],
      ['auth_session', 'id', gone.expiredSession],
      ['auth_session', 'id', gone.oldRevokedSession],
      ['auth_refresh_token', 'session_id', gone.expiredSession],
      ['rate_limit', 'key', gone.rateLimit],
    ] as const) {
      assert.equal(await exists(table, column, value), true, `${table} ${value} before`);
    }

    const report = await purgeAuthRecords();
    assert.deepEqual(Object.keys(report).sort(), ['bib_webhook_event', 'ott', 'ott_decoy', 'rate_limit', 'session', 'unverified_user', 'user_token']);
    assert.ok(report.ott! >= 1 && report.ott_decoy! >= 1 && report.user_token! >= 1 && report.rate_limit! >= 1);
    assert.ok(report.session! >= 2);

    assert.equal(await exists('auth_ott', 'id', gone.ott), false, 'expired OTT');
    assert.equal(await exists('auth_ott_decoy', 'id', gone.decoy), false, 'expired decoy');
    assert.equal(await exists('auth_user_token', 'id', gone.token), false, 'expired user token');
    assert.equal(await exists('auth_session', 'id', gone.expiredSession), false, 'expired session');
    assert.equal(await exists('auth_session', 'id', gone.oldRevokedSession), false, 'session revoked a month ago');
    assert.equal(await exists('auth_refresh_token', 'session_id', gone.expiredSession), false, 'its refresh tokens');
    assert.equal(await exists('rate_limit', 'key', gone.rateLimit), false, 'ended rate-limit window');

    assert.equal(await exists('auth_ott', 'id', kept.liveOtt), true, 'live OTT');
    assert.equal(await exists('auth_ott', 'id', kept.recentOtt), true, 'OTT expired an hour ago');
    assert.equal(await exists('auth_ott_decoy', 'id', kept.liveDecoy), true, 'live decoy');
    assert.equal(await exists('auth_ott_decoy', 'id', kept.recentDecoy), true, 'decoy expired an hour ago');
    assert.equal(await exists('auth_user_token', 'id', kept.token), true, 'live user token');
    assert.equal(await exists('auth_session', 'id', kept.session), true, 'live session');
    assert.equal(await exists('auth_session', 'id', kept.recentlyRevokedSession), true, 'session revoked yesterday');
    assert.equal(await exists('auth_refresh_token', 'session_id', kept.session), true, 'its refresh token');
    assert.equal(await exists('rate_limit', 'key', kept.rateLimit), true, 'live rate-limit window');
    assert.equal(await exists('auth_user', 'id', user.id), true, 'the active user');
  });

  it('removes registrations never verified within 24 hours, with what hangs off them, and nothing else', async () => {
    const company = await createCompany();
    const stale = await userAged(company.id, 'PENDING_VERIFICATION', `'25 hours'`);
    const staleOtt = await ott(stale, `now() - interval '24 hours'`);
    await asTenant(company.id, `insert into device_info (company_id, user_id, device_id) values ($1::bigint, $2::bigint, 'reg-device')`, [company.id, stale.id]);
    const fresh = await userAged(company.id, 'PENDING_VERIFICATION', `'23 hours'`);
    const waiting = await userAged(company.id, 'PENDING_APPROVAL', `'30 days'`);
    const active = await userAged(company.id, 'ACTIVE', `'30 days'`);
    assert.equal(await exists('auth_user_company', 'user_id', stale.id), true, 'membership before');
    assert.equal((await asTenant(company.id, `select 1 from device_info where user_id = $1::bigint`, [stale.id])).length, 1, 'device before');

    const report = await purgeAuthRecords();
    assert.ok(report.unverified_user! >= 1);
    assert.equal(await exists('auth_user', 'id', stale.id), false, 'the stale registration');
    assert.equal(await exists('auth_ott', 'id', staleOtt), false, 'its code');
    assert.equal((await asTenant(company.id, `select 1 from device_info where user_id = $1::bigint`, [stale.id])).length, 0, 'its device');
    assert.equal(await exists('auth_user_company', 'user_id', stale.id), false, 'its membership');
    for (const u of [fresh, waiting, active]) assert.equal(await exists('auth_user', 'id', u.id), true, `user ${u.id} stays`);

    // The email and phone are free again.
    const again = await createUser({ companyId: company.id, email: stale.email, phone: stale.phone });
    assert.ok(again.id > stale.id);
  });

  it('is idempotent: a second run finds nothing of what the first removed', async () => {
    const company = await createCompany();
    const user = await createUser({ companyId: company.id });
    const id = await ott(user, `now() - interval '2 days'`);
    await purgeAuthRecords();
    assert.equal(await exists('auth_ott', 'id', id), false);
    const second = await purgeAuthRecords();
    for (const [kind, n] of Object.entries(second)) assert.ok(Number.isInteger(n) && n >= 0, kind);
  });

  it('runs as the scheduled function purgeAuthRecords (a Cloud Scheduler message)', async () => {
    const company = await createCompany();
    const user = await createUser({ companyId: company.id });
    const id = await ott(user, `now() - interval '2 days'`);
    const fn = getFunction('purgeAuthRecords') as CloudEventFunction<unknown>;
    assert.ok(fn, 'registered');
    const data = { message: { data: Buffer.from(JSON.stringify({ job: 'purge-auth-records' })).toString('base64') } };
    await fn({ id: randomUUID(), specversion: '1.0', type: 'google.cloud.pubsub.topic.v1.messagePublished', source: 'test', data } as CloudEvent<unknown>);
    assert.equal(await exists('auth_ott', 'id', id), false);
  });
});
