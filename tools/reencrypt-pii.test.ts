import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { hashKeyBase64, keyIdOf, localDevelopmentKeyring, resetKeys } from '../shared/crypto/encryption.js';
import { revealInvestorPii } from '../functions/crm/investors/reveal-investor-pii.js';
import { identityHash } from '../functions/crm/investors/pii.js';
import { recordEvents, signIn } from '../test/support/auth.js';
import { createCompany, ownerQuery } from '../test/support/owner.js';
import { institutionalBody, submitIndividual, crm } from '../test/support/crm.js';
import { bearer } from '../test/support/auth.js';
import { reencryptAll } from './reencrypt-pii.js';

/** Key rotation end to end: new current key, re-encryption, old key retired, every value still readable. */
describe('pii:reencrypt', () => {
  recordEvents();
  const envName = 'PII_ENCRYPTION_KEYS';
  const saved = process.env[envName];
  after(() => {
    if (saved === undefined) delete process.env[envName];
    else process.env[envName] = saved;
    resetKeys();
  });

  it('moves every encrypted value to the current key, keeps hashes valid, and lets the old key go', async () => {
    const company = await createCompany();
    const agent = await signIn({ companyId: company.id, role: 'RM_AGENT' });
    const admin = await signIn({ companyId: company.id, role: 'ADMIN' });
    const { investor, body } = await submitIndividual(agent.accessToken);
    const inst = await crm().post('/crm/investors').set(bearer(agent.accessToken)).send(institutionalBody()).expect(201);
    const actor = { companyIds: [company.id], userId: admin.id };
    const before = await revealInvestorPii({ actor, id: investor.id });
    const beforeInst = await revealInvestorPii({ actor, id: inst.body.id });
    const oldKid = keyIdOf((await ownerQuery<{ nik_enc: string }>(`select nik_enc from investor_individual where investor_id = $1::uuid`, [investor.id]))[0]!.nik_enc)!;
    const pinnedHashKey = await hashKeyBase64();
    const oldKeys = (JSON.parse(saved ?? localDevelopmentKeyring) as { keys: Record<string, string> }).keys;

    // Rotate: a new current key beside the old one (its id sorts first, so the hash key is pinned).
    const newKey = randomBytes(32).toString('base64');
    const ring = (keys: Record<string, string>) => JSON.stringify({ current: 'a2026', keys, hashKey: pinnedHashKey });
    process.env[envName] = ring({ ...oldKeys, a2026: newKey });
    resetKeys();
    const results = await reencryptAll({ batch: 2 });
    assert.ok(results.every((r) => r.skipped === 0));
    assert.ok(results.reduce((n, r) => n + r.reencrypted, 0) >= 5, JSON.stringify(results));

    const [ind] = await ownerQuery<{ nik_enc: string; npwp_enc: string; mother_maiden_name_enc: string }>(
      `select nik_enc, npwp_enc, mother_maiden_name_enc from investor_individual where investor_id = $1::uuid`,
      [investor.id],
    );
    for (const v of Object.values(ind!)) assert.equal(keyIdOf(v), 'a2026');
    const stale = await ownerQuery<{ n: number }>(
      `select count(*)::int as n from investor_bank_account where split_part(account_number_enc, '.', 2) = $1::text and account_number_enc not like 'v1.bench%'`,
      [oldKid],
    );
    assert.equal(stale[0]!.n, 0);

    // Retire the old key: everything still decrypts, and the NIK is still found by its keyed hash.
    process.env[envName] = ring({ a2026: newKey });
    resetKeys();
    assert.deepEqual(await revealInvestorPii({ actor, id: investor.id }), before);
    assert.deepEqual(await revealInvestorPii({ actor, id: inst.body.id }), beforeInst);
    const [found] = await ownerQuery<{ id: string }>(`select id from investor where id_number_hash = $1::text`, [await identityHash.nik(body.individual.nik)]);
    assert.equal(found?.id, investor.id);
  });
});
