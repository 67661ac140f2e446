import { randomInt } from 'node:crypto';
import { devClient, type Json } from './dev-client.js';
import { randomBirthDate, sampleIndividual } from './sample-kyc.js';

/**
 * `npm run demo:links`, against a running `npm start`: makes what an investor's emails need, so a person can
 * click through the investor pages from /_dev/mail. The demo admin approves the demo agent (once); the agent
 * onboards an investor whom the admin approves, prepares two subscriptions (one suitable, one above the
 * investor's risk profile with the recorded acknowledgement), and invites a second investor to register
 * remotely. Each run makes fresh investors; the codes the pages ask for arrive at /_dev/mail too.
 */

/** A KTP-consistent identity: the NIK encodes the district of Gambir, the birth date and the gender of a woman. */
function individual(fullName: string, phone: string, email: string) {
  return sampleIndividual({ fullName, birthDate: randomBirthDate(1965), gender: 'FEMALE', email, phone });
}

function expect(res: { status: number; body: Json }, status: number, what: string): Json {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function main(): Promise<void> {
  const creds = await devClient('').demoCredentials();
  // `npm run demo:links -- <base URL>` for a stack other than the one that wrote the credentials last.
  const baseUrl = process.argv[2] ?? (creds.baseUrl as string);
  const c = devClient(baseUrl);
  const admin = await c.adminToken();

  const agentUrl = `/idty/users/${creds.agent.id as number}`;
  const agent = expect(await c.call('GET', agentUrl, undefined, admin), 200, 'the demo agent');
  if (agent.status === 'PENDING_APPROVAL') expect(await c.call('PATCH', `${agentUrl}/approveOrReject`, { decision: 'APPROVE' }, admin), 200, 'approving the demo agent');
  const rm = await agentToken(c, creds, agent);

  const suffix = String(randomInt(10_000_000, 99_999_999));
  const phone = `+62813${suffix}`;
  const email = `dewi.${suffix}@investor.local`;
  const investor = expect(
    await c.call(
      'POST',
      '/crm/investors',
      {
        type: 'INDIVIDUAL',
        individual: individual('Dewi Lestari', phone, email),
        riskProfile: await lowestRiskAnswers(c),
        bankAccounts: [{ bankCode: '014', accountNumber: `5${suffix}1`, accountHolderName: 'DEWI LESTARI', isPrimary: true }],
      },
      rm,
    ),
    201,
    'the agent submits an investor',
  );
  expect(await c.call('PATCH', '/crm/investors', { ids: [investor.id], decision: 'APPROVE' }, admin), 200, 'the admin approves the investor');

  const orders = [
    { type: 'SUBSCRIPTION', productCode: 'MMF-KAS', amount: '1000000' },
    { type: 'SUBSCRIPTION', productCode: 'EQF-SAHAM', amount: '5000000', riskAcknowledged: true },
  ];
  for (const order of orders) expect(await c.call('POST', '/crm/instructions', { investorId: investor.id, ...order }, rm), 201, `instruction ${order.productCode}`);

  const leadEmail = `andi.${suffix}@investor.local`;
  const lead = expect(await c.call('POST', '/crm/leads', { fullname: 'Andi Wijaya', email: leadEmail, phone: `+62815${suffix}` }, rm), 201, 'a lead');
  for (const status of ['CONTACTED', 'INTERESTED']) expect(await c.call('PUT', `/crm/leads/${lead.id as number}`, { status }, rm), 200, `the lead becomes ${status}`);
  const draft = expect(await c.call('POST', `/crm/leads/${lead.id as number}/convert`, undefined, rm), 201, 'the lead becomes a draft investor');
  expect(await c.call('POST', `/crm/investors/${draft.investor.id as string}/remote-registration`, undefined, rm), 202, 'the remote registration link');

  process.stdout.write(
    [
      '',
      `Open ${baseUrl}/_dev/mail:`,
      `  ${email}: two signature links (Mohon tinjau dan tanda tangani transaksi Anda); the second asks for the risk acknowledgement.`,
      `  ${leadEmail}: a remote registration link (Lengkapi pendaftaran investor Anda).`,
      '  The pages send a code by SMS to the investor; it appears at /_dev/mail too.',
      '',
    ].join('\n'),
  );
}

/** The demo agent signs in on a phone of its own; a new phone confirms with the code the sink shows. */
async function agentToken(c: ReturnType<typeof devClient>, creds: Json, agent: Json): Promise<string> {
  const since = new Date().toISOString();
  const device = `demo-links-${Date.now()}`;
  const login = await c.call('POST', '/auth/login', { identifier: creds.agent.email, password: creds.agent.password, deviceId: device, platform: 'ANDROID' });
  if (login.status === 200) return login.body.accessToken as string;
  const challenge = expect(login, 202, 'the agent signs in');
  const destination = challenge.otp.channel === 'SMS' ? (agent.phone as string) : (agent.email as string);
  const code = await c.codeSentTo(destination, since);
  return expect(await c.call('POST', '/auth/verify-otp', { ottId: challenge.otp.ottId, code, deviceId: device }), 200, 'the agent confirms the new phone').accessToken as string;
}

/** The answers scoring lowest on each question: a CONSERVATIVE profile, so equity funds need the acknowledgement. */
async function lowestRiskAnswers(c: ReturnType<typeof devClient>): Promise<Json> {
  const q = expect(await c.call('GET', '/crm/risk-questionnaire'), 200, 'the risk questionnaire');
  return {
    questionnaireVersion: q.version,
    answers: (q.questions as Json[]).map((question) => ({
      questionId: question.id,
      value: [...(question.options as Json[])].sort((a, b) => a.score - b.score)[0]!.value,
    })),
  };
}

main().catch((err: unknown) => {
  console.error(`demo:links failed: ${err instanceof Error ? err.message : String(err)}`);
  console.error('Is `npm start` running?');
  process.exit(1);
});
